import type { EnrichedClaimEvent, LookupMiss, PendDecision } from '@claims/contracts';
import { fixtureClaimEvent, fixtureEnrichedEvent, fixtureLine } from '@claims/harness';
import { fileQualityTally } from './file-quality-tally';

describe('fileQualityTally', () => {
  const event = fixtureClaimEvent('c1', [
    fixtureLine({ lineNumber: 1 }),
    fixtureLine({ lineNumber: 2, hcpcsCode: null }),
  ]);

  it('counts findings by code and null canonical fields per file', () => {
    const withFindings = {
      ...event,
      dataQuality: [
        { code: 'NPI_CHECK_DIGIT_INVALID', field: 'PRF_PHYSN_NPI_1', message: 'fails the check digit' },
        { code: 'NPI_CHECK_DIGIT_INVALID', field: 'PRF_PHYSN_NPI_2', message: 'fails the check digit' },
      ],
    };
    const tally = fileQualityTally([withFindings, event]);
    const count = (kind: string, name: string) =>
      tally.find((entry) => entry.kind === kind && entry.name === name)?.count;
    expect(count('finding', 'NPI_CHECK_DIGIT_INVALID')).toBe(2);
    expect(count('null_field', 'claim.drgCode')).toBe(2);
    expect(count('null_field', 'line.hcpcsCode')).toBe(2);
    expect(tally.every((entry) => entry.fileId === event.lineage.fileId)).toBe(true);
  });

  it('leaves out what is present, and answers nothing for no events', () => {
    const withDrg = { ...event, claim: { ...event.claim, drgCode: '470' } };
    expect(fileQualityTally([withDrg]).some((entry) => entry.name === 'claim.drgCode')).toBe(false);
    expect(fileQualityTally([])).toEqual([]);
  });

  it('orders its entries the same way every time, so concurrent folds lock rows in one order', () => {
    const tally = fileQualityTally([event]);
    const names = tally.map((entry) => `${entry.kind}/${entry.name}`);
    expect(names).toEqual([...names].sort());
  });

  it('tallies a batch of events from two files as the sum of each event tallied alone', () => {
    const otherFile = { ...event, lineage: { ...event.lineage, fileId: 'f'.repeat(64) } };
    const withFinding = {
      ...otherFile,
      dataQuality: [{ code: 'DATE_ORDER', field: 'CLM_THRU_DT', message: 'before the from date' }],
      claim: { ...otherFile.claim, lines: [fixtureLine({ lineNumber: 1, taxId: '123456789', hcpcsCode: null })] },
    };
    const batch = [event, withFinding, event, otherFile, withFinding];
    const summed = new Map<string, number>();
    for (const single of batch) {
      for (const entry of fileQualityTally([single])) {
        const key = `${entry.fileId}/${entry.kind}/${entry.name}`;
        summed.set(key, (summed.get(key) ?? 0) + entry.count);
      }
    }
    const tallied = fileQualityTally(batch);
    expect(new Map(tallied.map((entry) => [`${entry.fileId}/${entry.kind}/${entry.name}`, entry.count]))).toEqual(
      summed,
    );
    expect(tallied).toHaveLength(summed.size);
    // otherFile's two lines lack a tax id, withFinding's one line has one: 2 + 0 + 0.
    expect(summed.get(`${'f'.repeat(64)}/null_field/line.taxId`)).toBe(2);
    expect(summed.get(`${'f'.repeat(64)}/finding/DATE_ORDER`)).toBe(2);
    expect(summed.get(`${'f'.repeat(64)}/claims/tallied`)).toBe(3);
  });

  describe('for enriched events', () => {
    const miss = (lookup: LookupMiss['lookup'], reason: LookupMiss['reason'], key: string): LookupMiss => ({
      lookup,
      role: lookup === 'provider' ? 'rendering' : null,
      key,
      reason,
    });
    const pendReason = (code: string) => ({
      code,
      description: code,
      queue: 'provider-data',
      severity: 'high' as const,
      waitsOn: [],
      classifiedBy: null,
    });
    const decision = (status: PendDecision['status'], codes: string[]): PendDecision => ({
      ruleSetVersion: '2024.1',
      status,
      reasons: codes.map(pendReason),
      queue: codes.length > 0 ? 'provider-data' : null,
      pendedOn: codes.length > 0 ? '2024-03-01' : null,
      clearedOn: null,
      clearedBy: null,
    });
    const enriched = (claimId: string, misses: LookupMiss[], pendDecision?: PendDecision): EnrichedClaimEvent => {
      const base = fixtureEnrichedEvent(claimId, []);
      return { ...base, enrichment: { ...base.enrichment, lookupMisses: misses }, pendDecision };
    };
    const count = (tally: ReturnType<typeof fileQualityTally>, kind: string, name: string) =>
      tally.find((entry) => entry.kind === kind && entry.name === name)?.count;

    it('counts a claim once per distinct lookup and reason, however many keys missed', () => {
      const tally = fileQualityTally([
        enriched('c1', [
          miss('provider', 'not_found', '1234567893'),
          miss('provider', 'not_found', '1111111112'),
          miss('service_location', 'not_yet_effective', 'LOC-1'),
        ]),
        enriched('c2', [miss('provider', 'not_found', '1234567893'), miss('provider', 'incomplete', '2222222224')]),
        enriched('c3', []),
      ]);
      expect(count(tally, 'lookup_miss', 'provider:not_found')).toBe(2);
      expect(count(tally, 'lookup_miss', 'provider:incomplete')).toBe(1);
      expect(count(tally, 'lookup_miss', 'service_location:not_yet_effective')).toBe(1);
      expect(count(tally, 'claims', 'tallied')).toBe(3);
    });

    it('counts the claims pended for each reason code, once per claim, and nothing for a clean claim', () => {
      const tally = fileQualityTally([
        enriched('c1', [], decision('pended', ['PROVIDER_NOT_FOUND', 'NPI_INVALID', 'PROVIDER_NOT_FOUND'])),
        enriched('c2', [], decision('cleared', ['PROVIDER_NOT_FOUND'])),
        enriched('c3', [], decision('clean', [])),
      ]);
      expect(count(tally, 'pend_reason', 'PROVIDER_NOT_FOUND')).toBe(2);
      expect(count(tally, 'pend_reason', 'NPI_INVALID')).toBe(1);
      expect(tally.filter((entry) => entry.kind === 'pend_reason')).toHaveLength(2);
    });
  });
});
