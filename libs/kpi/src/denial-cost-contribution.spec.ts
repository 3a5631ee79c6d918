import type { EnrichedClaimEvent } from '@claims/contracts';
import { fixtureEnrichedEvent } from '@claims/harness';
import { claimContribution } from './claim-contribution';
import {
  claimKpiContribution,
  denialCostCells,
  denialUnitsOf,
  dimensionCounterDeltas,
  accumulateContribution,
  DIMENSION_COUNTER_MEASURES,
  type ClaimKpiContribution,
  type ClaimKpiDelta,
  type MeasureVector,
  type DimensionCounterDelta,
} from './denial-cost-contribution';
import { parseCarcRootCauses } from './carc-root-cause';
import { adjustmentsOf, claimFactsOf, denialSourceOfLayout, type KpiClaimFacts } from './denial-cost-facts';

/**
 * The contribution arithmetic alone: each event replaces its claim (stored
 * or earlier in the batch), its old contribution subtracted and its new one
 * added, with no versions and no X12 parts (foldClaimBatch adds those).
 */
function foldClaimKpis(
  events: readonly EnrichedClaimEvent[],
  stored: ReadonlyMap<string, ClaimKpiContribution>,
): { delta: ClaimKpiDelta } {
  const latest = new Map<string, ClaimKpiContribution>();
  const delta: ClaimKpiDelta = { counters: {}, cells: new Map() };
  for (const event of events) {
    const previous = latest.get(event.claimId) ?? stored.get(event.claimId);
    const contribution = claimKpiContribution(event);
    if (previous) accumulateContribution(delta, previous, -1);
    accumulateContribution(delta, contribution);
    latest.set(event.claimId, contribution);
  }
  return { delta };
}

/** The cells as `family dimension=value measure=n …`, measures at zero left out, cells at zero dropped. */
function cells(contribution: Iterable<readonly [string, MeasureVector]>): string[] {
  return dimensionCounterDeltas(contribution).map(describeCell);
}

function describeCell(cell: DimensionCounterDelta): string {
  const measures = DIMENSION_COUNTER_MEASURES.flatMap((measure, index) =>
    cell.measures[index] ? [`${measure}=${cell.measures[index]}`] : [],
  );
  return `${cell.family} ${cell.dimension}=${cell.dimensionValue} ${measures.join(' ')}`;
}

/** A DE-SynPUF carrier claim with an allowed, a denied, an MSP/COB and a reprocessed line. */
function carrierClaim(): EnrichedClaimEvent {
  const base = fixtureEnrichedEvent('C1', [
    { indicator: 'A', category: 'allowed', paymentCents: 8000, allowedCents: 10000 },
    { indicator: 'O', category: 'not_allowed', paymentCents: 0, allowedCents: 3000 },
    { indicator: 'S', category: 'msp_cob', paymentCents: 0, allowedCents: 2000 },
    { indicator: 'R', category: 'reprocessed', paymentCents: 500, allowedCents: 700 },
  ]);
  return {
    ...base,
    layout: 'desynpuf.carrier',
    claim: {
      ...base.claim,
      payer: 'MEDICARE',
      serviceThroughDate: '2009-03-14',
      diagnoses: [{ code: '4019', system: 'ICD-9-CM' }],
      lines: base.claim.lines.map((line, index) => ({
        ...line,
        hcpcsCode: index === 0 ? '99213' : null,
        taxId: index === 0 ? null : '111111111',
        deductibleAmountCents: index === 0 ? 1000 : 0,
        coinsuranceAmountCents: index === 0 ? 1000 : 0,
      })),
    },
  };
}

function billingClaim(
  status: 'paid' | 'denied' | 'pending' | 'rejected',
  billedCents: number | null,
): EnrichedClaimEvent {
  const base = fixtureEnrichedEvent('B1', [
    { indicator: null, category: status === 'paid' ? 'allowed' : 'unknown', paymentCents: 0, allowedCents: 0 },
    { indicator: null, category: status === 'paid' ? 'allowed' : 'unknown', paymentCents: 0, allowedCents: 0 },
  ]);
  return {
    ...base,
    layout: 'billing.claim-export',
    enrichment: { ...base.enrichment, providerGroup: { groupKey: 'GRP-1', name: null, found: true } },
    claim: {
      ...base.claim,
      payer: 'Aetna',
      serviceThroughDate: '2024-03-04',
      billedAmountCents: billedCents,
      adjudication: { sourceStatus: status, status, paidAmountCents: null, paidDate: null },
      lines: base.claim.lines.map((line, index) => ({ ...line, chargeAmountCents: index === 0 ? 18500 : 4800 })),
    },
  };
}

