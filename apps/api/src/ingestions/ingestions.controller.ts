import {
  BadRequestException,
  Controller,
  Get,
  Header,
  HttpException,
  HttpStatus,
  Inject,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
  Res,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import type { FileAccounting } from '@claims/kpi';
import { loadSourceLayouts } from '@claims/source-layouts';
import { X12_FILE_LAYOUT } from '@claims/x12';
import {
  ApiAcceptedResponse,
  ApiBadGatewayResponse,
  ApiBody,
  ApiConsumes,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiPayloadTooLargeResponse,
  ApiQuery,
  ApiServiceUnavailableResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { ApiConfig } from '../api.config';
import { API_CONFIG } from '../api.tokens';
import { AUDIT_TARGET_LOCAL } from '../audit/audit-target';
import { RequirePermission } from '../auth/bearer-token.guard';
import { NoSmallCells } from '../privacy/small-cells.decorator';
import { attachment, toCsv, type CsvColumn } from '../exports/csv';
import { IngestionReportsService, type IngestionReport } from './ingestion-reports.service';
import { INGEST_JOB_JSON_SCHEMA } from './ingestions.schemas';
import { IngestorClient, UploadError, type IngestorAnswer, type UploadErrorCode } from './ingestor-client';
import { checkUploadQuery, isAcceptedUploadMediaType, isIngestId } from './upload-request';
import { refuseQueryParameters } from '../http/query-fields';

const EXPORT_COLUMNS: ReadonlyArray<CsvColumn<FileAccounting>> = [
  { header: 'file_id', value: (file) => file.fileId },
  { header: 'source', value: (file) => file.source },
  { header: 'layout', value: (file) => file.layout },
  { header: 'records_read', value: (file) => file.recordsRead },
  { header: 'folded', value: (file) => file.folded },
  { header: 'duplicates', value: (file) => file.duplicates },
  { header: 'dead_lettered', value: (file) => file.deadLettered },
  { header: 'unaccounted', value: (file) => file.unaccounted },
  { header: 'status', value: (file) => file.status },
];

const UPLOAD_ERROR_STATUS: Record<UploadErrorCode, number> = {
  UPLOAD_TOO_LARGE: HttpStatus.PAYLOAD_TOO_LARGE,
  UPLOAD_TYPE_UNSUPPORTED: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  UPLOAD_INCOMPLETE: HttpStatus.BAD_REQUEST,
  INGESTOR_UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
  INGESTOR_CREDENTIAL_REFUSED: HttpStatus.BAD_GATEWAY,
};

/** Where a job started through the API is followed. */
export function ingestJobLocation(ingestId: string): string {
  return `/v1/ingestions/jobs/${encodeURIComponent(ingestId)}`;
}

/** The ingestor's answer as the API's: a refusal keeps its status and code; the ingestor's own failure is a 502. */
function passThrough(answer: IngestorAnswer, response: Response): unknown {
  if (answer.status < 400) return answer.body;
  const body = (typeof answer.body === 'object' && answer.body !== null ? answer.body : {}) as Record<string, unknown>;
  if (answer.status >= 500) {
    throw new HttpException(
      { code: 'INGESTOR_FAILED', message: 'the ingestor could not take the upload' },
      HttpStatus.BAD_GATEWAY,
    );
  }
  if (answer.retryAfter !== null) response.setHeader('retry-after', answer.retryAfter);
  const code = typeof body['code'] === 'string' ? body['code'] : 'INGESTOR_REFUSED';
  const message = typeof body['message'] === 'string' ? body['message'] : undefined;
  throw new HttpException(
    {
      code,
      ...(message === undefined ? {} : { message }),
      ...(Array.isArray(body['fields']) ? { fields: body['fields'] } : {}),
    },
    answer.status,
  );
}

function asHttp(error: unknown, response: Response): unknown {
  if (!(error instanceof UploadError)) return error;
  if (error.code === 'INGESTOR_UNAVAILABLE') response.setHeader('retry-after', '5');
  return new HttpException({ code: error.code, message: error.message }, UPLOAD_ERROR_STATUS[error.code]);
}

/**
 * Ingested files and the accounting of their records, for analysts and for
 * `npm run ingest`; and the upload door of the pipeline: the ingestor's own
 * port is internal, so a client uploads here, with the ingest role.
 */
@Controller('v1/ingestions')
@RequirePermission('ingestions:read')
@NoSmallCells(
  'the accounting of ingested files: records read, folded and dead-lettered per file and finding, a count of source records, not of members',
)
export class IngestionsController {
  private readonly knownLayouts: string[];

  constructor(
    private readonly reports: IngestionReportsService,
    private readonly ingestor: IngestorClient,
    @Inject(API_CONFIG) config: Partial<Pick<ApiConfig, 'uploads'>>,
  ) {
    // The layouts the ingestor knows: the shipped mapping files, its LAYOUTS_DIR, the carrier layout and X12.
    this.knownLayouts = [...loadSourceLayouts(config.uploads?.layoutsDir).knownLayoutNames(), X12_FILE_LAYOUT].sort();
  }

  /** Every ingested file: records read against records folded, duplicate and dead-lettered. */
  @Get()
  list(@Query() query: Record<string, unknown>): Promise<FileAccounting[]> {
    refuseQueryParameters(query);
    return this.reports.list();
  }

  /**
   * Uploads a source file: the body is the file's bytes (plain or gzip), the
   * query names it (`name`) and optionally its `layout`, pacing
   * (`ratePerSecond` or `speedup`) or `dryRun`, as the ingestor's upload door
   * takes them. The query, the media type and the first bytes are checked
   * before anything is sent on; the body is then streamed to the ingestor,
   * never held, and refused with 413 past API_MAX_UPLOAD_BYTES. Answers 202
   * with the ingestion job and `Location: /v1/ingestions/jobs/:ingestId`.
   */
  @Post()
  @RequirePermission('uploads:write')
  @ApiConsumes('application/octet-stream', 'text/csv', 'text/plain', 'application/gzip', 'application/edi-x12')
  @ApiBody({ description: 'the source file itself, plain or gzip', schema: { type: 'string', format: 'binary' } })
  @ApiQuery({ name: 'name', required: true, description: 'the file name (no folder, not hidden)' })
  @ApiQuery({ name: 'layout', required: false, description: 'a known layout; detected from the header when absent' })
  @ApiQuery({ name: 'ratePerSecond', required: false, type: Number })
  @ApiQuery({ name: 'speedup', required: false, type: Number })
  @ApiQuery({ name: 'dryRun', required: false, type: Boolean })
  @ApiAcceptedResponse({
    description: 'The ingestion job, running; Location names where to follow it',
    schema: INGEST_JOB_JSON_SCHEMA,
    headers: { Location: { description: '/v1/ingestions/jobs/{ingestId}', schema: { type: 'string' } } },
  })
  @ApiPayloadTooLargeResponse({ description: 'UPLOAD_TOO_LARGE: the body is over API_MAX_UPLOAD_BYTES' })
  @ApiUnsupportedMediaTypeResponse({
    description: "UPLOAD_CONTENT_TYPE or UPLOAD_TYPE_UNSUPPORTED: not a file's bytes (JSON, a form, binary)",
  })
  @ApiBadGatewayResponse({ description: 'INGESTOR_FAILED or INGESTOR_CREDENTIAL_REFUSED' })
  @ApiServiceUnavailableResponse({ description: 'INGESTOR_UNAVAILABLE, or the ingestor busy; see Retry-After' })
  async upload(
    @Query() rawQuery: Record<string, unknown>,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<unknown> {
    const check = checkUploadQuery(rawQuery, this.knownLayouts);
    if (!check.ok) {
      response.setHeader('connection', 'close');
      throw new BadRequestException({ code: 'REQUEST_INVALID', fields: check.fields, message: check.message });
    }
    if (!isAcceptedUploadMediaType(request.headers['content-type'])) {
      response.setHeader('connection', 'close');
      throw new UnsupportedMediaTypeException({
        code: 'UPLOAD_CONTENT_TYPE',
        message:
          'send the file as its bytes (application/octet-stream, text/csv or application/gzip), not JSON or a form',
      });
    }
    let answer: IngestorAnswer;
    try {
      answer = await this.ingestor.upload(request, check.forward, request.headers['content-length']);
    } catch (error) {
      // Refused before a byte was read (a declared length over the limit): close rather than read it all. Refused
      // mid-body, the rest has been read and dropped (up to a bound), so the sender gets to read the answer.
      if (!request.readableDidRead) response.setHeader('connection', 'close');
      throw asHttp(error, response);
    }
    const view = passThrough(answer, response) as { ingestId?: unknown };
    if (typeof view.ingestId === 'string') {
      response.locals[AUDIT_TARGET_LOCAL] = view.ingestId;
      response.setHeader('location', ingestJobLocation(view.ingestId));
    }
    response.status(answer.status);
    return view;
  }

  /**
   * The list above as CSV, text cells quoted and formula-neutralised (a
   * source file may be named `=HYPERLINK(…)`). Declared before `:fileId`,
   * which would otherwise take `export.csv` for a file id.
   */
  @Get('export.csv')
  @RequirePermission('exports:read')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', attachment('ingestions.csv'))
  async exportCsv(@Query() query: Record<string, unknown>): Promise<string> {
    refuseQueryParameters(query);
    return toCsv(EXPORT_COLUMNS, await this.reports.list());
  }

  /**
   * An ingestion job started by an upload, as the ingestor follows it: state,
   * bytes and records read, published and dead-lettered, then the report or
   * the error. Jobs live in the ingestor's memory (its last INGEST_JOB_HISTORY).
   */
  @Get('jobs/:ingestId')
  @ApiOkResponse({ description: 'The job as the ingestor follows it', schema: INGEST_JOB_JSON_SCHEMA })
  @ApiNotFoundResponse({ description: 'INGEST_NOT_FOUND: no such job (or one the ingestor has forgotten)' })
  @ApiBadGatewayResponse({ description: 'INGESTOR_FAILED' })
  @ApiServiceUnavailableResponse({ description: 'INGESTOR_UNAVAILABLE' })
  async job(
    @Param('ingestId') ingestId: string,
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<unknown> {
    refuseQueryParameters(query);
    if (!isIngestId(ingestId)) throw new NotFoundException({ code: 'INGEST_NOT_FOUND', message: 'no such job' });
    try {
      return passThrough(await this.ingestor.jobStatus(ingestId), response);
    } catch (error) {
      throw asHttp(error, response);
    }
  }

  /** One file (by its SHA-256): the ingest report, downstream outcomes and dead letters by reason. */
  @Get(':fileId')
  @ApiNotFoundResponse({ description: 'INGESTION_NOT_FOUND: no file with this SHA-256 was ingested' })
  report(@Param('fileId') fileId: string, @Query() query: Record<string, unknown>): Promise<IngestionReport> {
    refuseQueryParameters(query);
    return this.reports.report(fileId);
  }
}
