import { Controller, Get, Header, Param } from '@nestjs/common';
import type { FileAccounting } from '@claims/kpi';
import { RequirePermission } from '../auth/bearer-token.guard';
import { attachment, toCsv, type CsvColumn } from '../exports/csv';
import { IngestionReportsService, type IngestionReport } from './ingestion-reports.service';

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

/** Ingested files and the accounting of their records, for analysts and for `npm run ingest`. */
@Controller('v1/ingestions')
@RequirePermission('ingestions:read')
export class IngestionsController {
  constructor(private readonly reports: IngestionReportsService) {}

  /** Every ingested file: records read against records folded, duplicate and dead-lettered. */
  @Get()
  list(): Promise<FileAccounting[]> {
    return this.reports.list();
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
  async exportCsv(): Promise<string> {
    return toCsv(EXPORT_COLUMNS, await this.reports.list());
  }

  /** One file (by its SHA-256): the ingest report, downstream outcomes and dead letters by reason. */
  @Get(':fileId')
  report(@Param('fileId') fileId: string): Promise<IngestionReport> {
    return this.reports.report(fileId);
  }
}
