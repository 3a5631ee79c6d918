import type { ClaimEvent, DeadLetter } from '@claims/contracts';
import { REPO_ROOT } from '@claims/harness';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startE2ePipeline, type E2ePipeline, type KpiSummary } from './e2e-pipeline';
import { readWholeTopic } from './sources-file-truth';
import { settledVerification, type Verification } from './verification';

const X12 = join(REPO_ROOT, 'data', 'x12', 'linuxforhealth');
const PROFESSIONAL = join(X12, '837_005010X222A2', 'demo.cob.example3.C.837');
const PROFESSIONAL_DEPENDENT = join(X12, '837_005010X222A2', 'demo.example1.837');
const INSTITUTIONAL = join(X12, '837_005010X223A3', 'two-claims-single-provider.837i');
const INSTITUTIONAL_ONE = join(X12, '837_005010X223A3', 'institutional-claim.837i');
const REMITTANCE = join(X12, '835_005010X221A1', 'managed-care.835');
const REMITTANCE_PART_A = join(X12, '835_005010X221A1', 'medicare-part-a.835');
const BROKEN = 'broken-envelopes.x12';
const CLAIM_ACK = 'claim-acknowledgement.277ca';

/**
 * Hand-written 277CA (005010X214) answering the two claims of the 837I
 * sample: the first accepted (A1), the second rejected for invalid
 * information (A7). Written at run time; not a vendored sample.
 */
const CLAIM_ACK_TEXT =
  'ISA*00*          *00*          *ZZ*TRICARE        *ZZ*JONES          *240110*0800*^*00501*000000042*0*P*:~' +
  'GS*HN*TRICARE*JONES*20240110*0800*42*X*005010X214~ST*277*0001*005010X214~BHT*0085*08*277CA1*20240110*0800*TH~' +
  'HL*1**20*1~NM1*PR*2*TRICARE*****PI*99999~TRN*1*BATCH1~DTP*050*D8*20240109~DTP*009*D8*20240110~' +
  'HL*2*1*21*1~NM1*41*2*JONES HOSPITAL*****46*12345~TRN*2*REF1~STC*A1:19:PR*20240110*WQ*139.95~' +
  'HL*3*2*19*1~NM1*85*2*JONES HOSPITAL*****XX*1234567890~TRN*1*0~' +
  'HL*4*3*PT~NM1*QC*1*DOE*JON****MI*030005074~TRN*2*756048Q~STC*A1:20:PR*20240110*WQ*89.95~DTP*472*D8*20050315~' +
  'HL*5*3*PT~NM1*QC*1*SMITH*JOE****MI*123405074~TRN*2*756049Q~STC*A7:21:IL*20240110*U*50~DTP*472*D8*20050401~' +
  'SE*25*0001~GE*1*42~IEA*1*000000042~';

const SET_ACK = 'set-acknowledgement.999';

/**
 * Hand-written 999 (005010X231A1) answering two 837 transaction sets the
 * submitter 000000005 sent in functional group 1: demo.example1.837's set
 * 0021 rejected, the 837I samples' set 987654 accepted. Written at run time.
 */
const SET_ACK_TEXT =
  'ISA*00*          *00*          *30*12345          *30*000000005      *131101*1200*^*00501*000000301*0*P*:~' +
  'GS*FA*54321*000000005*20131101*1200*301*X*005010X231A1~' +
  'ST*999*0001*005010X231A1~AK1*HC*1*005010X222A2~AK2*837*0021*005010X222A2~IK5*R*5~AK9*R*1*1*0~SE*6*0001~' +
  'ST*999*0002*005010X231A1~AK1*HC*1*005010X223A3~AK2*837*987654*005010X223A3~IK5*A~AK9*A*1*1*1~SE*6*0002~' +
  'GE*2*301~IEA*1*000000301~';

/** GET /v1/kpis/claim-lifecycle, the parts this suite reads. */
interface ClaimLifecycleResponse {
  firstPassCleanClaimRate: { numerator: number; denominator: number };
  functionalAcknowledgementRejectionRate: { numerator: number; denominator: number };
  claimAcknowledgementRejectionRate: { numerator: number; denominator: number };
  unmatched: { adjudications: number; acknowledgements: number };
}

