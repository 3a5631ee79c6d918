import { BadRequestException, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiNotFoundResponse, ApiTags, ApiUnsupportedMediaTypeResponse } from '@nestjs/swagger';
import { z } from 'zod';
import { JsonBody } from '../http/json-body';
import { refuseQueryParameters } from '../http/query-fields';
import { API_ROLES } from './api-role';
import { ApiKeysService, type ApiKeyListing, type CreatedApiKey } from './api-keys.service';
import { RequirePermission } from './bearer-token.guard';

const CreateApiKeySchema = z
  .object({
    role: z.enum(API_ROLES),
    /** Who holds the key, for the listing: "Power BI refresh", "billing upload job". */
    label: z
      .string()
      .trim()
      .min(1)
      .max(200)
      // A Postgres text column cannot hold NUL: refused here, not failed at the INSERT as a 500.
      .regex(/^[^\0]*$/, 'no NUL character'),
  })
  .strict();

/** API keys for service clients (admin): made here, shown once, stored hashed, revoked here. */
@ApiTags('api-keys')
@Controller('v1/api-keys')
@RequirePermission('api-keys:manage')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  /** Makes a key for a role; the answer holds the key, and no later answer does. */
  @Post()
  @HttpCode(201)
  @ApiUnsupportedMediaTypeResponse({ description: 'BODY_CONTENT_TYPE: the body is not sent as application/json' })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['role', 'label'],
      additionalProperties: false,
      properties: { role: { type: 'string', enum: [...API_ROLES] }, label: { type: 'string', maxLength: 200 } },
    },
  })
  create(@JsonBody() body: unknown, @Query() query: Record<string, unknown>): Promise<CreatedApiKey> {
    refuseQueryParameters(query);
    const parsed = CreateApiKeySchema.safeParse(body ?? {});
    if (!parsed.success) {
      throw new BadRequestException({
        statusCode: 400,
        code: 'REQUEST_INVALID',
        fields: [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(body)'))],
      });
    }
    return this.keys.create(parsed.data.role, parsed.data.label);
  }

  /** Every key made, newest first, revoked ones included: ids, roles, labels and dates, never a key. */
  @Get()
  list(@Query() query: Record<string, unknown>): Promise<ApiKeyListing[]> {
    refuseQueryParameters(query);
    return this.keys.list();
  }

  /** Revokes a key at once (the next request with it is a 401); revoking twice keeps the first date. */
  @Delete(':keyId')
  @ApiNotFoundResponse({ description: 'API_KEY_NOT_FOUND' })
  revoke(@Param('keyId') keyId: string, @Query() query: Record<string, unknown>): Promise<ApiKeyListing> {
    refuseQueryParameters(query);
    return this.keys.revoke(keyId);
  }
}
