import { CsvTable } from '../exports/csv-table.interceptor';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { z } from 'zod';
import { CalendarDate, parseQuery } from '../http/query-fields';
import { RequireRole } from '../auth/bearer-token.guard';
import { NoSmallCells, SmallCells } from '../privacy/small-cells.decorator';
import {
  ADJUSTMENT_DIMENSIONS,
  DENIAL_DIMENSIONS,
  DENIAL_SOURCES,
  PEND_GROUP_BY_DIMENSIONS,
  PEND_WORK_QUEUE_SORTS,
  ROOT_CAUSE_GROUPS,
  TOP_KINDS,
  type DenialRates,
  type DenialRootCauses,
} from '@claims/kpi';
import {
  PAYMENT_DIMENSIONS,
  parseAdjustmentsQuery,
  ROOT_CAUSE_SOURCES,
  TOP_ORDERS,
  VOLUME_DIMENSIONS,
  parseDenialRootCausesQuery,
  parseDenialsQuery,
  parsePaymentsQuery,
  parseTopQuery,
  parseVolumeQuery,
} from './denial-cost.query';
import {
  DenialCostService,
  type AdjustmentsResponse,
  type PaymentsResponse,
  type TopResponse,
  type VolumeResponse,
} from './denial-cost.service';
import { KpiQueryService, type KpiSummaryResponse, type KpiVerification } from './kpi-query.service';
import {
  ApiClaimFilterQueries,
  ApiPendQueueFilterQueries,
  ageDaysQuery,
  CURSOR_QUERY,
  dateQuery,
  enumQuery,
  wholeNumberQuery,
} from './kpi-query-parameters.schemas';
import { MAX_FLOW_DAYS, parsePendFlowQuery, parsePendedQueueQuery, parseWorkQueueQuery } from './pended-queue.query';
import {
  PendedQueueService,
  type PendFlowResponse,
  type PendedQueueResponse,
  type WorkQueueResponse,
} from './pended-queue.service';
import {
  ADJUSTMENTS_CELLS,
  DENIAL_RATES_CELLS,
  DENIAL_ROOT_CAUSES_CELLS,
  KPI_SUMMARY_CELLS,
  KPI_VERIFICATION_CELLS,
  PAYMENTS_CELLS,
  PENDED_QUEUE_CELLS,
  PEND_FLOW_CELLS,
  RECORD_LISTING,
  TOP_CELLS,
  VOLUME_CELLS,
} from './small-cells';

const SummaryQuerySchema = z.object({ asOf: CalendarDate.optional() }).strict();
/** The verification takes no parameter: an `asOf` or a filter it ignored would pass for one it checked. */
const VerificationQuerySchema = z.object({}).strict();

/** The counters' `asOf`: a read of the day-keyed counters, which a claim filter cannot cut. */
const COUNTERS_AS_OF_QUERY = dateQuery(
  'asOf',
  'The figures as they stood at the end of this event day (docs/kpis/as-of.md); not with a claim filter. Default: now',
);

@Controller('v1/kpis')
@RequireRole('analyst')
export class KpisController {
  constructor(
    private readonly kpis: KpiQueryService,
    private readonly pendedQueue: PendedQueueService,
    private readonly denialCost: DenialCostService,
  ) {}

  /** The streamed KPI figures: live (as of the event-time watermark), or at the end of event day `asOf`. */
  @Get('summary')
  @SmallCells(KPI_SUMMARY_CELLS)
  @ApiQuery(COUNTERS_AS_OF_QUERY)
  summary(@Query() query: Record<string, unknown>): Promise<KpiSummaryResponse> {
    return this.kpis.summary(parseQuery(SummaryQuerySchema, query).asOf ?? null);
  }

  /** The streamed figures against the batch SQL over claim state: `consistent` must be true. */
  @Get('verification')
  @SmallCells(KPI_VERIFICATION_CELLS)
  verification(@Query() query: Record<string, unknown>): Promise<KpiVerification> {
    parseQuery(VerificationQuerySchema, query);
    return this.kpis.verify();
  }

