import { PendDecisionSchema, type ClaimEvent, type MemberReference, type ReferenceEvent } from '@claims/contracts';
import { EMPTY_ENRICHMENT_CODES, enrichClaim } from '../enrich';
import {
  claimEvent,
  cleanDirectory,
  GROUP_LOCATION,
  groupVersion,
  line,
  locationVersion,
  memberRecord,
  NPI,
  providerRecord,
  providerVersion,
  TAX_ID,
} from '../enrich/__fixtures__/reference-fixtures';
import { ReferenceTables } from '../tables';
import { decidePend, judgePend, pendDependencies, reevaluateAfterReferenceChange } from './decide-pend';
import { duplicateFingerprints, NO_DUPLICATES, type PendContext } from './duplicate-fingerprints';
import { loadPendRuleSet, loadShippedPendRuleSet } from './pend-rule-set';

const ruleSet = loadShippedPendRuleSet();

function tablesWith(extra: ReferenceEvent[] = [], members?: MemberReference[]): ReferenceTables {
  const directory = cleanDirectory();
  const tables = new ReferenceTables();
  for (const version of [...directory.versions, ...extra]) tables.apply(version);
  for (const member of members ?? directory.members) tables.applyMember(member);
  return tables;
}

function decide(event: ClaimEvent, tables: ReferenceTables, context: PendContext = NO_DUPLICATES) {
  return decidePend(event, enrichClaim(event, tables, EMPTY_ENRICHMENT_CODES), tables, ruleSet, context);
}

/** Served 2008-03-10, received 2008-03-20, rendered by an NPI the directory does not know yet. */
const unknownProviderClaim = claimEvent({ lines: [line({ renderingNpi: NPI.second })] });