describe('denialSourceOfLayout', () => {
  it('counts DE-SynPUF and RIF carrier claims by their lines, 835s as remittance and billing exports by status', () => {
    expect(denialSourceOfLayout('desynpuf.carrier')).toBe('carrier_lines');
    expect(denialSourceOfLayout('rif.carrier')).toBe('carrier_lines');
    expect(denialSourceOfLayout('x12.835')).toBe('remittance');
    expect(denialSourceOfLayout('x12-835-5010')).toBe('remittance');
    expect(denialSourceOfLayout('billing.claim-export')).toBe('billing_export');
    expect(denialSourceOfLayout('desynpuf.inpatient')).toBeNull();
    expect(denialSourceOfLayout('x12.8350')).toBeNull();
    expect(denialSourceOfLayout(null)).toBeNull();
  });
});

describe('denialUnitsOf', () => {
  it('counts allowed and not-allowed carrier lines only, leaving MSP/COB and reprocessed lines out of the denominator', () => {
    expect(denialUnitsOf(claimFactsOf(carrierClaim()))).toEqual({
      source: 'carrier_lines',
      // Amounts: the allowed charge (DE-SynPUF carrier lines carry no submitted charge): 100.00 + 30.00.
      measures: { adjudicated_count: 2, denied_count: 1, adjudicated_amount_cents: 13000, denied_amount_cents: 3000 },
    });
  });

  it('takes a carrier line’s submitted charge over its allowed charge when it has one (RIF)', () => {
    const event = carrierClaim();
    const rif = {
      ...event,
      layout: 'rif.carrier',
      claim: { ...event.claim, lines: event.claim.lines.map((line) => ({ ...line, chargeAmountCents: 20000 })) },
    };
    expect(denialUnitsOf(claimFactsOf(rif))?.measures).toEqual({
      adjudicated_count: 2,
      denied_count: 1,
      adjudicated_amount_cents: 40000,
      denied_amount_cents: 20000,
    });
  });

  it('counts a denied billing-export claim once, at its billed amount, else the sum of its line charges', () => {
    expect(denialUnitsOf(claimFactsOf(billingClaim('denied', null)))).toEqual({
      source: 'billing_export',
      measures: { adjudicated_count: 1, denied_count: 1, adjudicated_amount_cents: 23300, denied_amount_cents: 23300 },
    });
    expect(denialUnitsOf(claimFactsOf(billingClaim('paid', 25000)))?.measures).toEqual({
      adjudicated_count: 1,
      denied_count: 0,
      adjudicated_amount_cents: 25000,
      denied_amount_cents: 0,
    });
  });

  it('leaves pending and rejected claims out of the denominator', () => {
    expect(denialUnitsOf(claimFactsOf(billingClaim('pending', null)))).toBeNull();
    expect(denialUnitsOf(claimFactsOf(billingClaim('rejected', null)))).toBeNull();
  });
});

