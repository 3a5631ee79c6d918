import type { DenialRates, DenialRootCauses } from '@claims/kpi';
import type { SmallCellSpec } from '../privacy/small-cell';
import type { ClaimLifecycleResponse } from './claim-lifecycle.service';
import type { AdjustmentsResponse, PaymentsResponse, TopResponse, VolumeResponse } from './denial-cost.service';
import type { KpiSummaryResponse, KpiVerification } from './kpi-query.service';
import type { PendFlowResponse, PendedQueueResponse } from './pended-queue.service';
import type { ChronicConditionsResponse, OutlierProvidersResponse, PmpmResponse } from './volume-cost.service';

/*
 * Where each KPI answer's cells are, for small-cell suppression
 * (docs/api/small-cell-suppression.md). The count of a cell is the one
 * closest to "members": members where the answer counts them (PMPM, chronic
 * conditions), else claims, else the unit the figure counts (lines of a
 * line-level denial rule, fills of an NDC). The routes declare these with
 * @SmallCells; the PDF report applies the same ones to the figures it prints.
 */

/*
 * Shared pieces are plain constants: each is checked against the field
 * names of every answer it is used in, where it is used.
 */

/** One open-pend cell: claims and their dollars. */
const PEND_CELL = { cells: [{ count: 'claims', with: ['amountCents'] }] } as const;

export const PENDED_QUEUE_CELLS: SmallCellSpec<PendedQueueResponse> = {
  cells: [
    // Every figure of the queue is about its open claims: a queue of 4 shows none of them.
    {
      count: 'open.claims',
      with: ['open.amountCents', 'averageAgeDays', 'oldestAgeDays', 'ageBuckets', 'byDimension'],
    },
    { count: 'daysToClear.clearedClaims', with: ['daysToClear.p50', 'daysToClear.p90'] },
    {
      count: 'clearedWithinSla.clearedClaims',
      with: ['clearedWithinSla.clearedWithinSlaClaims', 'clearedWithinSla.share'],
    },
    { count: 'clearedWithinSla.clearedWithinSlaClaims', with: ['clearedWithinSla.share'] },
    // Cleared late: the difference would give a small count back.
    {
      count: 'clearedWithinSla.clearedClaims',
      minus: 'clearedWithinSla.clearedWithinSlaClaims',
      with: ['clearedWithinSla.clearedWithinSlaClaims', 'clearedWithinSla.share'],
    },
  ],
  nested: {
    ageBuckets: PEND_CELL,
    byDimension: {
      cells: [{ count: 'claims', with: ['amountCents', 'averageAgeDays', 'oldestAgeDays', 'ageBuckets'] }],
      nested: { ageBuckets: PEND_CELL },
    },
  },
  // The values add up to the open claims, and their buckets to the queue's buckets (a claim counts under one
  // value, but for reasons); `limit` may list only the largest values, the rest being the total less those listed.
  margins: [
    { list: 'byDimension', count: 'claims', total: 'open.claims' },
    { list: 'byDimension', within: 'ageBuckets', count: 'claims', total: 'ageBuckets' },
  ],
};

const FLOW_CELLS = [
  { count: 'inflowClaims', with: ['inflowAmountCents', 'netClaims', 'netAmountCents'] },
  { count: 'outflowClaims', with: ['outflowAmountCents', 'netClaims', 'netAmountCents'] },
] as const;

export const PEND_FLOW_CELLS: SmallCellSpec<PendFlowResponse> = {
  cells: [
    { count: 'totals.inflowClaims', with: ['totals.netClaims', 'totals.netAmountCents'] },
    { count: 'totals.outflowClaims', with: ['totals.netClaims', 'totals.netAmountCents'] },
  ],
  nested: {
    days: {
      cells: [
        ...FLOW_CELLS,
        // The open stock of a day is no part of a total: no secondary cell for it.
        { count: 'openClaims', with: ['openAmountCents'], additive: false },
      ],
    },
  },
};