describe('decidePend', () => {
  it('calls a claim no rule catches clean, with every pend field null', () => {
    expect(decide(claimEvent(), tablesWith())).toEqual({
      ruleSetVersion: '2026-12-07.3',
      status: 'clean',
      reasons: [],
      queue: null,
      pendedOn: null,
      clearedOn: null,
      clearedBy: null,
    });
  });

  it('pends on the received date, in the queue of the most severe reason', () => {
    const event = claimEvent({ lines: [line({ renderingNpi: NPI.second })], billedAmountCents: 5_000_000 });

    const decision = decide(event, tablesWith());

    expect(PendDecisionSchema.parse(decision)).toEqual(decision);
    expect(decision).toMatchObject({
      status: 'pended',
      queue: 'Provider Data',
      pendedOn: '2008-03-20',
      clearedOn: null,
      clearedBy: null,
    });
    expect(decision.reasons.map((reason) => [reason.code, reason.severity])).toEqual([
      ['PROVIDER_NOT_FOUND', 'high'],
      ['AMOUNT_OVER_THRESHOLD', 'medium'],
    ]);
  });

  it('breaks a severity tie by rule order', () => {
    const incomplete = tablesWith([
      providerVersion(NPI.rendering, '2008-01-01', providerRecord(NPI.rendering, { lastName: null })),
      locationVersion(GROUP_LOCATION, '2008-01-01', { effectiveDate: '2008-04-01' }),
    ]);
    const event = claimEvent({ billedAmountCents: 5_000_000 });

    const decision = decide(event, incomplete);

    expect(decision.reasons.map((reason) => reason.code)).toEqual([
      'PROVIDER_INCOMPLETE',
      'LOCATION_NOT_EFFECTIVE',
      'AMOUNT_OVER_THRESHOLD',
    ]);
    expect(decision.queue).toBe('Provider Data');
  });

  it('pends on the event date when the claim states no received date', () => {
    const event = claimEvent(
      { lines: [line({ renderingNpi: NPI.second })], receivedDate: null },
      { occurredAt: '2008-03-25' },
    );

    expect(decide(event, tablesWith()).pendedOn).toBe('2008-03-25');
  });

  it('clears a claim on the day its missing provider enters the directory', () => {
    const decision = decide(unknownProviderClaim, tablesWith([providerVersion(NPI.second, '2008-04-15')]));

    expect(decision).toMatchObject({
      status: 'cleared',
      pendedOn: '2008-03-20',
      clearedOn: '2008-04-15',
      clearedBy: 'reference',
    });
    expect(decision.reasons.map((reason) => reason.code)).toEqual(['PROVIDER_NOT_FOUND']);
  });

  it('clears a claim waiting on two providers on the later of their two fixes', () => {
    const event = claimEvent({ lines: [line({ renderingNpi: NPI.second })], billingNpi: NPI.billing });
    const tables = tablesWith([providerVersion(NPI.second, '2008-04-15'), providerVersion(NPI.billing, '2008-05-02')]);

    expect(decide(event, tables)).toMatchObject({ status: 'cleared', clearedOn: '2008-05-02' });
  });

  it('does not pend at all when the fix was in force before the claim entered the queue', () => {
    expect(decide(unknownProviderClaim, tablesWith([providerVersion(NPI.second, '2008-03-01')])).status).toBe('clean');
    expect(decide(unknownProviderClaim, tablesWith([providerVersion(NPI.second, '2008-03-15')])).status).toBe('clean');
  });

  it('clears an incomplete provider on the date a complete version takes effect', () => {
    const tables = tablesWith([
      providerVersion(NPI.rendering, '2008-01-01', providerRecord(NPI.rendering, { practiceAddress: null })),
      providerVersion(NPI.rendering, '2008-06-01'),
    ]);

    expect(decide(claimEvent(), tables)).toMatchObject({ status: 'cleared', clearedOn: '2008-06-01' });
  });

  it('clears a location pend when a corrected version moves the opening date before the service', () => {
    const tables = tablesWith([
      locationVersion(GROUP_LOCATION, '2008-01-01', { effectiveDate: '2008-04-01' }),
      locationVersion(GROUP_LOCATION, '2008-05-10', { effectiveDate: '2008-03-01' }),
    ]);

    expect(decide(claimEvent(), tables)).toMatchObject({ status: 'cleared', clearedOn: '2008-05-10' });
  });

  it('keeps waiting when a later version is no fix, and when no later version exists', () => {
    const stillIncomplete = tablesWith([
      providerVersion(NPI.rendering, '2008-01-01', providerRecord(NPI.rendering, { practiceAddress: null })),
      providerVersion(
        NPI.rendering,
        '2008-06-01',
        providerRecord(NPI.rendering, { practiceAddress: null, credential: 'DO' }),
      ),
    ]);

    expect(decide(claimEvent(), stillIncomplete).status).toBe('pended');
    expect(decide(unknownProviderClaim, tablesWith()).status).toBe('pended');
  });

  it('never clears by reference a claim with a reason only adjudication clears', () => {
    const event = claimEvent({ lines: [line({ renderingNpi: NPI.second })], billedAmountCents: 5_000_000 });

    expect(decide(event, tablesWith([providerVersion(NPI.second, '2008-04-15')])).status).toBe('pended');
  });

  it('does not clear a member pend by date, since member records have no effective date', () => {
    const lapsed = tablesWith([], [memberRecord({ coverageMonths: { partA: 12, partB: 2, hmo: 0, partD: 12 } })]);

    expect(decide(claimEvent(), lapsed)).toMatchObject({ status: 'pended', queue: 'Eligibility' });
  });

  it('gives identical decisions whatever order the directory versions were applied in', () => {
    const versions = [
      providerVersion(NPI.second, '2008-05-02'),
      providerVersion(NPI.second, '2008-04-15', providerRecord(NPI.second, { lastName: null })),
      providerVersion(NPI.billing, '2008-04-20'),
      providerVersion(NPI.billing, '2008-06-01', null),
      locationVersion(GROUP_LOCATION, '2008-04-01', { effectiveDate: '2008-03-01', name: 'RENAMED' }),
    ];
    const event = claimEvent({ lines: [line({ renderingNpi: NPI.second })], billingNpi: NPI.billing });
    const forwards = tablesWith(versions);
    const backwards = tablesWith([...versions].reverse());

    const decision = decide(event, forwards);

    expect(decision).toMatchObject({ status: 'cleared', clearedOn: '2008-05-02' });
    expect(decide(event, backwards)).toEqual(decision);
  });
});