describe('denialCostCells', () => {
  it('adds a carrier claim to every dimension, its lines by HCPCS, and its line denials by payer, type, month and group', () => {
    expect(cells(denialCostCells(claimFactsOf(carrierClaim())))).toEqual(
      [
        // claims: 1 claim, 4 lines, billed 0 (no charges), allowed 157.00, paid 85.00, patient 20.00
        'claims payer=MEDICARE claims=1 lines=4 allowed_amount_cents=15700 paid_amount_cents=8500 patient_responsibility_amount_cents=2000',
        'claims claim_type=professional claims=1 lines=4 allowed_amount_cents=15700 paid_amount_cents=8500 patient_responsibility_amount_cents=2000',
        'claims month=2009-03 claims=1 lines=4 allowed_amount_cents=15700 paid_amount_cents=8500 patient_responsibility_amount_cents=2000',
        // No group from enrichment: the first line with a tax number names it.
        'claims provider_group=111111111 claims=1 lines=4 allowed_amount_cents=15700 paid_amount_cents=8500 patient_responsibility_amount_cents=2000',
        'claims state=(unknown) claims=1 lines=4 allowed_amount_cents=15700 paid_amount_cents=8500 patient_responsibility_amount_cents=2000',
        'claims diagnosis=4019 claims=1 lines=4 allowed_amount_cents=15700 paid_amount_cents=8500 patient_responsibility_amount_cents=2000',
        'denials:carrier_lines payer=MEDICARE adjudicated_count=2 denied_count=1 adjudicated_amount_cents=13000 denied_amount_cents=3000',
        'denials:carrier_lines claim_type=professional adjudicated_count=2 denied_count=1 adjudicated_amount_cents=13000 denied_amount_cents=3000',
        'denials:carrier_lines month=2009-03 adjudicated_count=2 denied_count=1 adjudicated_amount_cents=13000 denied_amount_cents=3000',
        'denials:carrier_lines provider_group=111111111 adjudicated_count=2 denied_count=1 adjudicated_amount_cents=13000 denied_amount_cents=3000',
        'lines hcpcs=99213 lines=1 allowed_amount_cents=10000 paid_amount_cents=8000 patient_responsibility_amount_cents=2000',
      ].sort(),
    );
  });

  it('counts a pharmacy claim as a fill of its NDC with its paid amount and days supply', () => {
    const base = fixtureEnrichedEvent('P1', []);
    const fill: EnrichedClaimEvent = {
      ...base,
      layout: 'desynpuf.prescription-drug-events',
      claim: {
        ...base.claim,
        claimType: 'pharmacy',
        totals: { paymentAmountCents: 4200, allowedAmountCents: 0 },
        drug: { ndcCode: '00093505698', quantityDispensed: 30, daysSupply: 30 },
      },
    };
    expect(cells(denialCostCells(claimFactsOf(fill))).filter((cell) => cell.startsWith('drug_fills'))).toEqual([
      'drug_fills ndc=00093505698 claims=1 paid_amount_cents=4200 days_supply=30',
    ]);
  });

  it('counts 835 adjustments by group code and by group code and CARC when the adjudication carries them', () => {
    const event = billingClaim('denied', 10000);
    const adjudication = {
      sourceStatus: '4',
      status: 'denied' as const,
      paidAmountCents: 0,
      paidDate: null,
      adjustments: [
        { lineNumber: 1, groupCode: 'CO', carc: '50', amountCents: 8000, quantity: null },
        { lineNumber: 2, groupCode: 'PR', carc: '1', amountCents: 2000, quantity: null },
        { lineNumber: 2, groupCode: 'CO', carc: '50', amountCents: 500, quantity: null },
      ],
    };
    const remittance = { ...event, layout: 'x12.835', claim: { ...event.claim, adjudication } };
    const adjustmentCells = cells(denialCostCells(claimFactsOf(remittance))).filter((cell) =>
      cell.startsWith('adjustments'),
    );
    expect(adjustmentCells).toEqual([
      'adjustments carc=CO-50 adjustments=2 adjustment_amount_cents=8500',
      'adjustments carc=PR-1 adjustments=1 adjustment_amount_cents=2000',
      'adjustments group_code=CO adjustments=2 adjustment_amount_cents=8500',
      'adjustments group_code=PR adjustments=1 adjustment_amount_cents=2000',
    ]);
    expect(denialUnitsOf(claimFactsOf(remittance))?.source).toBe('remittance');
  });

  it('adds nothing for a claim stored before these families existed (no layout)', () => {
    const facts: KpiClaimFacts = { ...claimFactsOf(carrierClaim()), layout: null };
    expect(denialCostCells(facts)).toEqual([]);
  });
});

