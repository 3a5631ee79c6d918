import { Controller, Get, Query } from '@nestjs/common';
import { RequireRole } from '../auth/bearer-token.guard';
import { KpiQueryService, type KpiSummaryResponse, type KpiVerification } from './kpi-query.service';
import { parsePendFlowQuery, parsePendedQueueQuery, parseWorkQueueQuery } from './pended-queue.query';
import {
  PendedQueueService,
  type PendFlowResponse,
  type PendedQueueResponse,
  type WorkQueueResponse,
} from './pended-queue.service';

@Controller('v1/kpis')
@RequireRole('analyst')
export class KpisController {
  constructor(
    private readonly kpis: KpiQueryService,
    private readonly pendedQueue: PendedQueueService,
  ) {}

  /** The streamed KPI figures, as of the event-time watermark. */
  @Get('summary')
  summary(): Promise<KpiSummaryResponse> {
    return this.kpis.summary();
  }

  /** The streamed figures against the batch SQL over claim state: `consistent` must be true. */
  @Get('verification')
  verification(): Promise<KpiVerification> {
    return this.kpis.verify();
  }

  /**
   * The pended queue as of `asOf` (default: the event-time watermark): open
   * claims and dollars, age buckets, average and oldest age, the breakdown by
   * `groupBy` (default reason), days-to-clear p50/p90 and the share cleared
   * within the SLA.
   */
  @Get('pended-queue')
  pendedQueueSummary(@Query() query: Record<string, unknown>): Promise<PendedQueueResponse> {
    return this.pendedQueue.summary(parsePendedQueueQuery(query));
  }

  /** Daily inflow, outflow, net and open claims from `from` to `to` (default: the 30 days to the watermark). */
  @Get('pended-queue/flow')
  pendedQueueFlow(@Query() query: Record<string, unknown>): Promise<PendFlowResponse> {
    return this.pendedQueue.flow(parsePendFlowQuery(query));
  }

  /** Claims open as of `asOf`, oldest first, `limit` a page; pass `nextCursor` back as `cursor` for the next. */
  @Get('pended-queue/work-queue')
  pendedQueueWorkQueue(@Query() query: Record<string, unknown>): Promise<WorkQueueResponse> {
    return this.pendedQueue.workQueue(parseWorkQueueQuery(query));
  }
}