describe('reevaluateAfterReferenceChange', () => {
  it('returns the stored decision unchanged while the claim still waits', () => {
    const tables = tablesWith();
    const previous = decide(unknownProviderClaim, tables);

    expect(reevaluateAfterReferenceChange(unknownProviderClaim, previous, tables, ruleSet, NO_DUPLICATES)).toBe(
      previous,
    );
  });

  it("clears a stored pend on the fix's effective date when the fix arrives after the claim", () => {
    const tables = tablesWith();
    const previous = decide(unknownProviderClaim, tables);
    tables.apply(providerVersion(NPI.second, '2008-04-15'));

    expect(reevaluateAfterReferenceChange(unknownProviderClaim, previous, tables, ruleSet, NO_DUPLICATES)).toEqual({
      ...previous,
      status: 'cleared',
      clearedOn: '2008-04-15',
      clearedBy: 'reference',
    });
  });

  it('clears on the pend date when the fix arriving late was already in force then', () => {
    const tables = tablesWith();
    const previous = decide(unknownProviderClaim, tables);
    tables.apply(providerVersion(NPI.second, '2008-01-01'));

    expect(
      reevaluateAfterReferenceChange(unknownProviderClaim, previous, tables, ruleSet, NO_DUPLICATES),
    ).toMatchObject({
      status: 'cleared',
      clearedOn: '2008-03-20',
      reasons: previous.reasons,
    });
  });

  it('clears a member pend on the pend date when a corrected member record arrives', () => {
    const tables = tablesWith([], [memberRecord({ coverageMonths: { partA: 12, partB: 2, hmo: 0, partD: 12 } })]);
    const previous = decide(claimEvent(), tables);
    tables.applyMember(memberRecord());

    expect(reevaluateAfterReferenceChange(claimEvent(), previous, tables, ruleSet, NO_DUPLICATES)).toMatchObject({
      status: 'cleared',
      clearedOn: '2008-03-20',
      clearedBy: 'reference',
    });
  });

  it('leaves a claim pended for a duplicate as it is, whatever the directory does', () => {
    const event = claimEvent();
    const fingerprint = duplicateFingerprints(event)[0]!;
    const context: PendContext = {
      duplicateOf: (candidate) =>
        candidate === fingerprint ? { claimId: 'CLM-0', occurredAt: '2008-03-18' } : undefined,
    };
    const tables = tablesWith();
    const previous = decide(event, tables, context);

    expect(previous.reasons.map((reason) => reason.code)).toEqual(['DUPLICATE_SUSPECT']);
    expect(reevaluateAfterReferenceChange(event, previous, tables, ruleSet, context)).toBe(previous);
  });
});