describe('adjustmentsOf', () => {
  it('reads no adjustments from an adjudication without them, and drops malformed entries', () => {
    expect(adjustmentsOf(null)).toEqual([]);
    expect(adjustmentsOf({ status: 'paid' })).toEqual([]);
    expect(
      adjustmentsOf({ adjustments: [{ groupCode: 'CO', carc: '45', amountCents: 1.5 }, { groupCode: 'OA' }, null] }),
    ).toEqual([]);
  });

  it('classifies an event adjustment by the mapping and keeps the root cause a stored one was folded with', () => {
    expect(
      adjustmentsOf(
        {
          adjustments: [
            { lineNumber: 2, groupCode: 'CO', carc: '97', amountCents: 500 },
            { groupCode: 'CO', carc: '97', amountCents: 100, scenario: 'service_not_covered', category: 'coverage' },
          ],
        },
        TEST_ROOT_CAUSES,
      ),
    ).toEqual([
      {
        lineNumber: 2,
        groupCode: 'CO',
        carc: '97',
        amountCents: 500,
        scenario: 'not_separately_payable',
        category: 'bundling',
      },
      {
        lineNumber: null,
        groupCode: 'CO',
        carc: '97',
        amountCents: 100,
        scenario: 'service_not_covered',
        category: 'coverage',
      },
    ]);
  });
});

/** A small mapping of our own, so these scenarios do not move when the shipped file grows. */
const TEST_ROOT_CAUSES = parseCarcRootCauses(
  [
    'carc,scenario,category,label,source',
    '1,outside_core_scenarios,patient_responsibility,deductible,test',
    '2,outside_core_scenarios,patient_responsibility,coinsurance,test',
    '3,outside_core_scenarios,patient_responsibility,copay,test',
    '45,outside_core_scenarios,contractual,above fee schedule,test',
    '16,missing_claim_data,missing_information,lacks information,test',
    '50,service_not_covered,medical_necessity,not necessary,test',
    '97,not_separately_payable,bundling,bundled,test',
  ].join('\n'),
);

interface RemittanceSpec {
  claimId?: string;
  eventId?: string;
  /** CLP02. */
  statusCode: string;
  /** CLP04. */
  paidCents: number;
  /** SVC02 and SVC03 of each line. */
  lines: Array<{ chargeCents: number; paidCents: number }>;
  /** CAS: group-carc, amount, line (null for the claim). */
  cas: Array<[string, number, number | null]>;
}

const STATUS_OF_CLP02: Record<string, 'paid' | 'partially_paid' | 'denied' | null> = {
  '1': 'paid',
  '2': 'partially_paid',
  '4': 'denied',
  '22': null,
};

/** An 835 claim payment as the X12 mapper emits it, built from the CLP/SVC/CAS values a test names. */
function remittanceClaim(spec: RemittanceSpec): EnrichedClaimEvent {
  const base = fixtureEnrichedEvent(
    spec.claimId ?? 'R1',
    spec.lines.map((line) => ({
      indicator: null,
      category: 'unknown' as const,
      paymentCents: line.paidCents,
      allowedCents: 0,
    })),
  );
  const billedCents = spec.lines.reduce((sum, line) => sum + line.chargeCents, 0);
  return {
    ...base,
    ...(spec.eventId ? { eventId: spec.eventId } : {}),
    layout: 'x12.835',
    claim: {
      ...base.claim,
      payer: 'ACME HEALTH',
      serviceThroughDate: '2024-05-02',
      billedAmountCents: billedCents,
      totals: { paymentAmountCents: spec.paidCents, allowedAmountCents: 0 },
      lines: base.claim.lines.map((line, index) => ({
        ...line,
        chargeAmountCents: spec.lines[index]?.chargeCents ?? 0,
      })),
      adjudication: {
        sourceStatus: spec.statusCode,
        status: STATUS_OF_CLP02[spec.statusCode] ?? null,
        paidAmountCents: spec.paidCents,
        paidDate: '2024-05-20',
        claimStatusCode: spec.statusCode,
        reversal: spec.statusCode === '22',
        adjustments: spec.cas.map(([code, amountCents, lineNumber]) => {
          const [groupCode = '', carc = ''] = code.split('-');
          return { lineNumber, groupCode, carc, amountCents, quantity: null };
        }),
      },
    },
  };
}