const nameOf = (path: string): string => path.split('/').pop() ?? '';

/** Elements of every `tag` segment of a raw X12 text written with `*` and `~`: the test's own reading of the file. */
function segmentsOf(text: string, tag: string): string[][] {
  return text
    .split('~')
    .map((segment) => segment.trim().split('*'))
    .filter((elements) => elements[0] === tag);
}

function centsOf(amount: string | undefined): number {
  const [whole = '0', fraction = ''] = (amount ?? '0').replace('-', '').split('.');
  const cents = Number(whole || '0') * 100 + Number(`${fraction}00`.slice(0, 2));
  return amount?.startsWith('-') ? -cents : cents;
}

describe('X12 837P, 837I and 835 files through the five services', () => {
  let e2e: E2ePipeline;
  let normalized: ClaimEvent[] = [];
  let verification: Verification;
  const fileIds = new Map<string, string>();

  // Each claim is keyed by its own id, so one record's events reach the topic's partitions in no fixed order.
  const eventsOf = (name: string): ClaimEvent[] =>
    normalized
      .filter((event) => event.lineage.fileId === fileIds.get(name))
      .sort(
        (left, right) =>
          left.lineage.recordNumber - right.lineage.recordNumber || left.claimId.localeCompare(right.claimId),
      );
  const byClaimId = <T extends [string | undefined, ...unknown[]]>(rows: T[]): T[] =>
    [...rows].sort((left, right) => (left[0] ?? '').localeCompare(right[0] ?? ''));
  const accountingOf = (name: string) => verification.files.find((file) => file.fileId === fileIds.get(name));

  beforeAll(async () => {
    e2e = await startE2ePipeline('sources-x12');
    const paths = [PROFESSIONAL, PROFESSIONAL_DEPENDENT, INSTITUTIONAL, REMITTANCE, REMITTANCE_PART_A];
    for (const path of paths) copyFileSync(path, join(e2e.ingestRoot, nameOf(path)));
    // Four interchanges in one file: a sound one, one whose SE01 miscounts, one with a 70,000-character
    // segment inside its claim (damage the tokenizer skips up to its terminator), one whose IEA is missing.
    const miscounted = readFileSync(INSTITUTIONAL, 'utf8').replace('SE*48*987654~', 'SE*47*987654~');
    const overlong = readFileSync(INSTITUTIONAL_ONE, 'utf8').replace(
      /(CLM\*756048Q[^~]*~)/,
      `$1NTE*ADD*${'x'.repeat(70_000)}~`,
    );
    const withoutIea = readFileSync(PROFESSIONAL_DEPENDENT, 'utf8').replace(/IEA\*1\*000000907~\s*$/, '');
    writeFileSync(
      join(e2e.ingestRoot, BROKEN),
      readFileSync(INSTITUTIONAL_ONE, 'utf8') + miscounted + overlong + withoutIea,
    );
    writeFileSync(join(e2e.ingestRoot, CLAIM_ACK), CLAIM_ACK_TEXT);
    writeFileSync(join(e2e.ingestRoot, SET_ACK), SET_ACK_TEXT);
    for (const name of [...paths.map(nameOf), BROKEN, CLAIM_ACK, SET_ACK])
      fileIds.set(name, (await e2e.pipeline.ingest(name)).fileId);
    verification = await settledVerification(e2e.pipeline, { fileIds: [...fileIds.values()], timeoutMs: 90_000 });
    expect(verification).toMatchObject({ consistent: true, mismatches: [] });
    normalized = await readWholeTopic<ClaimEvent>(e2e.brokers, `${e2e.namespace}.claims.normalized.v1`);
  });

  afterAll(async () => {
    await e2e?.stop();
  });

  it.each([
    [nameOf(PROFESSIONAL), 'x12.837p'],
    [nameOf(PROFESSIONAL_DEPENDENT), 'x12.837p'],
    [nameOf(INSTITUTIONAL), 'x12.837i'],
  ])('folds every CLM of %s as one submitted claim, its total charge to the cent of CLM02', (name, layout) => {
    const text = readFileSync(join(e2e.ingestRoot, name), 'utf8');
    const clms = segmentsOf(text, 'CLM');
    const events = eventsOf(name);
    expect(events.map((event) => [event.claimId, event.claim.billedAmountCents])).toEqual(
      byClaimId(clms.map((clm) => [clm[1], centsOf(clm[2])])),
    );
    expect(events.every((event) => event.eventType === 'submitted' && event.layout === layout)).toBe(true);
    // One transaction set per file: one record, read and folded once, however many claims it holds.
    expect(accountingOf(name)).toMatchObject({ recordsRead: 1, folded: 1, deadLettered: 0, status: 'accounted' });
  });

  it('keeps the claims of one 837I transaction set apart: lines, subscribers and charges', () => {
    const events = eventsOf(nameOf(INSTITUTIONAL));
    const text = readFileSync(INSTITUTIONAL, 'utf8');
    // The sample's claims stand in claim id order, so its SV2 lines do too.
    const lineCharges = segmentsOf(text, 'SV2').map((sv2) => centsOf(sv2[3]));
    expect(events.flatMap((event) => event.claim.lines.map((line) => line.chargeAmountCents))).toEqual(lineCharges);
    expect(new Set(events.map((event) => event.claim.patientToken)).size).toBe(2);
    expect(JSON.stringify(events)).not.toContain('030005074');
  });

  it.each([[nameOf(REMITTANCE)], [nameOf(REMITTANCE_PART_A)]])(
    'folds every CLP of %s as one adjudicated event: paid amounts and CAS totals by group to the cent',
    (name) => {
      const text = readFileSync(join(e2e.ingestRoot, name), 'utf8');
      const events = eventsOf(name);
      expect(events.map((event) => [event.claimId, event.claim.adjudication?.paidAmountCents])).toEqual(
        byClaimId(segmentsOf(text, 'CLP').map((clp) => [clp[1], centsOf(clp[4])])),
      );
      const byGroup = (pairs: Array<[string, number]>): Record<string, number> =>
        pairs.reduce<Record<string, number>>(
          (sums, [group, cents]) => ({ ...sums, [group]: (sums[group] ?? 0) + cents }),
          {},
        );
      const expected = byGroup(
        segmentsOf(text, 'CAS').flatMap((cas) =>
          [2, 5, 8, 11, 14, 17]
            .filter((position) => cas[position])
            .map((position): [string, number] => [cas[1] ?? '', centsOf(cas[position + 1])]),
        ),
      );
      const actual = byGroup(
        events.flatMap((event) =>
          (event.claim.adjudication?.adjustments ?? []).map((adjustment): [string, number] => [
            adjustment.groupCode,
            adjustment.amountCents,
          ]),
        ),
      );
      expect(actual).toEqual(expected);
      expect(events.every((event) => event.eventType === 'adjudicated')).toBe(true);
      expect(accountingOf(name)).toMatchObject({ recordsRead: 1, folded: 1, status: 'accounted' });
    },
  );

  it('dead-letters the broken transaction sets and interchange with located reasons while the sound one folds', async () => {
    expect(eventsOf(BROKEN).map((event) => [event.claimId, event.lineage.recordNumber])).toEqual(
      byClaimId(segmentsOf(readFileSync(INSTITUTIONAL_ONE, 'utf8'), 'CLM').map((clm) => [clm[1], 1])),
    );
    // The overlong segment costs its own transaction set only: one record, one dead letter, none for the segments after it.
    expect(accountingOf(BROKEN)).toMatchObject({ recordsRead: 4, folded: 1, deadLettered: 3, status: 'accounted' });
    const deadLetters = await readWholeTopic<DeadLetter>(e2e.brokers, `${e2e.namespace}.claims.dlq.v1`);
    // Each letter is keyed by its record: they reach the topic's partitions in no fixed order.
    const ofFile = deadLetters
      .filter((letter) => letter.lineage?.fileId === fileIds.get(BROKEN))
      .sort((left, right) => (left.lineage?.recordNumber ?? 0) - (right.lineage?.recordNumber ?? 0));
    const firstInterchangeSegments = readFileSync(INSTITUTIONAL_ONE, 'utf8')
      .split('~')
      .filter((piece) => piece.trim()).length;
    const secondSe = firstInterchangeSegments + 3 + 47;
    expect(
      ofFile.map((letter) => [letter.lineage?.recordNumber, letter.stage, letter.errorCode, letter.reason]),
    ).toEqual([
      [
        2,
        'ingestor',
        'X12_ENVELOPE_INVALID',
        `transaction: SE01 says 47 segments, the transaction set has 48 (segment ${secondSe}, element 1)`,
      ],
      [
        3,
        'ingestor',
        'X12_SEGMENT_TOO_LONG',
        expect.stringMatching(/^transaction: a segment is over 65536 characters \(segment \d+, element 0\)$/),
      ],
      [
        4,
        'ingestor',
        'X12_ENVELOPE_INVALID',
        expect.stringMatching(/^interchange: the input ends before IEA \(segment \d+, element 0\)$/),
      ],
    ]);
    // The dead letter of a failed transaction set carries its bytes, so it can be fixed and replayed.
    expect(Buffer.from(ofFile[0]?.originalValueBase64 ?? '', 'base64').toString()).toContain('CLM*756049Q*50.00');
  });

  it('folds a 277CA as one acknowledgement per claim: accepted claims acknowledged, an A7 claim rejected', () => {
    expect(
      eventsOf(CLAIM_ACK).map((event) => [
        event.claimId,
        event.eventType,
        event.claim.acknowledgement?.statusCode,
        event.claim.billedAmountCents,
      ]),
    ).toEqual([
      ['756048Q', 'acknowledged', 'A1', 8995],
      ['756049Q', 'rejected', 'A7', 5000],
    ]);
    // The 277CA names the member as the 837 did: its token is the claim's own.
    const submitted = eventsOf(nameOf(INSTITUTIONAL));
    expect(eventsOf(CLAIM_ACK).map((event) => event.claim.patientToken)).toEqual(
      submitted.map((event) => event.claim.patientToken),
    );
    expect(accountingOf(CLAIM_ACK)).toMatchObject({ recordsRead: 1, folded: 1, status: 'accounted' });
  });

  it('counts a claim once whatever answers it: a 277CA merges into its 837, a 999 adds no claim', async () => {
    const read = (path: string): string => readFileSync(path, 'utf8');
    // Every claim sent (CLM01) or paid (CLP01) by the folded files; the broken file folds its first interchange only.
    const claimIds = new Set(
      [
        ...[PROFESSIONAL, PROFESSIONAL_DEPENDENT, INSTITUTIONAL, INSTITUTIONAL_ONE].flatMap((path) =>
          segmentsOf(read(path), 'CLM'),
        ),
        ...[REMITTANCE, REMITTANCE_PART_A].flatMap((path) => segmentsOf(read(path), 'CLP')),
      ].map((segment) => segment[1]),
    );
    const summary = await e2e.pipeline.api<KpiSummary>('/v1/kpis/summary');
    expect(summary.claimsReceived).toBe(claimIds.size);
    expect(accountingOf(SET_ACK)).toMatchObject({ recordsRead: 2, folded: 2, status: 'accounted' });
  });

  it('serves the claim lifecycle: 999 and 277CA verdicts joined to their 837s, 835s for unsent claims unmatched', async () => {
    const lifecycle = await e2e.pipeline.api<ClaimLifecycleResponse>('/v1/kpis/claim-lifecycle');
    const remittedClaims = [REMITTANCE, REMITTANCE_PART_A].flatMap((path) =>
      segmentsOf(readFileSync(path, 'utf8'), 'CLP'),
    ).length;
    expect(lifecycle).toMatchObject({
      // No CLP01 of the two 835 samples is a CLM01 of the 837 samples: nothing is adjudicated after a submission.
      firstPassCleanClaimRate: { numerator: 0, denominator: 0 },
      // Set 0021 rejected, set 987654 accepted.
      functionalAcknowledgementRejectionRate: { numerator: 1, denominator: 2 },
      // 756048Q accepted (A1), 756049Q rejected (A7), both answered for billing NPI 1234567890.
      claimAcknowledgementRejectionRate: { numerator: 1, denominator: 2 },
      unmatched: { adjudications: remittedClaims, acknowledgements: 0 },
    });
  });
});