describe('a fix that leads to another flaw', () => {
  /** Rendered by NPI.second, not in the directory yet, under a tax id no group holds: the provider names the location. */
  const chainedClaim = claimEvent({ lines: [line({ renderingNpi: NPI.second, taxId: '999999999' })] });
  const LATE_LOCATION = 'loc-opens-late';
  /** The provider's fix (2008-04-15) names a location that, as listed then, opened after the service (2008-03-10). */
  const providerFix = providerVersion(
    NPI.second,
    '2008-04-15',
    providerRecord(NPI.second, { groupKey: null, locationKey: LATE_LOCATION }),
  );
  const lateLocation = locationVersion(LATE_LOCATION, '2008-01-01', { effectiveDate: '2008-04-01' });
  /** The location's own fix (2008-06-01) moves its opening before the service. */
  const locationFix = locationVersion(LATE_LOCATION, '2008-06-01', { effectiveDate: '2008-03-01' });

  it('clears on the date the second fix takes effect when both are in the directory', () => {
    const decision = decide(chainedClaim, tablesWith([providerFix, lateLocation, locationFix]));

    expect(decision).toMatchObject({ status: 'cleared', pendedOn: '2008-03-20', clearedOn: '2008-06-01' });
    expect(decision.reasons.map((reason) => reason.code)).toEqual(['PROVIDER_NOT_FOUND']);
  });

  it('files the claim under the location the first fix names, so that the second fix, arriving last, clears it', () => {
    const tables = tablesWith();
    const pended = decide(chainedClaim, tables);
    expect(pendDependencies(chainedClaim, pended, tables, ruleSet)).toEqual([{ kind: 'provider', key: NPI.second }]);

    tables.apply(providerFix);
    tables.apply(lateLocation);
    const stillPended = reevaluateAfterReferenceChange(chainedClaim, pended, tables, ruleSet, NO_DUPLICATES);
    expect(stillPended.status).toBe('pended');
    expect(pendDependencies(chainedClaim, stillPended, tables, ruleSet)).toEqual([
      { kind: 'provider', key: NPI.second },
      { kind: 'service_location', key: LATE_LOCATION },
    ]);

    tables.apply(locationFix);
    expect(reevaluateAfterReferenceChange(chainedClaim, stillPended, tables, ruleSet, NO_DUPLICATES)).toMatchObject({
      status: 'cleared',
      clearedOn: '2008-06-01',
      clearedBy: 'reference',
    });
  });

  it("files a claim also pended for the member's coverage under the location the fix names, so that location's fix clears it", () => {
    const tables = tablesWith([], [memberRecord({ coverageMonths: { partA: 12, partB: 2, hmo: 0, partD: 12 } })]);
    let decision = decide(chainedClaim, tables);
    expect(decision.reasons.map((reason) => reason.code)).toEqual(['PROVIDER_NOT_FOUND', 'MEMBER_NOT_COVERED']);

    tables.applyMember(memberRecord());
    decision = reevaluateAfterReferenceChange(chainedClaim, decision, tables, ruleSet, NO_DUPLICATES);
    tables.apply(providerFix);
    tables.apply(lateLocation);
    decision = reevaluateAfterReferenceChange(chainedClaim, decision, tables, ruleSet, NO_DUPLICATES);
    expect(decision.status).toBe('pended');
    expect(pendDependencies(chainedClaim, decision, tables, ruleSet)).toContainEqual({
      kind: 'service_location',
      key: LATE_LOCATION,
    });

    tables.apply(locationFix);
    expect(reevaluateAfterReferenceChange(chainedClaim, decision, tables, ruleSet, NO_DUPLICATES)).toMatchObject({
      status: 'cleared',
      clearedOn: '2008-06-01',
      clearedBy: 'reference',
    });
  });

  it('finds, when judging a claim pended for a provider and the member, the location a provider fix names', () => {
    const tables = tablesWith(
      [providerFix, lateLocation],
      [memberRecord({ coverageMonths: { partA: 12, partB: 2, hmo: 0, partD: 12 } })],
    );
    const judged = judgePend(
      chainedClaim,
      enrichClaim(chainedClaim, tables, EMPTY_ENRICHMENT_CODES),
      tables,
      ruleSet,
      NO_DUPLICATES,
    );

    expect(judged.decision.status).toBe('pended');
    expect(judged.dependencies).toContainEqual({ kind: 'service_location', key: LATE_LOCATION });
  });

  it('names no dependency for a claim that is not pended', () => {
    const tables = tablesWith([providerFix, lateLocation, locationFix]);
    expect(pendDependencies(chainedClaim, decide(chainedClaim, tables), tables, ruleSet)).toEqual([]);
  });

  it('judges a claim to the decision decidePend gives, with the dependencies pendDependencies finds for it', () => {
    const overBudget = claimEvent({ lines: [line({ renderingNpi: NPI.second })], billedAmountCents: 5_000_000 });
    const cases: Array<[ClaimEvent, ReferenceTables, number]> = [
      [chainedClaim, tablesWith(), 1],
      [chainedClaim, tablesWith([providerFix, lateLocation]), 2],
      [chainedClaim, tablesWith([providerFix, lateLocation, locationFix]), 0],
      [overBudget, tablesWith([providerVersion(NPI.second, '2008-04-15')]), 1],
      [claimEvent(), tablesWith(), 0],
    ];
    for (const [event, tables, dependencyCount] of cases) {
      const enrichment = enrichClaim(event, tables, EMPTY_ENRICHMENT_CODES);
      const judged = judgePend(event, enrichment, tables, ruleSet, NO_DUPLICATES);
      const decision = decidePend(event, enrichment, tables, ruleSet, NO_DUPLICATES);
      expect(judged.decision).toEqual(decision);
      expect(judged.dependencies).toEqual(pendDependencies(event, decision, tables, ruleSet));
      expect(judged.dependencies).toHaveLength(dependencyCount);
    }
  });
});