const remittanceCells = (event: EnrichedClaimEvent, prefix = 'denials:remittance'): string[] =>
  cells(denialCostCells(claimFactsOf(event, TEST_ROOT_CAUSES))).filter((cell) => cell.startsWith(prefix));
const cellsOf = (event: EnrichedClaimEvent, family: string, dimension: string): string[] =>
  remittanceCells(event, `${family} ${dimension}=`);

describe('835 denials, not adjustments', () => {
  it('does not deny a claim paid nothing because everything went to the deductible (PR-1)', () => {
    const event = remittanceClaim({
      statusCode: '1',
      paidCents: 0,
      lines: [{ chargeCents: 12000, paidCents: 0 }],
      cas: [['PR-1', 12000, 1]],
    });
    expect(cellsOf(event, 'denials:remittance', 'payer')).toEqual([
      'denials:remittance payer=ACME HEALTH adjudicated_count=1 adjudicated_amount_cents=12000',
    ]);
    expect(cellsOf(event, 'denials:remittance_lines', 'payer')).toEqual([
      'denials:remittance_lines payer=ACME HEALTH adjudicated_count=1 adjudicated_amount_cents=12000',
    ]);
    expect(remittanceCells(event).filter((cell) => /root_cause|carc=/.test(cell))).toEqual([]);
  });

  it('does not deny a claim written down to zero by a contractual CO-45 with copay and coinsurance', () => {
    const event = remittanceClaim({
      statusCode: '1',
      paidCents: 0,
      lines: [{ chargeCents: 10000, paidCents: 0 }],
      cas: [
        ['CO-45', 7000, 1],
        ['PR-3', 2000, 1],
        ['PR-2', 1000, 1],
      ],
    });
    expect(cellsOf(event, 'denials:remittance', 'month')).toEqual([
      'denials:remittance month=2024-05 adjudicated_count=1 adjudicated_amount_cents=10000',
    ]);
  });

  it('denies a CLP02 1 claim paid nothing for a denial CARC, and files it by scenario, category and CARC', () => {
    const event = remittanceClaim({
      statusCode: '1',
      paidCents: 0,
      lines: [
        { chargeCents: 8000, paidCents: 0 },
        { chargeCents: 2000, paidCents: 0 },
      ],
      cas: [
        ['CO-50', 8000, 1],
        ['PR-1', 2000, 2],
      ],
    });
    expect(cellsOf(event, 'denials:remittance', 'payer')).toEqual([
      'denials:remittance payer=ACME HEALTH adjudicated_count=1 denied_count=1 adjudicated_amount_cents=10000 denied_amount_cents=10000',
    ]);
    expect(cellsOf(event, 'denials:remittance', 'root_cause_scenario')).toEqual([
      'denials:remittance root_cause_scenario=service_not_covered denied_count=1 adjustments=1 adjustment_amount_cents=8000',
    ]);
    expect(cellsOf(event, 'denials:remittance', 'root_cause_category')).toEqual([
      'denials:remittance root_cause_category=medical_necessity denied_count=1 adjustments=1 adjustment_amount_cents=8000',
    ]);
    // Line 1 is denied (zero paid, CO-50); line 2 went to the deductible and is not.
    expect(cellsOf(event, 'denials:remittance_lines', 'payer')).toEqual([
      'denials:remittance_lines payer=ACME HEALTH adjudicated_count=2 denied_count=1 adjudicated_amount_cents=10000 denied_amount_cents=8000',
    ]);
    expect(cellsOf(event, 'denials:remittance_lines', 'carc')).toEqual([
      'denials:remittance_lines carc=50 denied_count=1 adjustments=1 adjustment_amount_cents=8000',
    ]);
  });

  it('denies a CLP02 4 claim even without CAS, filing it under (none)', () => {
    const event = remittanceClaim({ statusCode: '4', paidCents: 0, lines: [], cas: [] });
    expect(remittanceCells(event).filter((cell) => !/ (payer|month|claim_type|provider_group)=/.test(cell))).toEqual([
      'denials:remittance carc=(none) denied_count=1',
      'denials:remittance root_cause_category=(none) denied_count=1',
      'denials:remittance root_cause_scenario=(none) denied_count=1',
    ]);
  });

  it('denies a bundled line (SVC03 zero, CO-97) of a partially paid claim without denying the claim', () => {
    const event = remittanceClaim({
      statusCode: '2',
      paidCents: 6000,
      lines: [
        { chargeCents: 9000, paidCents: 6000 },
        { chargeCents: 1500, paidCents: 0 },
      ],
      cas: [
        ['CO-45', 3000, 1],
        ['CO-97', 1500, 2],
      ],
    });
    expect(cellsOf(event, 'denials:remittance', 'payer')).toEqual([
      'denials:remittance payer=ACME HEALTH adjudicated_count=1 adjudicated_amount_cents=10500',
    ]);
    expect(cellsOf(event, 'denials:remittance_lines', 'root_cause_scenario')).toEqual([
      'denials:remittance_lines root_cause_scenario=not_separately_payable denied_count=1 adjustments=1 adjustment_amount_cents=1500',
    ]);
  });

  it('counts a denied unit once per cause, under each of its causes, with each cause’s own cents', () => {
    const event = remittanceClaim({
      statusCode: '4',
      paidCents: 0,
      lines: [{ chargeCents: 5000, paidCents: 0 }],
      cas: [
        ['CO-16', 3000, 1],
        ['CO-16', 500, 1],
        ['CO-50', 1500, 1],
      ],
    });
    expect(cellsOf(event, 'denials:remittance_lines', 'carc')).toEqual([
      'denials:remittance_lines carc=16 denied_count=1 adjustments=2 adjustment_amount_cents=3500',
      'denials:remittance_lines carc=50 denied_count=1 adjustments=1 adjustment_amount_cents=1500',
    ]);
  });

  it('denies a zero payment explained by an unlisted CARC and files it as other, under its code', () => {
    const event = remittanceClaim({
      statusCode: '1',
      paidCents: 0,
      lines: [{ chargeCents: 4000, paidCents: 0 }],
      cas: [['CO-ZZ9', 4000, 1]],
    });
    expect(cellsOf(event, 'denials:remittance', 'root_cause_category')).toEqual([
      'denials:remittance root_cause_category=other denied_count=1 adjustments=1 adjustment_amount_cents=4000',
    ]);
    expect(cellsOf(event, 'denials:remittance', 'carc')).toEqual([
      'denials:remittance carc=ZZ9 denied_count=1 adjustments=1 adjustment_amount_cents=4000',
    ]);
  });
});

