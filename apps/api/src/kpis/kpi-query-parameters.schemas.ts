import type { ApiQueryOptions } from '@nestjs/swagger';

/**
 * Query parameters as the OpenAPI document shows them, for routes whose
 * parameters a zod schema in their *.query.ts checks (the 400 names any
 * other). Strings on the wire; the schemas say what the parser accepts.
 */
export const dateQuery = (name: string, description: string): ApiQueryOptions => ({
  name,
  required: false,
  description,
  schema: { type: 'string', format: 'date', example: '2010-06-30' },
});

export const wholeNumberQuery = (name: string, maximum: number, description: string): ApiQueryOptions => ({
  name,
  required: false,
  description,
  schema: { type: 'integer', minimum: 1, maximum },
});

export const enumQuery = (
  name: string,
  values: readonly string[],
  options: { required?: boolean; description?: string } = {},
): ApiQueryOptions => ({
  name,
  required: options.required ?? false,
  ...(options.description === undefined ? {} : { description: options.description }),
  schema: { type: 'string', enum: [...values] },
});

export const textQuery = (name: string, description: string, maxLength: number): ApiQueryOptions => ({
  name,
  required: false,
  description,
  schema: { type: 'string', minLength: 1, maxLength },
});

export const CURSOR_QUERY: ApiQueryOptions = {
  name: 'cursor',
  required: false,
  description: 'The nextCursor of the previous page (opaque)',
  schema: { type: 'string' },
};