/** A denial-rate row or total: the adjudicated units, the denied ones, and the ones not denied. */
const DENIAL_RATE_RULES = [
  {
    count: 'adjudicated',
    with: ['adjudicatedAmountCents', 'denied', 'deniedAmountCents', 'denialRateByCount', 'denialRateByAmount'],
  },
  { count: 'denied', with: ['deniedAmountCents', 'denialRateByCount', 'denialRateByAmount'] },
  {
    count: 'adjudicated',
    minus: 'denied',
    with: ['denied', 'deniedAmountCents', 'denialRateByCount', 'denialRateByAmount'],
  },
] as const;

export const DENIAL_RATES_CELLS: SmallCellSpec<DenialRates> = {
  nested: { total: { cells: DENIAL_RATE_RULES }, rows: { cells: DENIAL_RATE_RULES } },
};

export const DENIAL_ROOT_CAUSES_CELLS: SmallCellSpec<DenialRootCauses> = {
  // A unit with two causes counts under both: the rows add up to no total, but withholding one more is cheap.
  nested: {
    rows: { cells: [{ count: 'denied', with: ['deniedAmountCents', 'adjustments'] }] },
    unknownCarcs: { cells: [{ count: 'denied', with: ['deniedAmountCents'] }] },
  },
};

export const PAYMENTS_CELLS: SmallCellSpec<PaymentsResponse> = {
  nested: {
    rows: {
      cells: [
        {
          count: 'claims',
          with: ['billedAmountCents', 'allowedAmountCents', 'paidAmountCents', 'patientResponsibilityAmountCents'],
        },
      ],
    },
  },
};

export const VOLUME_CELLS: SmallCellSpec<VolumeResponse> = {
  nested: { rows: { cells: [{ count: 'claims', with: ['lines', 'paidAmountCents'] }] } },
};

export const ADJUSTMENTS_CELLS: SmallCellSpec<AdjustmentsResponse> = {
  // A count of CAS adjustments, at most a few per claim: withheld as a count of claims would be.
  nested: { rows: { cells: [{ count: 'adjustments', with: ['adjustmentAmountCents'] }] } },
};

export const TOP_CELLS: SmallCellSpec<TopResponse> = {
  nested: {
    rows: {
      // A top list adds up to no total: no secondary cell.
      cells: [{ count: 'count', with: ['paidAmountCents', 'billedAmountCents', 'daysSupply'], additive: false }],
    },
  },
};

const MONEY_OF_CLAIMS = [
  'medicarePaymentAmount',
  'medicarePaymentAmountCents',
  'allowedAmount',
  'allowedAmountCents',
] as const;

export const KPI_SUMMARY_CELLS: SmallCellSpec<KpiSummaryResponse> = {
  cells: [
    {
      count: 'claimsReceived',
      with: [
        'linesReceived',
        'linesAllowed',
        'linesNotAllowed',
        'linesDenied',
        'linesCostAvoidedMspCob',
        'linesReprocessed',
        'linesProcessingUnknown',
        'linesByProcessingCategory',
        'linesByProcessingIndicator',
        ...MONEY_OF_CLAIMS,
      ],
    },
    ...(
      [
        'linesAllowed',
        'linesNotAllowed',
        'linesDenied',
        'linesCostAvoidedMspCob',
        'linesReprocessed',
        'linesProcessingUnknown',
      ] as const
    ).map((count) => ({ count, additive: false })),
  ],
  countMaps: ['linesByProcessingCategory', 'linesByProcessingIndicator'],
};

const COUNTER_MISMATCH: SmallCellSpec<KpiVerification['mismatches'][number]> = {
  cells: [
    { count: 'streamed', with: ['batch'], additive: false },
    { count: 'batch', with: ['streamed'], additive: false },
  ],
};

/** The verification lists cell values only where the fold and the batch SQL disagree; those are withheld alike. */
export const KPI_VERIFICATION_CELLS: SmallCellSpec<KpiVerification> = {
  nested: {
    mismatches: COUNTER_MISMATCH,
    pendHistogramMismatches: {
      cells: [
        {
          count: 'streamed.claims',
          with: ['streamed.amountCents', 'batch.claims', 'batch.amountCents'],
          additive: false,
        },
        {
          count: 'batch.claims',
          with: ['batch.amountCents', 'streamed.claims', 'streamed.amountCents'],
          additive: false,
        },
      ],
    },
  },
};