describe('835 reversal and correction', () => {
  const original = remittanceClaim({
    eventId: '00000000-0000-4000-8000-000000000101',
    statusCode: '4',
    paidCents: 0,
    lines: [{ chargeCents: 10000, paidCents: 0 }],
    cas: [['CO-16', 10000, 1]],
  });
  // CLP02 22: the payer takes the denial back, every amount negated.
  const reversal = remittanceClaim({
    eventId: '00000000-0000-4000-8000-000000000102',
    statusCode: '22',
    paidCents: 0,
    lines: [{ chargeCents: -10000, paidCents: 0 }],
    cas: [['CO-16', -10000, 1]],
  });
  const correction = remittanceClaim({
    eventId: '00000000-0000-4000-8000-000000000103',
    statusCode: '1',
    paidCents: 7000,
    lines: [{ chargeCents: 10000, paidCents: 7000 }],
    cas: [['CO-45', 3000, 1]],
  });
  const denialAndAdjustmentCells = (delta: ReturnType<typeof foldClaimKpis>['delta']) =>
    cells(delta.cells).filter((cell) => cell.startsWith('denials:remittance') || cell.startsWith('adjustments'));

  it('undoes the denial and its adjustments when the reversal arrives, leaving nothing of the claim', () => {
    const stored = new Map([[original.claimId, claimKpiContribution(original)]]);
    const { delta } = foldClaimKpis([reversal], stored);
    const net = new Map<string, number[]>();
    for (const [key, vector] of [...(stored.get(original.claimId)?.cells ?? []), ...delta.cells]) {
      net.set(
        key,
        (net.get(key) ?? vector.map(() => 0)).map((value, index) => value + (vector[index] ?? 0)),
      );
    }
    expect(denialAndAdjustmentCells({ counters: {}, cells: net })).toEqual([]);
  });

  it('counts only the correction once a reversal and its correction follow the original', () => {
    const { delta } = foldClaimKpis([original, reversal, correction], new Map());
    expect(denialAndAdjustmentCells(delta)).toEqual(
      cells(denialCostCells(claimFactsOf(correction))).filter(
        (cell) => cell.startsWith('denials:remittance') || cell.startsWith('adjustments'),
      ),
    );
    expect(denialAndAdjustmentCells(delta).filter((cell) => / denied_count=/.test(cell))).toEqual([]);
  });
});