  /**
   * The pended queue as of `asOf` (default: the event-time watermark): open
   * claims and dollars, age buckets, average and oldest age, the breakdown by
   * `groupBy` (default reason), days-to-clear p50/p90 and the share cleared
   * within the SLA; of the claims that pass the filters (payer, providerGroup,
   * renderingProvider, state, claimType, reason, queue), if any.
   */
  @Get('pended-queue')
  @CsvTable('byDimension', 'pended-queue')
  @SmallCells(PENDED_QUEUE_CELLS)
  @ApiQuery(dateQuery('asOf', 'Default: the event-time watermark'))
  @ApiQuery(enumQuery('groupBy', PEND_GROUP_BY_DIMENSIONS, { description: 'Default reason' }))
  @ApiQuery(wholeNumberQuery('limit', 1000, 'The most dimension values listed, largest open count first'))
  @ApiPendQueueFilterQueries()
  pendedQueueSummary(@Query() query: Record<string, unknown>): Promise<PendedQueueResponse> {
    return this.pendedQueue.summary(parsePendedQueueQuery(query));
  }

  /**
   * Daily inflow, outflow, net and open claims from `from` to `to` (default:
   * the 30 days to the watermark), of the claims that pass the filters.
   */
  @Get('pended-queue/flow')
  @CsvTable('days', 'pended-queue-flow')
  @SmallCells(PEND_FLOW_CELLS)
  @ApiQuery(dateQuery('from', 'Inclusive; default 29 days before `to` (30 days in all)'))
  @ApiQuery(
    dateQuery(
      'to',
      `Inclusive; default the watermark (or \`from\`, when later); at most ${MAX_FLOW_DAYS} days after \`from\``,
    ),
  )
  @ApiPendQueueFilterQueries()
  pendedQueueFlow(@Query() query: Record<string, unknown>): Promise<PendFlowResponse> {
    return this.pendedQueue.flow(parsePendFlowQuery(query));
  }

  /**
   * Claims open as of `asOf` that pass the filters, oldest first (`sort=age`)
   * or largest amount first (`sort=amount`), `limit` a page; pass `nextCursor`
   * back as `cursor`, with the same sort, filters and age range, for the next.
   */
  @Get('pended-queue/work-queue')
  @CsvTable('items', 'work-queue')
  @NoSmallCells(RECORD_LISTING)
  @ApiQuery(dateQuery('asOf', 'Default: the event-time watermark'))
  @ApiQuery(wholeNumberQuery('limit', 500, 'Claims per page'))
  @ApiQuery(
    enumQuery('sort', PEND_WORK_QUEUE_SORTS, {
      description: 'Default age: oldest first (pend date, claim id); amount: largest amount first, then claim id',
    }),
  )
  @ApiQuery(CURSOR_QUERY)
  @ApiQuery(ageDaysQuery('minAgeDays', 'Only claims at least this many days old at `asOf` (0: pended that day)'))
  @ApiQuery(ageDaysQuery('maxAgeDays', 'Only claims at most this many days old at `asOf`'))
  @ApiPendQueueFilterQueries()
  pendedQueueWorkQueue(@Query() query: Record<string, unknown>): Promise<WorkQueueResponse> {
    return this.pendedQueue.workQueue(parseWorkQueueQuery(query));
  }

  /**
   * Initial denial rate by count and by dollars (denied / adjudicated) under
   * one `source` rule (carrier_lines, billing_export, remittance or
   * remittance_lines), by `groupBy` (payer, claim_type, month,
   * provider_group; default payer).
   */
  @Get('denials')
  @CsvTable('rows', 'denials')
  @ApiClaimFilterQueries()
  @ApiQuery(COUNTERS_AS_OF_QUERY)
  @SmallCells(DENIAL_RATES_CELLS)
  @ApiQuery(enumQuery('source', DENIAL_SOURCES, { required: true, description: 'The denial rule counted' }))
  @ApiQuery(enumQuery('groupBy', DENIAL_DIMENSIONS, { description: 'Default payer' }))
  denials(@Query() query: Record<string, unknown>): Promise<DenialRates> {
    return this.denialCost.denials(parseDenialsQuery(query));
  }

