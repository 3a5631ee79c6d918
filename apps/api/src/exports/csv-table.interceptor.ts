import {
  Injectable,
  SetMetadata,
  applyDecorators,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiProduces } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { map, type Observable } from 'rxjs';
import { RESPONSE_SCHEMAS } from '../openapi/response-schemas.generated';
import { schemaWithSmallCells } from '../privacy/small-cell-schema';
import { SMALL_CELLS, type SmallCellDeclaration } from '../privacy/small-cells.decorator';
import { attachment, toCsv } from './csv';
import { csvColumnsOf, csvHeadersOfSchema, type JsonRow } from './csv-table';

export const CSV_TABLE = 'claims:csv-table';

export interface CsvTableDeclaration {
  /** The field of the JSON answer that holds the table's rows. */
  rows: string;
  /** The file's name, without `.csv`. */
  filename: string;
}

/**
 * The route's table (`rows`, a field of its JSON answer) is also served as a
 * CSV file to a caller that asks for `text/csv` (Accept), for spreadsheets
 * and BI tools: the same rows, small cells withheld alike, every text cell
 * neutralised against formula injection.
 */
export const CsvTable = (rows: string, filename: string): MethodDecorator =>
  applyDecorators(
    SetMetadata(CSV_TABLE, { rows, filename } satisfies CsvTableDeclaration),
    ApiProduces('application/json', 'text/csv'),
  );

/**
 * The URL of the page after this one: the request's own, its `cursor` the
 * one the page handed out, relative (RFC 8288 §3.2 resolves it against the
 * request's URL).
 */
export function nextPageLink(originalUrl: string, nextCursor: string): string {
  const url = new URL(originalUrl, 'http://request.invalid');
  url.searchParams.set('cursor', nextCursor);
  return `<${url.pathname}${url.search}>; rel="next"`;
}

/**
 * Answers `Accept: text/csv` on a CsvTable route with the table as CSV.
 * Registered outside the small-cell interceptor (which withholds first) and
 * inside the conditional GET (which tags what is sent); `Vary: Accept` tells
 * caches the two representations apart. A paged listing's `nextCursor`,
 * which no CSV row can carry, becomes a `Link: <…>; rel="next"` header, so a
 * CSV client can tell the page from the whole listing and fetch the rest.
 */
@Injectable()
export class CsvTableInterceptor implements NestInterceptor {
  private readonly declaredHeaders = new WeakMap<object, readonly string[]>();

  constructor(private readonly reflector: Reflector) {}

  /**
   * The columns of the route's table as its response schema declares them
   * (the controller's return type, as the OpenAPI document has it), with the
   * `suppressed` column wherever the route can withhold a cell of a row: the
   * header of a table with no rows. Read once per route.
   */
  private declaredHeadersOf(context: ExecutionContext, table: CsvTableDeclaration): readonly string[] {
    const handler = context.getHandler();
    const known = this.declaredHeaders.get(handler);
    if (known !== undefined) return known;
    const response = RESPONSE_SCHEMAS[`${context.getClass().name}_${handler.name}`]?.schema;
    const smallCells = this.reflector.getAllAndOverride<SmallCellDeclaration | undefined>(SMALL_CELLS, [
      handler,
      context.getClass(),
    ]);
    const schema =
      response !== undefined && smallCells?.kind === 'cells'
        ? schemaWithSmallCells(response, smallCells.spec)
        : response;
    const properties = schema?.['properties'];
    const rows =
      properties !== null && typeof properties === 'object'
        ? (properties as Record<string, unknown>)[table.rows]
        : undefined;
    const headers = csvHeadersOfSchema(
      rows !== null && typeof rows === 'object' ? (rows as Record<string, unknown>)['items'] : undefined,
    );
    this.declaredHeaders.set(handler, headers);
    return headers;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const table = this.reflector.get<CsvTableDeclaration | undefined>(CSV_TABLE, context.getHandler());
    if (table === undefined) return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    response.vary('Accept');
    if (request.accepts(['application/json', 'text/csv']) !== 'text/csv') return next.handle();
    return next.handle().pipe(
      map((body: unknown) => {
        const answer = body as Record<string, unknown> | null;
        const rows = answer?.[table.rows];
        const tableRows: JsonRow[] = Array.isArray(rows) ? (rows as JsonRow[]) : [];
        const nextCursor = answer?.['nextCursor'];
        if (typeof nextCursor === 'string') response.setHeader('Link', nextPageLink(request.originalUrl, nextCursor));
        response.setHeader('Content-Type', 'text/csv; charset=utf-8');
        response.setHeader('Content-Disposition', attachment(`${table.filename}.csv`));
        return toCsv(csvColumnsOf(tableRows, this.declaredHeadersOf(context, table)), tableRows);
      }),
    );
  }
}
