import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex, type ClaimEvent } from '@claims/contracts';
import { rawRecordEvent } from '@claims/source-layouts';
import {
  normalizeX12Record,
  transactionSetText,
  x12EnvelopeVerdictsOf,
  x12LayoutOf,
  x12RecordContextOf,
  x12TokensOf,
  x12TransactionSetsOf,
  type X12TransactionSet,
} from '@claims/x12';
import { REJECTED_SEGMENT } from './edi-answer-writers';
import {
  EDI_SCENARIO_FILES,
  EdiScenarioRequestError,
  generateEdiScenario,
  type EdiScenarioManifest,
} from './edi-scenario-generator';
import { generateScenario } from './generated-scenarios';

const patientTokenKey = 'edi-scenario-spec-key';
/** Shares raised above the defaults, so that a scenario of a few hundred claims meets every outcome. */
const SHARES = { groupRejected: 0.1, transactionSetRejected: 0.1, claimRejected: 0.1 };

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'edi-scenario-'));
});
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

interface ReadFile {
  sets: X12TransactionSet[];
  events: ClaimEvent[];
}

/**
 * Reads a file as the ingestor and the normalizer do: a first pass for the
 * envelope verdicts, a second cutting transaction sets, each made a raw
 * event and normalized. Any failure, anywhere, fails the read.
 */
async function readX12File(path: string): Promise<ReadFile> {
  const open = () => x12TokensOf(createReadStream(path, { highWaterMark: 64 * 1024 }));
  const verdicts = await x12EnvelopeVerdictsOf(open());
  const sets: X12TransactionSet[] = [];
  const events: ClaimEvent[] = [];
  for await (const item of x12TransactionSetsOf(open(), { verdicts, maxTransactionChars: 921_600 })) {
    if (item.kind === 'failure') throw new Error(`${path}: ${item.failure.scope}: ${item.failure.error.message}`);
    const transaction = item.transaction;
    sets.push(transaction);
    const raw = rawRecordEvent({
      layout: x12LayoutOf(transaction),
      record: transactionSetText(transaction),
      recordNumber: transaction.recordNumber,
      source: path,
      fileId: sha256Hex(path),
      publishedAt: '2026-01-01T00:00:00.000Z',
      claimId: null,
      header: JSON.stringify(x12RecordContextOf(transaction)),
    });
    events.push(...normalizeX12Record(raw, { patientTokenKey }));
  }
  return { sets, events };
}

const countBy = <T>(items: readonly T[], keyOf: (item: T) => string): Record<string, number> =>
  items.reduce<Record<string, number>>((counts, item) => {
    counts[keyOf(item)] = (counts[keyOf(item)] ?? 0) + 1;
    return counts;
  }, {});

const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