/** A lifecycle rate over claims: the denominator, the numerator and their difference. */
const CLAIM_RATE: SmallCellSpec<ClaimLifecycleResponse['firstPassCleanClaimRate']> = {
  cells: [
    { count: 'denominator', with: ['numerator', 'rate'] },
    { count: 'numerator', with: ['rate'] },
    { count: 'denominator', minus: 'numerator', with: ['numerator', 'rate'] },
  ],
};

export const CLAIM_LIFECYCLE_CELLS: SmallCellSpec<ClaimLifecycleResponse> = {
  cells: [
    { count: 'unmatched.adjudications', additive: false },
    { count: 'unmatched.acknowledgements', additive: false },
  ],
  // The 999 rate counts transaction sets (files of claims), not claims or members: it is no member cell.
  nested: {
    firstPassCleanClaimRate: CLAIM_RATE,
    claimAcknowledgementRejectionRate: CLAIM_RATE,
    payerLag: { cells: [{ count: 'paidClaims', with: ['p50Days', 'p90Days'] }] },
  },
};

const PMPM_FIGURES = {
  cells: [
    { count: 'claims', with: ['paidAmountCents', 'pmpmCents'] },
    // Member months under the threshold mean fewer members than it: the whole cell goes.
    { count: 'memberMonths', with: ['claims', 'paidAmountCents', 'pmpmCents'], additive: false },
  ],
} as const;

export const PMPM_CELLS: SmallCellSpec<PmpmResponse> = {
  cells: [{ count: 'members', with: ['totals', 'rows', 'unmatched'] }],
  nested: {
    totals: PMPM_FIGURES,
    // The rows add up benefit by benefit (the margin below), not across benefits: a row is never withheld for
    // another benefit's sake, and each benefit's rows are protected against its own total.
    rows: {
      cells: [{ count: 'claims', with: ['paidAmountCents', 'pmpmCents'], additive: false }, PMPM_FIGURES.cells[1]],
    },
    // Claims of members without a summary: claims are the closest count.
    unmatched: { cells: [{ count: 'claims', with: ['paidAmountCents'] }] },
  },
  margins: [{ list: 'rows', count: 'claims', total: 'totals', by: 'benefit' }],
};

export const CHRONIC_CONDITIONS_CELLS: SmallCellSpec<ChronicConditionsResponse> = {
  cells: [{ count: 'members', with: ['conditions'] }],
  nested: {
    conditions: {
      // A member has several conditions: the rows add up to no total, so no secondary cell.
      cells: [
        {
          count: 'members',
          with: [
            'membersWithCondition',
            'prevalence',
            'paidWithConditionCents',
            'paidWithoutConditionCents',
            'paidPerMemberWithConditionCents',
            'paidPerMemberWithoutConditionCents',
          ],
          additive: false,
        },
        {
          count: 'membersWithCondition',
          with: ['prevalence', 'paidWithConditionCents', 'paidPerMemberWithConditionCents'],
          additive: false,
        },
        {
          count: 'members',
          minus: 'membersWithCondition',
          with: [
            'membersWithCondition',
            'prevalence',
            'paidWithoutConditionCents',
            'paidPerMemberWithoutConditionCents',
          ],
          additive: false,
        },
      ],
    },
  },
};

export const OUTLIER_PROVIDERS_CELLS: SmallCellSpec<OutlierProvidersResponse> = {
  nested: {
    rows: {
      // A provider's claims; its value and z-score are figures of them. A top list: no secondary cell.
      cells: [{ count: 'claims', with: ['lines', 'paidAmountCents', 'value', 'zScore'], additive: false }],
    },
  },
};

/**
 * Why a record listing (the work queue, the claims behind a denial figure,
 * the overdue submissions) declares no cells: each row is one claim or
 * submission, with its claim id and no member identifier, listed for an
 * analyst to work (the permission table's decision). It counts nothing; but
 * counting its rows recounts a cell, which the small-cell document states.
 */
export const RECORD_LISTING =
  'a record listing: one row per claim or submission (claim ids, no member identifier), no count; ' +
  'see docs/api/small-cell-suppression.md, "Record listings"';