describe('claimKpiContribution in a fold', () => {
  it('is the first family’s counters and the denial and cost families’ cells', () => {
    const event = carrierClaim();
    const contribution = claimKpiContribution(event);
    expect(contribution.counters).toEqual(claimContribution(event));
    expect(cells(contribution.cells)).toEqual(cells(denialCostCells(claimFactsOf(event))));
  });

  it('moves the counters by exactly the correction when a billing claim is replaced (paid → denied)', () => {
    const paid = billingClaim('paid', 25000);
    const denied = { ...billingClaim('denied', 25000), eventId: '00000000-0000-4000-8000-000000000002' };
    const { delta } = foldClaimKpis([paid, denied], new Map());
    expect(cells(delta.cells).filter((cell) => cell.startsWith('denials:billing_export'))).toEqual([
      'denials:billing_export claim_type=professional adjudicated_count=1 denied_count=1 adjudicated_amount_cents=25000 denied_amount_cents=25000',
      'denials:billing_export month=2024-03 adjudicated_count=1 denied_count=1 adjudicated_amount_cents=25000 denied_amount_cents=25000',
      'denials:billing_export payer=Aetna adjudicated_count=1 denied_count=1 adjudicated_amount_cents=25000 denied_amount_cents=25000',
      'denials:billing_export provider_group=GRP-1 adjudicated_count=1 denied_count=1 adjudicated_amount_cents=25000 denied_amount_cents=25000',
    ]);
    // The same version again against its stored contribution nets to nothing.
    const again = foldClaimKpis([denied], new Map([[denied.claimId, claimKpiContribution(denied)]]));
    expect(again.delta.counters).toEqual({});
    expect(cells(again.delta.cells)).toEqual([]);
  });

  it('subtracts the stored version when the new one moves the claim to another month and group', () => {
    const stored = billingClaim('denied', 25000);
    const moved = {
      ...stored,
      eventId: '00000000-0000-4000-8000-000000000003',
      enrichment: { ...stored.enrichment, providerGroup: { groupKey: 'GRP-2', name: null, found: true } },
      claim: { ...stored.claim, serviceThroughDate: '2024-04-01' },
    };
    const { delta } = foldClaimKpis([moved], new Map([[stored.claimId, claimKpiContribution(stored)]]));
    expect(cells(delta.cells).filter((cell) => cell.startsWith('denials:billing_export'))).toEqual([
      'denials:billing_export month=2024-03 adjudicated_count=-1 denied_count=-1 adjudicated_amount_cents=-25000 denied_amount_cents=-25000',
      'denials:billing_export month=2024-04 adjudicated_count=1 denied_count=1 adjudicated_amount_cents=25000 denied_amount_cents=25000',
      'denials:billing_export provider_group=GRP-1 adjudicated_count=-1 denied_count=-1 adjudicated_amount_cents=-25000 denied_amount_cents=-25000',
      'denials:billing_export provider_group=GRP-2 adjudicated_count=1 denied_count=1 adjudicated_amount_cents=25000 denied_amount_cents=25000',
    ]);
  });
});

describe('dimensionCounterDeltas', () => {
  it('keeps a dimension value holding separators whole', () => {
    const split = dimensionCounterDeltas(
      denialCostCells({ ...claimFactsOf(carrierClaim()), providerGroup: 'a\u001fb|c' }),
    );
    expect(split.find((cell) => cell.family === 'claims' && cell.dimension === 'provider_group')?.dimensionValue).toBe(
      'a\u001fb|c',
    );
  });
});

