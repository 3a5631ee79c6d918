import { BadRequestException, Controller, applyDecorators, Get, Header, Query } from '@nestjs/common';
import { PIPELINE_STAGES } from '@claims/contracts';
import { ApiQuery, type ApiQueryOptions } from '@nestjs/swagger';
import { z } from 'zod';
import { RequirePermission } from '../auth/bearer-token.guard';
import { queryText } from '../http/query-fields';
import { NoSmallCells } from '../privacy/small-cells.decorator';
import { attachment, toCsv, type CsvColumn } from '../exports/csv';
import type { DeadLetterFilter } from './dead-letters.repository';
import {
  DeadLettersService,
  type DeadLetterEntry,
  type DeadLetterListing,
  type ReplayPlan,
} from './dead-letters.service';

/** Strict, as every route's query: a misspelt `reasn` must not silently mean "every reason". */
const FilterQuerySchema = z.strictObject({
  reason: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]{0,63}$/, 'an error code such as DATE_OUT_OF_RANGE')
    .optional(),
  stage: z.enum(PIPELINE_STAGES).optional(),
  /** A file id (SHA-256) or a source file name. */
  file: queryText(1, 255).optional(),
  limit: z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(1).max(100_000)).optional(),
});

/** The filter as the OpenAPI document shows it (FilterQuerySchema checks it). */
const filterQueryOptions = (reasonRequired: boolean, limitDescription: string): ApiQueryOptions[] => [
  {
    name: 'reason',
    required: reasonRequired,
    description: 'An error code such as DATE_OUT_OF_RANGE',
    schema: { type: 'string', pattern: '^[A-Z][A-Z0-9_]{0,63}$' },
  },
  { name: 'stage', required: false, schema: { type: 'string', enum: [...PIPELINE_STAGES] } },
  {
    name: 'file',
    required: false,
    description: 'A file id (SHA-256) or a source file name',
    schema: { type: 'string', minLength: 1, maxLength: 255 },
  },
  {
    name: 'limit',
    required: false,
    description: limitDescription,
    schema: { type: 'integer', minimum: 1, maximum: 100_000 },
  },
];

const filterQueries = (reasonRequired: boolean, limitDescription: string): MethodDecorator =>
  applyDecorators(...filterQueryOptions(reasonRequired, limitDescription).map((options) => ApiQuery(options)));

/** The export's columns: what the listing shows of each letter (reasons name fields, never values). */
const EXPORT_COLUMNS: ReadonlyArray<CsvColumn<DeadLetterEntry>> = [
  { header: 'dead_letter_id', value: (entry) => entry.deadLetterId },
  { header: 'failed_at', value: (entry) => entry.failedAt },
  { header: 'stage', value: (entry) => entry.stage },
  { header: 'error_code', value: (entry) => entry.errorCode },
  { header: 'reason', value: (entry) => entry.reason },
  { header: 'source', value: (entry) => entry.source },
  { header: 'file_id', value: (entry) => entry.fileId },
  { header: 'record_number', value: (entry) => entry.recordNumber },
  { header: 'origin_topic', value: (entry) => entry.originTopic },
  { header: 'record_outcome', value: (entry) => entry.recordOutcome },
];

function parseFilter(query: unknown): { filter: DeadLetterFilter; limit: number | undefined } {
  const parsed = FilterQuerySchema.safeParse(query);
  if (!parsed.success) {
    throw new BadRequestException({
      statusCode: 400,
      code: 'REQUEST_INVALID',
      fields: [
        ...new Set(
          parsed.error.issues.flatMap((issue) =>
            issue.code === 'unrecognized_keys' ? issue.keys : [issue.path.join('.')],
          ),
        ),
      ],
    });
  }
  const { reason, stage, file, limit } = parsed.data;
  return { filter: { errorCode: reason ?? null, stage: stage ?? null, file: file ?? null }, limit };
}

/** Dead letters for `npm run dlq`: what was refused, where and why (fields named, never values). */
@Controller('v1/dead-letters')
@NoSmallCells(
  'dead letters by stage and reason, and the letters themselves: pipeline accounting of source records, not members',
)
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLettersService) {}

  /** Counts by stage and reason, and the latest entries, for the filter (reason, stage, file). */
  @Get()
  @RequirePermission('dead-letters:read')
  @filterQueries(false, 'Latest entries listed; default 20, at most 1000 shown')
  list(@Query() query: Record<string, unknown>): Promise<DeadLetterListing> {
    const { filter, limit } = parseFilter(query);
    return this.deadLetters.list(filter, Math.min(limit ?? 20, 1000));
  }

  /**
   * The open dead letters of one reason that a replay may re-publish, with
   * where each sits on the dead-letter topic; and those it may not, and why.
   * Admin only: it is the first step of re-publishing records.
   */
  /**
   * The matching dead letters, newest first (`limit`, default 10,000), as CSV
   * for a spreadsheet: every text cell quoted and formula-neutralised, since
   * source names and reasons come from outside.
   */
  @Get('export.csv')
  @RequirePermission('exports:read')
  @filterQueries(false, 'Rows; default 10,000')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', attachment('dead-letters.csv'))
  async exportCsv(@Query() query: Record<string, unknown>): Promise<string> {
    const { filter, limit } = parseFilter(query);
    const listing = await this.deadLetters.list(filter, limit ?? 10_000);
    return toCsv(EXPORT_COLUMNS, listing.latest);
  }

  @Get('replay-plan')
  @RequirePermission('dead-letters:replay')
  @filterQueries(true, 'Letters planned; default 10,000')
  replayPlan(@Query() query: Record<string, unknown>): Promise<ReplayPlan> {
    const { filter, limit } = parseFilter(query);
    if (filter.errorCode === null) {
      throw new BadRequestException({ code: 'REQUEST_INVALID', fields: ['reason'] });
    }
    return this.deadLetters.replayPlan(filter, limit ?? 10_000);
  }
}
