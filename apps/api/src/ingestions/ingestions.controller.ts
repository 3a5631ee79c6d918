import { Controller, Get, Param } from '@nestjs/common';
import type { FileAccounting } from '@claims/kpi';
import { RequireRole } from '../auth/bearer-token.guard';
import { IngestionReportsService, type IngestionReport } from './ingestion-reports.service';

/** Ingested files and the accounting of their records, for analysts and for `npm run ingest`. */
@Controller('v1/ingestions')
@RequireRole('analyst')
export class IngestionsController {
  constructor(private readonly reports: IngestionReportsService) {}

  /** Every ingested file: records read against records folded, duplicate and dead-lettered. */
  @Get()
  list(): Promise<FileAccounting[]> {
    return this.reports.list();
  }

  /** One file (by its SHA-256): the ingest report, downstream outcomes and dead letters by reason. */
  @Get(':fileId')
  report(@Param('fileId') fileId: string): Promise<IngestionReport> {
    return this.reports.report(fileId);
  }
}