describe('generateEdiScenario', () => {
  let manifest: EdiScenarioManifest;
  let claims: ReadFile;
  let functional: ReadFile;
  let status: ReadFile;
  let remittances: ReadFile;

  beforeAll(async () => {
    manifest = await generateEdiScenario({
      seed: 11,
      claims: 600,
      directory: join(directory, 'scenario'),
      claimsPerTransactionSet: 20,
      transactionSetsPerInterchange: 3,
      shares: SHARES,
    });
    const path = (name: string) => join(directory, 'scenario', name);
    claims = await readX12File(path(EDI_SCENARIO_FILES.claims));
    functional = await readX12File(path(EDI_SCENARIO_FILES.functionalAcknowledgements));
    status = await readX12File(path(EDI_SCENARIO_FILES.claimAcknowledgements));
    remittances = await readX12File(path(EDI_SCENARIO_FILES.remittances));
  }, 30_000);

  it('writes four files the X12 reader takes without a single failure, each of its own layout', () => {
    expect(claims.sets.map(x12LayoutOf).every((layout) => layout === 'x12.837p')).toBe(true);
    expect(functional.sets.map(x12LayoutOf).every((layout) => layout === 'x12.999')).toBe(true);
    expect(status.sets.map(x12LayoutOf).every((layout) => layout === 'x12.277ca')).toBe(true);
    expect(remittances.sets.map(x12LayoutOf).every((layout) => layout === 'x12.835')).toBe(true);
    expect(claims.sets).toHaveLength(manifest.files.claims.transactionSets);
    expect(remittances.sets).toHaveLength(manifest.files.remittances.transactionSets);
  });

  it('submits every claim once, with the billed amounts of the manifest', () => {
    const submitted = claims.events.filter((event) => event.eventType === 'submitted');
    expect(submitted).toHaveLength(manifest.expected.claimsSubmitted);
    expect(new Set(submitted.map((event) => event.claimId)).size).toBe(600);
    expect(sum(submitted.map((event) => event.claim.billedAmountCents ?? 0))).toBe(manifest.expected.billedAmountCents);
    expect(claims.sets).toHaveLength(manifest.expected.transactionSetsSubmitted);
  });

  it("rejects in the 999 the transaction sets and groups the manifest counts, naming the 837's sets", () => {
    const verdicts = functional.events;
    expect(verdicts).toHaveLength(manifest.expected.transactionSetsSubmitted);
    const rejected = verdicts.filter((event) => event.eventType === 'rejected');
    expect(rejected.length).toBe(manifest.expected.transactionSetsRejectedBy999);
    expect(rejected.length).toBeGreaterThan(0);
    const rejectedKeys = new Set(rejected.map((event) => event.claimId));
    const claimsInRejected = claims.sets
      .filter((set) => rejectedKeys.has(`x12-ts:${set.envelope.groupControlNumber}:${set.controlNumber}`))
      .flatMap((set) => set.segments.filter((segment) => segment.tag === 'CLM'));
    expect(claimsInRejected).toHaveLength(manifest.expected.claimsRejectedBy999);
    const wholeGroups = functional.sets.filter((set) =>
      set.segments.some((segment) => segment.text.startsWith('AK9*R*')),
    );
    expect(wholeGroups).toHaveLength(manifest.expected.functionalGroupsRejected);
    expect(wholeGroups.length).toBeGreaterThan(0);
    // The IK3 names a segment that is there: the billing provider's NM1 at its position in the set.
    const [firstSet] = claims.sets;
    const named = firstSet?.segments[REJECTED_SEGMENT.position - 1];
    expect(named?.tag).toBe(REJECTED_SEGMENT.tag);
    expect(named?.elements[1]).toBe('85');
  });

  it('answers every claim of an accepted set in the 277CA with TRN*2 = CLM01, rejections by status as counted', () => {
    const rejectedSets = new Set(
      functional.events.filter((event) => event.eventType === 'rejected').map((event) => event.claimId),
    );
    const acceptedClaimIds = claims.sets
      .filter((set) => !rejectedSets.has(`x12-ts:${set.envelope.groupControlNumber}:${set.controlNumber}`))
      .flatMap((set) => set.segments.filter((segment) => segment.tag === 'CLM').map((clm) => clm.elements[1]));
    expect(status.events.map((event) => event.claimId).sort()).toEqual([...acceptedClaimIds].sort());
    const rejected = status.events.filter((event) => event.eventType === 'rejected');
    expect(rejected).toHaveLength(manifest.expected.claimsRejectedBy277ca);
    expect(status.events.length - rejected.length).toBe(manifest.expected.claimsAcknowledgedBy277ca);
    expect(
      countBy(rejected, (event) => {
        const acknowledgement = event.claim.acknowledgement;
        return `${acknowledgement?.statusCode}:${acknowledgement?.statusCodes?.[0]}`;
      }),
    ).toEqual(manifest.expected.claimsRejectedBy277caByStatus);
    // The 277CA names the member, the payer and the billing provider as the 837 did: they join.
    const submitted = new Map(claims.events.map((event) => [event.claimId, event.claim]));
    const parties = (claim: ClaimEvent['claim'] | undefined) => [claim?.patientToken, claim?.payer, claim?.billingNpi];
    for (const event of status.events) expect(parties(event.claim)).toEqual(parties(submitted.get(event.claimId)));
  });

  it('remits only the claims both acknowledgements let through, once each', () => {
    const rejectedByStatus = new Set(
      status.events.filter((event) => event.eventType === 'rejected').map((event) => event.claimId),
    );
    const letThrough = status.events
      .filter((event) => !rejectedByStatus.has(event.claimId))
      .map((event) => event.claimId);
    expect(remittances.events.map((event) => event.claimId).sort()).toEqual([...letThrough].sort());
    expect(remittances.events).toHaveLength(manifest.expected.remittedClaims);
    const submitted = new Map(claims.events.map((event) => [event.claimId, event.claim]));
    const parties = (claim: ClaimEvent['claim'] | undefined) => [claim?.patientToken, claim?.payer, claim?.billingNpi];
    for (const event of remittances.events) expect(parties(event.claim)).toEqual(parties(submitted.get(event.claimId)));
  });

  it('pays, part-pays and denies as the manifest says, to the cent, by CARC and group code', () => {
    const events = remittances.events;
    const paid = events.map((event) => event.claim.totals.paymentAmountCents);
    expect(sum(paid)).toBe(manifest.expected.paidAmountCents);
    expect(paid.filter((cents) => cents > 0)).toHaveLength(manifest.expected.paidClaims);
    expect(countBy(events, (event) => event.claim.adjudication?.status ?? 'none')).toEqual(
      Object.fromEntries(Object.entries(manifest.expected.remittedClaimsByStatus).filter(([, count]) => count > 0)),
    );
    const denied = events.filter((event) => event.claim.adjudication?.status === 'denied');
    expect(denied).toHaveLength(manifest.expected.deniedClaims);
    expect(sum(denied.map((event) => event.claim.billedAmountCents ?? 0))).toBe(manifest.expected.deniedChargeCents);
    const adjustments = events.flatMap((event) => event.claim.adjudication?.adjustments ?? []);
    const routine = (groupCode: string, carc: string) =>
      sum(adjustments.filter((a) => a.groupCode === groupCode && a.carc === carc).map((a) => a.amountCents));
    expect(routine('CO', '45')).toBe(manifest.expected.contractualAdjustmentCents);
    expect(routine('PR', '1')).toBe(manifest.expected.deductibleCents);
    expect(routine('PR', '2')).toBe(manifest.expected.coinsuranceCents);
    const denials: Record<string, { adjustments: number; amountCents: number }> = {};
    for (const adjustment of adjustments) {
      const key = `${adjustment.groupCode}-${adjustment.carc}`;
      if (['CO-45', 'PR-1', 'PR-2'].includes(key)) continue;
      const figures = (denials[key] ??= { adjustments: 0, amountCents: 0 });
      figures.adjustments += 1;
      figures.amountCents += adjustment.amountCents;
    }
    expect(denials).toEqual(manifest.expected.denials);
    expect(new Set(Object.keys(denials).map((key) => key.split('-')[0]))).toEqual(new Set(['CO', 'PR', 'OA']));
    const responsibility = events.map((event) => event.claim.adjudication?.patientResponsibilityCents ?? 0);
    expect(sum(responsibility)).toBe(manifest.expected.patientResponsibilityCents);
  });

  it('balances every remitted claim: charge less payment is the sum of its adjustments', () => {
    for (const event of remittances.events) {
      const adjudication = event.claim.adjudication;
      const adjusted = sum((adjudication?.adjustments ?? []).map((adjustment) => adjustment.amountCents));
      expect((adjudication?.chargeAmountCents ?? 0) - (adjudication?.paidAmountCents ?? 0)).toBe(adjusted);
    }
    for (const set of remittances.sets) {
      const bpr = set.segments.find((segment) => segment.tag === 'BPR');
      const clps = set.segments.filter((segment) => segment.tag === 'CLP');
      const cents = (text: string | undefined) => Math.round(Number(text ?? '0') * 100);
      expect(cents(bpr?.elements[2])).toBe(sum(clps.map((clp) => cents(clp.elements[4]))));
    }
  });

  it('pays later for slow payers: the payment lag per payer is what the manifest counts', () => {
    const submittedOn = new Map<string, string>();
    for (const set of claims.sets) {
      const bht = set.segments.find((segment) => segment.tag === 'BHT')?.elements[4] ?? '';
      const date = `${bht.slice(0, 4)}-${bht.slice(4, 6)}-${bht.slice(6, 8)}`;
      for (const clm of set.segments.filter((segment) => segment.tag === 'CLM'))
        submittedOn.set(clm.elements[1]!, date);
    }
    const byPayer: Record<string, { remittedClaims: number; paidAmountCents: number; paymentLagDaysTotal: number }> =
      {};
    for (const event of remittances.events) {
      const figures = (byPayer[event.claim.payer] ??= {
        remittedClaims: 0,
        paidAmountCents: 0,
        paymentLagDaysTotal: 0,
      });
      figures.remittedClaims += 1;
      figures.paidAmountCents += event.claim.totals.paymentAmountCents;
      const lag = (Date.parse(event.occurredAt) - Date.parse(submittedOn.get(event.claimId) ?? '')) / 86_400_000;
      figures.paymentLagDaysTotal += lag;
    }
    expect(byPayer).toEqual(manifest.expected.byPayer);
    const meanLag = (payer: string) => byPayer[payer]!.paymentLagDaysTotal / byPayer[payer]!.remittedClaims;
    expect(meanLag('SLOW MUTUAL ASSURANCE')).toBeGreaterThan(2 * meanLag('MEDICARE PART B'));
  });

  it('writes the same bytes for the same seed and different bytes for another', async () => {
    const again = await generateScenario({
      scenario: 'x12.edi-scenario',
      seed: 11,
      claims: 600,
      directory: join(directory, 'again'),
      claimsPerTransactionSet: 20,
      transactionSetsPerInterchange: 3,
      shares: SHARES,
    });
    const other = await generateEdiScenario({ seed: 12, claims: 600, directory: join(directory, 'other') });
    const hashes = (files: EdiScenarioManifest['files']) => Object.values(files).map((file) => file.sha256);
    expect(hashes(again.files)).toEqual(hashes(manifest.files));
    expect(hashes(other.files).some((hash, index) => hash === hashes(manifest.files)[index])).toBe(false);
    const onDisk = sha256Hex(readFileSync(join(directory, 'again', EDI_SCENARIO_FILES.claims)));
    expect(onDisk).toBe(manifest.files.claims.sha256);
  });

  it('refuses an unknown scenario name and a share out of range, naming them', async () => {
    await expect(
      generateScenario({ scenario: 'x12.unknown', seed: 1, claims: 1, directory: join(directory, 'no') }),
    ).rejects.toThrow(/x12\.edi-scenario/);
    await expect(
      generateEdiScenario({ seed: 1, claims: 1, directory: join(directory, 'no'), shares: { claimDenied: 2 } }),
    ).rejects.toThrow(EdiScenarioRequestError);
  });
});