describe('a provider NPPES deactivated after the service date and before the claim was received', () => {
  /** Served 2008-03-10 by NPI.rendering, billed by NPI.second (not in the directory on the service date). */
  const event = claimEvent({ lines: [line({ renderingNpi: NPI.rendering })], billingNpi: NPI.second });
  /** NPI.rendering, in force since 2007, is withdrawn on 2008-03-15: after the service, before the receipt (03-20). */
  const deactivation = providerVersion(NPI.rendering, '2008-03-15', null);

  it('clears on the date the missing billing provider enters the directory', () => {
    const decision = decide(event, tablesWith([deactivation, providerVersion(NPI.second, '2008-04-15')]));

    expect(decision).toMatchObject({ status: 'cleared', pendedOn: '2008-03-20', clearedOn: '2008-04-15' });
    expect(decision.reasons.map((reason) => reason.code)).toEqual(['PROVIDER_NOT_FOUND']);
  });

  it('does not pend when the billing provider entered the directory before the claim was received', () => {
    expect(decide(event, tablesWith([deactivation, providerVersion(NPI.second, '2008-03-12')])).status).toBe('clean');
  });

  it("clears a stored pend on the fix's date when the billing provider's entry arrives after the claim", () => {
    const tables = tablesWith([deactivation]);
    const previous = decide(event, tables);
    expect(previous.status).toBe('pended');
    tables.apply(providerVersion(NPI.second, '2008-04-15'));

    expect(reevaluateAfterReferenceChange(event, previous, tables, ruleSet, NO_DUPLICATES)).toMatchObject({
      status: 'cleared',
      clearedOn: '2008-04-15',
      clearedBy: 'reference',
    });
  });

  it('still pends a claim served on or after the deactivation date', () => {
    const servedAfter = claimEvent({
      serviceFromDate: '2008-03-15',
      serviceThroughDate: '2008-03-15',
      billingNpi: NPI.second,
    });
    const decision = decide(servedAfter, tablesWith([deactivation, providerVersion(NPI.second, '2008-04-15')]));

    expect(decision.status).toBe('pended');
    expect(decision.reasons[0]?.waitsOn).toEqual([
      { kind: 'provider', key: NPI.rendering },
      { kind: 'provider', key: NPI.second },
    ]);
  });
});

describe("the order of a claim's lines", () => {
  const LATE_GROUP = '222222222';
  /** A second group whose location opens after the service date. */
  const tables = tablesWith([
    groupVersion(LATE_GROUP, '2007-01-01', { locationKey: 'loc-opens-late' }),
    locationVersion('loc-opens-late', '2007-01-01', { effectiveDate: '2008-06-01' }),
  ]);
  const first = line({ lineNumber: 1, renderingNpi: NPI.billing });
  const second = line({ lineNumber: 2, renderingNpi: NPI.second, taxId: LATE_GROUP, hcpcsCode: '99214' });

  it('gives the same reasons, waiting on the same entries in the same order, whatever order the lines come in', () => {
    const inOrder = decide(claimEvent({ lines: [first, second] }), tables);
    const reversed = decide(claimEvent({ lines: [second, first] }), tables);

    expect(inOrder.reasons.map((reason) => [reason.code, reason.waitsOn.map((dependency) => dependency.key)])).toEqual([
      ['PROVIDER_NOT_FOUND', [NPI.billing, NPI.second]],
    ]);
    expect(reversed).toEqual(inOrder);
  });

  it("takes the claim's group from its lowest-numbered line, wherever that line stands", () => {
    const enrichment = enrichClaim(claimEvent({ lines: [second, first] }), tables, EMPTY_ENRICHMENT_CODES);

    expect(enrichment.providerGroup?.groupKey).toBe(TAX_ID);
    expect(enrichment.serviceLocation?.locationKey).toBe(GROUP_LOCATION);
  });
});

