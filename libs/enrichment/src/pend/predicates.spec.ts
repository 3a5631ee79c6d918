import type { ClaimEvent, MemberReference, ReferenceEvent } from '@claims/contracts';
import {
  BAD_CHECK_DIGIT_NPI,
  claimEvent,
  cleanDirectory,
  line,
  locationVersion,
  GROUP_LOCATION,
  memberRecord,
  NPI,
  providerRecord,
  providerVersion,
  TOKEN,
} from '../enrich/__fixtures__/reference-fixtures';
import { EMPTY_ENRICHMENT_CODES, enrichClaim } from '../enrich';
import { ReferenceTables } from '../tables';
import { evaluatePendRules } from './decide-pend';
import { duplicateFingerprints, NO_DUPLICATES, type PendContext } from './duplicate-fingerprints';
import { loadPendRuleSet, loadShippedPendRuleSet } from './pend-rule-set';
import { claimAmountCents } from './predicates';

/** The shipped rules with MEMBER_NOT_FOUND switched on, so every rule can be seen to fire. */
function everyRule() {
  const shipped = loadShippedPendRuleSet();
  const memberNotFound = loadPendRuleSet(`version: 2026-12-01.1
rules:
  - { code: MEMBER_NOT_FOUND, description: No member record, queue: Eligibility, severity: medium, when: member_not_found }
`).rules;
  return { ...shipped, rules: [...shipped.rules, ...memberNotFound] };
}
const ruleSet = everyRule();

function tablesWith(extra: ReferenceEvent[] = [], members?: MemberReference[]): ReferenceTables {
  const directory = cleanDirectory();
  const tables = new ReferenceTables();
  for (const version of [...directory.versions, ...extra]) tables.apply(version);
  for (const member of members ?? directory.members) tables.applyMember(member);
  return tables;
}

function codesFor(event: ClaimEvent, tables: ReferenceTables, context: PendContext = NO_DUPLICATES): string[] {
  const enrichment = enrichClaim(event, tables, EMPTY_ENRICHMENT_CODES);
  return evaluatePendRules(event, enrichment, tables, ruleSet, context).map((reason) => reason.code);
}