describe('835 patient responsibility', () => {
  const claimsCell = (event: EnrichedClaimEvent): string[] =>
    cells(denialCostCells(claimFactsOf(event, TEST_ROOT_CAUSES))).filter((cell) => cell.startsWith('claims payer='));

  it('counts a claim-level PR-1 deductible and PR-2 coinsurance of a claim paid without SVC lines (an inpatient Part A claim)', () => {
    // CLP*IP-1*1*1000*636.40*363.60 with CAS*PR*1*340**2*23.60 and CAS*CO*45*0 at claim level, no SVC.
    const event = remittanceClaim({
      claimId: 'IP-1',
      statusCode: '1',
      paidCents: 63640,
      lines: [],
      cas: [
        ['PR-1', 34000, null],
        ['PR-2', 2360, null],
        ['PR-3', 500, null],
      ],
    });
    expect(claimsCell(event)).toEqual([
      'claims payer=ACME HEALTH claims=1 paid_amount_cents=63640 patient_responsibility_amount_cents=36360',
    ]);
  });

  it('adds the claim-level PR-1 to the lines’ deductible and coinsurance, counting each once', () => {
    const base = remittanceClaim({
      statusCode: '1',
      paidCents: 6000,
      lines: [{ chargeCents: 10000, paidCents: 6000 }],
      cas: [
        ['PR-1', 1000, null],
        ['PR-2', 3000, 1],
      ],
    });
    // The mapper puts a line's own PR-2 on the line as its coinsurance; the claim-level PR-1 has no line.
    const event = {
      ...base,
      claim: { ...base.claim, lines: base.claim.lines.map((line) => ({ ...line, coinsuranceAmountCents: 3000 })) },
    };
    expect(claimsCell(event)).toEqual([
      'claims payer=ACME HEALTH claims=1 lines=1 billed_amount_cents=10000 paid_amount_cents=6000 patient_responsibility_amount_cents=4000',
    ]);
  });
});

describe('blank dimension values', () => {
  /** A carrier claim whose source wrote blanks: a group key, a service location's state and a tax number of spaces. */
  function claimWithBlanks(): EnrichedClaimEvent {
    const base = carrierClaim();
    return {
      ...base,
      enrichment: {
        ...base.enrichment,
        providerGroup: { groupKey: ' ', name: null, found: false },
        serviceLocation: {
          locationKey: null,
          name: null,
          address1: '1 Main St',
          city: null,
          state: '',
          stateName: null,
          countyName: null,
          zip: null,
          effectiveDate: null,
        },
      },
      claim: {
        ...base.claim,
        lines: base.claim.lines.map((line, index) => ({ ...line, taxId: index === 1 ? '  ' : line.taxId })),
      },
    };
  }

  it('reads a blank group key as no group, so the first line with a non-blank tax number names the group', () => {
    // Line 2 carries a tax number of spaces, line 3 the real one.
    expect(claimFactsOf(claimWithBlanks()).providerGroup).toBe('111111111');
  });

  it('counts a claim whose group key and tax numbers are all blank under (unknown), as the pended queue does', () => {
    const event = claimWithBlanks();
    const blankTaxIds: EnrichedClaimEvent = {
      ...event,
      claim: { ...event.claim, lines: event.claim.lines.map((line) => ({ ...line, taxId: '' })) },
    };
    expect(claimFactsOf(blankTaxIds).providerGroup).toBe('(unknown)');
  });

  it("reads a blank service location state as none, falling back to the member's state name, else (unknown)", () => {
    const event = claimWithBlanks();
    expect(claimFactsOf(event).state).toBe('(unknown)');
    const withMember: EnrichedClaimEvent = {
      ...event,
      enrichment: {
        ...event.enrichment,
        member: {
          found: true,
          ageAtService: 70,
          sex: null,
          ssaStateCode: '21',
          stateName: 'Maryland',
          ssaCountyCode: null,
          coveredInServiceMonth: true,
        },
      },
    };
    expect(claimFactsOf(withMember).state).toBe('Maryland');
  });
});