describe('decidePend on a pended-queue export row', () => {
  const keywordRuleSet = loadPendRuleSet(
    `version: 2026-12-01.1
rules:
  - { code: PROVIDER_NOT_FOUND, description: Not in the directory, queue: Provider Data, severity: high, when: provider_not_found }
`,
    `version: 2026-12-01.1
rules:
  - { id: duplicate, reason: DUPLICATE_SUSPECT, queue: Claims Integrity, keywords: [duplicate] }
`,
  );
  const exportRow = (
    pend: { reason: string | null; queue: string | null; comments: string | null },
    clearDate: string | null = null,
  ) =>
    claimEvent(
      { pend, clearDate, receivedDate: '2024-02-20', serviceFromDate: '2024-02-12', serviceThroughDate: '2024-02-12' },
      {
        layout: 'billing.pended-queue-export',
        eventType: clearDate ? 'cleared' : 'pended',
        occurredAt: clearDate ?? '2024-02-20',
      },
    );
  const decideExport = (event: ClaimEvent) => {
    const tables = tablesWith();
    return decidePend(event, enrichClaim(event, tables, EMPTY_ENRICHMENT_CODES), tables, keywordRuleSet, NO_DUPLICATES);
  };

  it("pends on the export's reason and queue from its received date", () => {
    const decision = decideExport(exportRow({ reason: 'NPI_NOT_FOUND', queue: 'Provider Data', comments: null }));

    expect(decision).toEqual({
      ruleSetVersion: '2026-12-01.1',
      status: 'pended',
      reasons: [
        {
          code: 'NPI_NOT_FOUND',
          description: 'Pend reason stated by the pended-queue export',
          queue: 'Provider Data',
          severity: 'medium',
          waitsOn: [],
          classifiedBy: null,
        },
      ],
      queue: 'Provider Data',
      pendedOn: '2024-02-20',
      clearedOn: null,
      clearedBy: null,
    });
  });

  it("clears on the export's clear date", () => {
    const decision = decideExport(
      exportRow({ reason: 'NPI_NOT_FOUND', queue: 'Provider Data', comments: null }, '2024-03-04'),
    );

    expect(decision).toMatchObject({ status: 'cleared', clearedOn: '2024-03-04', clearedBy: 'source_clear_date' });
  });

  it('classifies a blank reason from the comments and names the keyword rule', () => {
    const decision = decideExport(exportRow({ reason: ' ', queue: null, comments: 'Possible DUPLICATE of PQ-99.' }));

    expect(decision.reasons[0]).toMatchObject({
      code: 'DUPLICATE_SUSPECT',
      queue: 'Claims Integrity',
      classifiedBy: 'duplicate',
    });
    expect(decision.queue).toBe('Claims Integrity');
  });

  it('calls a blank reason whose comments match no rule UNCLASSIFIED', () => {
    const decision = decideExport(exportRow({ reason: null, queue: 'Front End', comments: 'Holding for callback.' }));

    expect(decision.reasons[0]).toMatchObject({ code: 'UNCLASSIFIED', queue: 'Front End', classifiedBy: null });
  });

  it("adds the directory rules' reasons after the export's own, keeping the export's queue", () => {
    const event = exportRow({ reason: 'MEMBER_NOT_ELIGIBLE', queue: 'Eligibility', comments: null });
    const withUnknownProvider = { ...event, claim: { ...event.claim, lines: [line({ renderingNpi: NPI.second })] } };

    const decision = decideExport(withUnknownProvider);

    expect(decision.reasons.map((reason) => reason.code)).toEqual(['MEMBER_NOT_ELIGIBLE', 'PROVIDER_NOT_FOUND']);
    expect(decision.queue).toBe('Eligibility');
  });
});