describe('pend predicates', () => {
  it('finds nothing on a clean claim', () => {
    expect(codesFor(claimEvent(), tablesWith())).toEqual([]);
  });

  it('pends PROVIDER_NOT_FOUND when the rendering NPI is not in the directory, and not on its clean twin', () => {
    const missing = claimEvent({ lines: [line({ renderingNpi: NPI.second })] });

    expect(codesFor(missing, tablesWith())).toEqual(['PROVIDER_NOT_FOUND']);
    expect(codesFor(missing, tablesWith([providerVersion(NPI.second, '2007-01-01')]))).toEqual([]);
  });

  it('pends PROVIDER_NOT_FOUND for a billing NPI but not for an operating NPI missing from the directory', () => {
    expect(codesFor(claimEvent({ billingNpi: NPI.billing }), tablesWith())).toEqual(['PROVIDER_NOT_FOUND']);
    expect(codesFor(claimEvent({ operatingNpi: NPI.billing }), tablesWith())).toEqual([]);
  });

  it('pends PROVIDER_INCOMPLETE when the provider has no practice address, and not on its clean twin', () => {
    const incomplete = tablesWith([
      providerVersion(NPI.rendering, '2008-01-01', providerRecord(NPI.rendering, { practiceAddress: null })),
    ]);

    expect(codesFor(claimEvent(), incomplete)).toEqual(['PROVIDER_INCOMPLETE']);
    expect(codesFor(claimEvent(), tablesWith())).toEqual([]);
  });

  it('pends LOCATION_NOT_EFFECTIVE when the service date is before the location opened, and not on its clean twin', () => {
    const lateOpening = tablesWith([locationVersion(GROUP_LOCATION, '2008-01-01', { effectiveDate: '2008-03-11' })]);
    const opened = tablesWith([locationVersion(GROUP_LOCATION, '2008-01-01', { effectiveDate: '2008-03-10' })]);

    expect(codesFor(claimEvent(), lateOpening)).toEqual(['LOCATION_NOT_EFFECTIVE']);
    expect(codesFor(claimEvent(), opened)).toEqual([]);
  });

  it('pends MEMBER_NOT_COVERED when Part B lapsed before the service month, and not on its clean twin', () => {
    const lapsed = tablesWith([], [memberRecord({ coverageMonths: { partA: 12, partB: 2, hmo: 0, partD: 12 } })]);
    const covered = tablesWith([], [memberRecord({ coverageMonths: { partA: 12, partB: 3, hmo: 0, partD: 12 } })]);

    expect(codesFor(claimEvent(), lapsed)).toEqual(['MEMBER_NOT_COVERED']);
    expect(codesFor(claimEvent(), covered)).toEqual([]);
  });

  it('pends MEMBER_NOT_FOUND when no member record exists for the service year, and not on its clean twin', () => {
    expect(codesFor(claimEvent(), tablesWith([], [memberRecord({ referenceYear: 2009 })]))).toEqual([
      'MEMBER_NOT_FOUND',
    ]);
    expect(codesFor(claimEvent(), tablesWith([], [memberRecord({ referenceYear: 2008 })]))).toEqual([]);
  });

  it('ships MEMBER_NOT_FOUND disabled, because member files may be loaded after the claims', () => {
    expect(loadShippedPendRuleSet().disabledCodes).toEqual(['MEMBER_NOT_FOUND']);
  });

  it('pends NPI_CHECK_DIGIT when an NPI fails the Luhn check, and not on its clean twin', () => {
    const tables = tablesWith([providerVersion(BAD_CHECK_DIGIT_NPI, '2007-01-01')]);

    expect(codesFor(claimEvent({ billingNpi: BAD_CHECK_DIGIT_NPI }), tables)).toEqual(['NPI_CHECK_DIGIT']);
    expect(codesFor(claimEvent({ billingNpi: NPI.rendering }), tables)).toEqual([]);
  });

  it('does not fail the check digit of a valid NPI written with padding', () => {
    const padded = claimEvent({
      lines: [line({ renderingNpi: ` ${NPI.rendering}` })],
      operatingNpi: `${NPI.billing} `,
    });

    expect(codesFor(padded, tablesWith())).toEqual([]);
  });

  it('skips NPI_CHECK_DIGIT for DE-SynPUF and RIF layouts, whose NPIs are random', () => {
    const tables = tablesWith([providerVersion(BAD_CHECK_DIGIT_NPI, '2007-01-01')]);
    const event = claimEvent({ billingNpi: BAD_CHECK_DIGIT_NPI }, { layout: 'desynpuf.carrier' });

    expect(codesFor(event, tables)).toEqual([]);
    expect(codesFor({ ...event, layout: 'rif.carrier' }, tables)).toEqual([]);
  });

  it('pends DUPLICATE_SUSPECT when another claim within 30 days holds a fingerprint, and not on its clean twin', () => {
    const event = claimEvent();
    const fingerprint = duplicateFingerprints(event)[0]!;
    const heldBy = (claimId: string, occurredAt: string): PendContext => ({
      duplicateOf: (candidate) => (candidate === fingerprint ? { claimId, occurredAt } : undefined),
    });

    expect(codesFor(event, tablesWith(), heldBy('CLM-0', '2008-02-19'))).toEqual(['DUPLICATE_SUSPECT']);
    expect(codesFor(event, tablesWith(), heldBy('CLM-0', '2008-02-18'))).toEqual([]);
    expect(codesFor(event, tablesWith(), heldBy(event.claimId, '2008-03-20'))).toEqual([]);
  });

  it('pends AMOUNT_OVER_THRESHOLD above the claim type threshold, and not on its clean twin', () => {
    expect(codesFor(claimEvent({ billedAmountCents: 1_000_001 }), tablesWith())).toEqual(['AMOUNT_OVER_THRESHOLD']);
    expect(codesFor(claimEvent({ billedAmountCents: 1_000_000 }), tablesWith())).toEqual([]);
  });

  it('applies the $250,000 inpatient threshold to an inpatient claim, not the professional one', () => {
    const inpatient = claimEvent({ claimType: 'institutional_inpatient', billedAmountCents: 20_000_000 });

    expect(codesFor(inpatient, tablesWith())).toEqual([]);
    expect(
      codesFor({ ...inpatient, claim: { ...inpatient.claim, billedAmountCents: 25_000_001 } }, tablesWith()),
    ).toEqual(['AMOUNT_OVER_THRESHOLD']);
  });

  it('measures a claim by its billed amount, else its line charges, else its allowed total', () => {
    expect(claimAmountCents(claimEvent({ billedAmountCents: 500 }))).toBe(500);
    expect(
      claimAmountCents(
        claimEvent({ lines: [line({ chargeAmountCents: 300 }), line({ lineNumber: 2, chargeAmountCents: 200 })] }),
      ),
    ).toBe(500);
    expect(claimAmountCents(claimEvent())).toBe(10000);
  });

  it('lists the entries a reference reason waits on, and none for a reason only adjudication clears', () => {
    const event = claimEvent({
      lines: [line({ renderingNpi: NPI.second })],
      billedAmountCents: 5_000_000,
    });
    const lapsed = tablesWith([], [memberRecord({ coverageMonths: { partA: 12, partB: 1, hmo: 0, partD: 12 } })]);
    const reasons = evaluatePendRules(
      event,
      enrichClaim(event, lapsed, EMPTY_ENRICHMENT_CODES),
      lapsed,
      ruleSet,
      NO_DUPLICATES,
    );

    expect(reasons.map(({ code, waitsOn, classifiedBy }) => ({ code, waitsOn, classifiedBy }))).toEqual([
      { code: 'PROVIDER_NOT_FOUND', waitsOn: [{ kind: 'provider', key: NPI.second }], classifiedBy: null },
      { code: 'MEMBER_NOT_COVERED', waitsOn: [{ kind: 'member', key: `${TOKEN}:2008` }], classifiedBy: null },
      { code: 'AMOUNT_OVER_THRESHOLD', waitsOn: [], classifiedBy: null },
    ]);
  });
});