  /**
   * Denied 835 claims (`source=remittance`, default) or lines
   * (`remittance_lines`) by the root cause of their denial CARCs: `groupBy`
   * scenario (CAQH CORE), category (default) or carc, with the denial cents
   * and the CARCs rules/carc-root-causes.csv does not list (`unknownCarcs`).
   */
  @Get('denials/root-causes')
  @CsvTable('rows', 'denial-root-causes')
  @ApiClaimFilterQueries()
  @ApiQuery(COUNTERS_AS_OF_QUERY)
  @SmallCells(DENIAL_ROOT_CAUSES_CELLS)
  @ApiQuery(enumQuery('source', ROOT_CAUSE_SOURCES, { description: 'Default remittance' }))
  @ApiQuery(enumQuery('groupBy', ROOT_CAUSE_GROUPS, { description: 'Default category' }))
  denialRootCauses(@Query() query: Record<string, unknown>): Promise<DenialRootCauses> {
    return this.denialCost.denialRootCauses(parseDenialRootCausesQuery(query));
  }

  /**
   * 835 CAS adjustments and their cents by group code (default) or by group
   * code and CARC (`groupBy=carc`, values like `CO-45`), denial or not.
   */
  @Get('adjustments')
  @CsvTable('rows', 'adjustments')
  @ApiClaimFilterQueries()
  @ApiQuery(COUNTERS_AS_OF_QUERY)
  @SmallCells(ADJUSTMENTS_CELLS)
  @ApiQuery(enumQuery('groupBy', ADJUSTMENT_DIMENSIONS, { description: 'Default group_code' }))
  adjustments(@Query() query: Record<string, unknown>): Promise<AdjustmentsResponse> {
    return this.denialCost.adjustments(parseAdjustmentsQuery(query));
  }

  /** Claims, billed, allowed, paid and patient responsibility (cents) by `groupBy` (default payer). */
  @Get('payments')
  @CsvTable('rows', 'payments')
  @ApiClaimFilterQueries()
  @ApiQuery(COUNTERS_AS_OF_QUERY)
  @SmallCells(PAYMENTS_CELLS)
  @ApiQuery(enumQuery('groupBy', PAYMENT_DIMENSIONS, { description: 'Default payer' }))
  payments(@Query() query: Record<string, unknown>): Promise<PaymentsResponse> {
    return this.denialCost.payments(parsePaymentsQuery(query));
  }

  /** Claims, lines and paid dollars by `groupBy` (claim_type, month, state, provider_group; default claim_type). */
  @Get('volume')
  @CsvTable('rows', 'volume')
  @ApiClaimFilterQueries()
  @ApiQuery(COUNTERS_AS_OF_QUERY)
  @SmallCells(VOLUME_CELLS)
  @ApiQuery(enumQuery('groupBy', VOLUME_DIMENSIONS, { description: 'Default claim_type' }))
  volume(@Query() query: Record<string, unknown>): Promise<VolumeResponse> {
    return this.denialCost.volume(parseVolumeQuery(query));
  }

  /** The top HCPCS codes, first diagnoses or NDCs (`kind`) by paid amount or count (`by`), `limit` of them. */
  @Get('top')
  @CsvTable('rows', 'top')
  @ApiClaimFilterQueries()
  @SmallCells(TOP_CELLS)
  @ApiQuery(enumQuery('kind', TOP_KINDS, { required: true }))
  @ApiQuery(enumQuery('by', TOP_ORDERS, { description: 'Default paid' }))
  @ApiQuery(wholeNumberQuery('limit', 500, 'How many'))
  top(@Query() query: Record<string, unknown>): Promise<TopResponse> {
    return this.denialCost.top(parseTopQuery(query));
  }
}