describe('judgePend on an answer about a claim', () => {
  const acknowledgement = (
    kind: '999' | '277ca' | '277',
    status: 'accepted' | 'rejected',
  ): NonNullable<ClaimEvent['claim']['acknowledgement']> => ({
    kind,
    status,
    statusCode: status === 'accepted' ? 'A1' : 'A3',
    statusCodes: [],
    transactionControlNumber: '0001',
  });
  const remittance = (
    claimStatusCode: string,
    reversal: boolean,
  ): NonNullable<ClaimEvent['claim']['adjudication']> => ({
    sourceStatus: claimStatusCode,
    status: reversal ? null : 'denied',
    paidAmountCents: 0,
    paidDate: '2008-04-15',
    claimStatusCode,
    ...(reversal ? { reversal } : {}),
  });
  type ClaimFields = Partial<ClaimEvent['claim']>;
  /** Each answer, built over the claim fields given, as the normalizer types it. */
  const answers = (fields: ClaimFields): Array<[string, ClaimEvent]> => [
    [
      'a 277CA accepting the claim',
      claimEvent(
        { ...fields, acknowledgement: acknowledgement('277ca', 'accepted') },
        { eventType: 'acknowledged', layout: 'x12.277ca' },
      ),
    ],
    [
      'a 277CA rejecting the claim',
      claimEvent(
        { ...fields, acknowledgement: acknowledgement('277ca', 'rejected') },
        { eventType: 'rejected', layout: 'x12.277ca' },
      ),
    ],
    [
      'a 277 claim status response',
      claimEvent(
        { ...fields, acknowledgement: acknowledgement('277', 'accepted') },
        { eventType: 'acknowledged', layout: 'x12.277' },
      ),
    ],
    [
      'a 999 rejecting the transaction set',
      claimEvent(
        { ...fields, acknowledgement: acknowledgement('999', 'rejected') },
        { eventType: 'rejected', layout: 'x12.999' },
      ),
    ],
    [
      'an 835 reversal',
      claimEvent({ ...fields, adjudication: remittance('22', true) }, { eventType: 'adjudicated', layout: 'x12.835' }),
    ],
    [
      'an 835 denial',
      claimEvent({ ...fields, adjudication: remittance('4', false) }, { eventType: 'adjudicated', layout: 'x12.835' }),
    ],
  ];
  // A billing NPI the directory lacks and an amount over the review threshold: as a claim, it pends.
  const flawed: ClaimFields = { billingNpi: NPI.second, billedAmountCents: 5_000_000 };
  const cleanVerdict = {
    ruleSetVersion: ruleSet.version,
    status: 'clean',
    reasons: [],
    queue: null,
    pendedOn: null,
    clearedOn: null,
    clearedBy: null,
  };

  function judge(event: ClaimEvent, context: PendContext = NO_DUPLICATES) {
    const tables = tablesWith();
    return judgePend(event, enrichClaim(event, tables, EMPTY_ENRICHMENT_CODES), tables, ruleSet, context);
  }

  it('pends the claim itself with the same fields, so the rules do catch them', () => {
    const judged = judge(claimEvent(flawed));

    expect(judged.decision.status).toBe('pended');
    expect(judged.decision.reasons.map((reason) => reason.code)).toEqual([
      'PROVIDER_NOT_FOUND',
      'AMOUNT_OVER_THRESHOLD',
    ]);
  });

  it.each(answers(flawed))('judges %s clean, waiting on nothing, whatever rule its fields would trip', (_, answer) => {
    expect(judge(answer)).toEqual({ decision: cleanVerdict, dependencies: [] });
  });

  it.each(answers({}))('judges %s clean when another claim id holds its fingerprints', (_, answer) => {
    const heldByAnother: PendContext = { duplicateOf: () => ({ claimId: 'CLM-OTHER', occurredAt: answer.occurredAt }) };
    expect(judge(claimEvent({}), heldByAnother).decision.status).toBe('pended');

    expect(judge(answer, heldByAnother)).toEqual({ decision: cleanVerdict, dependencies: [] });
  });
});
