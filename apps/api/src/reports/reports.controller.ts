import { Controller, Get, Header, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiQuery } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequirePermission, type AuthenticatedRequest } from '../auth/bearer-token.guard';
import { SmallCellsAppliedByHandler } from '../privacy/small-cells.decorator';
import { attachment } from '../exports/csv';
import { dateQuery } from '../kpis/kpi-query-parameters.schemas';
import { MAX_FLOW_DAYS } from '../kpis/pended-queue.query';
import { renderKpiReport } from './kpi-report.document';
import { parseKpiReportQuery } from './kpi-report.query';
import { KpiReportService } from './kpi-report.service';
import { reportFileName } from './report-text';

/** Reports to print or file: the dashboard's figures as a document, under the exports' permission. */
@Controller('v1/reports')
export class ReportsController {
  constructor(private readonly reports: KpiReportService) {}

  /**
   * The dashboard as a PDF: a cover (as-of date, watermark, generated-at,
   * filters), the pended queue (figures, age buckets, top reasons), its daily
   * flow from `from` to `to`, denial rates per source and denials by root
   * cause, payments and volume. Aggregates only, no member identifiers;
   * for an analyst, small cells are withheld (`*`) as the KPI routes withhold them.
   */
  @Get('kpis.pdf')
  @RequirePermission('exports:read')
  @SmallCellsAppliedByHandler("KpiReportService.gather withholds the figures with the KPI routes' own specs")
  @Header('Content-Type', 'application/pdf')
  @ApiProduces('application/pdf')
  @ApiOkResponse({
    description: 'The report, as an attachment',
    content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiQuery(dateQuery('from', 'Start of the daily flow, inclusive; default 29 days before `to` (30 days in all)'))
  @ApiQuery(dateQuery('to', `End of the daily flow, inclusive; default the watermark; at most ${MAX_FLOW_DAYS} days`))
  @ApiQuery(dateQuery('asOf', 'Every figure as of the end of this event day; default the event-time watermark'))
  async kpisPdf(
    @Query() query: Record<string, unknown>,
    @Req() request: AuthenticatedRequest,
    @Res() response: Response,
  ): Promise<void> {
    // Every figure is read before the first byte is sent, so a failure is still a problem answer, not a cut PDF.
    const data = await this.reports.gather(parseKpiReportQuery(query), new Date(), request.principal);
    const doc = renderKpiReport(data);
    response.setHeader('Content-Disposition', attachment(reportFileName(data.pendedQueue.asOf)));
    // A dated snapshot of the figures: kept by no cache, the browser's included.
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('X-Content-Type-Options', 'nosniff');
    doc.on('error', (error: Error) => response.destroy(error));
    doc.pipe(response);
    doc.end();
  }
}
