import type { OverdueSubmission } from '@claims/kpi';
import { Controller, Get, Header, Query } from '@nestjs/common';
import { ApiProduces, ApiQuery } from '@nestjs/swagger';
import { RequirePermission } from '../auth/bearer-token.guard';
import { NoSmallCells } from '../privacy/small-cells.decorator';
import { attachment, toCsv, type CsvColumn } from '../exports/csv';
import { CURSOR_QUERY, wholeNumberQuery } from './kpi-query-parameters.schemas';
import { parseOverdueSubmissionsExportQuery, parseOverdueSubmissionsQuery } from './overdue-submissions.query';
import { OverdueSubmissionsService, type OverdueSubmissionsResponse } from './overdue-submissions.service';
import { RECORD_LISTING } from './small-cells';

/**
 * What the export shows of each submission: the listing's fields, the
 * patient control number as every claim-id list shows it (CLM01 is the
 * provider's claim id, no member identifier); payer names and ids come from
 * outside, so every text cell is quoted and formula-neutralised.
 */
const EXPORT_COLUMNS: ReadonlyArray<CsvColumn<OverdueSubmission>> = [
  { header: 'payer', value: (item) => item.payer },
  { header: 'patient_control_number', value: (item) => item.patientControlNumber },
  { header: 'billing_npi', value: (item) => item.billingNpi },
  { header: 'sender_id', value: (item) => item.senderId },
  { header: 'group_control_number', value: (item) => item.groupControlNumber },
  { header: 'transaction_control_number', value: (item) => item.transactionControlNumber },
  { header: 'submitted_on', value: (item) => item.submittedOn },
  { header: 'age_hours', value: (item) => item.ageHours },
  { header: 'sla_hours', value: (item) => item.slaHours },
  { header: 'hours_overdue', value: (item) => item.hoursOverdue },
  { header: 'awaiting_999', value: (item) => item.awaiting.includes('999') },
  { header: 'awaiting_277ca', value: (item) => item.awaiting.includes('277ca') },
];

const PAYER_QUERY = {
  name: 'payer',
  required: false,
  description: 'The payer as the 837 names it (2010BB NM1*PR), exact',
} as const;
const AS_OF_QUERY = {
  name: 'asOf',
  required: false,
  description: 'default the acknowledgement clock (event time)',
  schema: { type: 'string', format: 'date' },
} as const;

/**
 * Acknowledgement SLAs, the clearinghouse view: the submissions behind
 * claims_x12_submissions_overdue, beside the claim lifecycle figures and
 * under the same permission (claim ids, no member identifiers).
 */
@Controller('v1/kpis/claim-lifecycle')
@NoSmallCells(RECORD_LISTING)
export class OverdueSubmissionsController {
  constructor(private readonly overdue: OverdueSubmissionsService) {}

  /**
   * Submitted X12 claims with no 999 or 277CA past their payer's SLA
   * (ACK_SLA_HOURS, ACK_SLA_HOURS_BY_PAYER), oldest first: sender, GS06 and
   * ST02 of the first submission, hours overdue and what has not come back.
   * `limit` a page (default 50, at most 500); pass `nextCursor` back as `cursor`.
   */
  @Get('overdue')
  @RequirePermission('kpis:read')
  @ApiQuery(PAYER_QUERY)
  @ApiQuery(AS_OF_QUERY)
  @ApiQuery(wholeNumberQuery('limit', 500, 'default 50'))
  @ApiQuery(CURSOR_QUERY)
  list(@Query() query: Record<string, unknown>): Promise<OverdueSubmissionsResponse> {
    return this.overdue.list(parseOverdueSubmissionsQuery(query));
  }

  /** The same list as CSV for a spreadsheet, oldest first (`limit`, default 10,000, at most 100,000). */
  @Get('overdue/export.csv')
  @RequirePermission('exports:read')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', attachment('overdue-submissions.csv'))
  @ApiProduces('text/csv')
  @ApiQuery(PAYER_QUERY)
  @ApiQuery(AS_OF_QUERY)
  @ApiQuery(wholeNumberQuery('limit', 100_000, 'default 10,000'))
  async exportCsv(@Query() query: Record<string, unknown>): Promise<string> {
    const { items } = await this.overdue.list(parseOverdueSubmissionsExportQuery(query));
    return toCsv(EXPORT_COLUMNS, items);
  }
}
