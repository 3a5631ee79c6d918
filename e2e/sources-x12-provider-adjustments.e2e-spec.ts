import type { DeadLetter } from '@claims/contracts';
import { REPO_ROOT, waitFor } from '@claims/harness';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startE2ePipeline, type E2ePipeline } from './e2e-pipeline';
import { readWholeTopic } from './sources-file-truth';
import { settledVerification, type Verification } from './verification';

const REMITTANCES = join(REPO_ROOT, 'data', 'x12', 'linuxforhealth', '835_005010X221A1');
/** The vendored 835 whose trailer holds a PLB (CV capital pass-through) beside its claims. */
const WITH_CLAIMS = 'medicare-part-a.835';
const PLB_ONLY = 'recoupment.835';

/**
 * A recoupment written at run time: the medicare-part-a 835's envelope and
 * header, no claim, and three PLB pairs: 100.00 of an overpayment recovered
 * (WO) and carried forward (FB), and 12.50 of interest paid (L6). BPR02 is
 * Σ CLP04 (none) less Σ PLB, as 005010X221A1 balances it.
 */
function recoupmentText(): string {
  const sample = readFileSync(join(REMITTANCES, WITH_CLAIMS), 'utf8');
  const header = sample
    .slice(0, sample.indexOf('LX*'))
    .replace(/BPR\*C\*150000\.00\*/, 'BPR*I*12.50*')
    .replace('TRN*1*12345*', 'TRN*1*RECOUP-77*');
  const plbs = ['PLB*6543210903*20241231*WO:666123*100*FB:ACCT-9*-100', 'PLB*6543210903*20241231*L6*-12.50'];
  return `${header}${plbs.join('~\n')}~\nSE*${10 + plbs.length}*1234~\nGE*1*1~\nIEA*1*000000907~\n`;
}

/** (reason, amount in cents) of every PLB pair of a raw X12 text: the test's own reading of the file. */
function plbPairsOf(text: string): Array<[string, number]> {
  return text
    .split('~')
    .map((segment) => segment.trim().split('*'))
    .filter((elements) => elements[0] === 'PLB')
    .flatMap((elements) => {
      const pairs: Array<[string, number]> = [];
      for (let position = 3; position + 1 < elements.length; position += 2) {
        const reason = (elements[position] ?? '').split(':')[0] ?? '';
        if (reason !== '') pairs.push([reason, Math.round(Number(elements[position + 1]) * 100)]);
      }
      return pairs;
    });
}

interface ProviderAdjustmentsResponse {
  totals: { adjustments: number; amountCents: number };
  rows: Array<{ key: string; label: string | null; adjustments: number; amountCents: number }>;
}

describe('835 provider-level adjustments (PLB) through the five services', () => {
  let e2e: E2ePipeline;
  let verification: Verification;
  const fileIds = new Map<string, string>();

  beforeAll(async () => {
    e2e = await startE2ePipeline('x12-plb');
    copyFileSync(join(REMITTANCES, WITH_CLAIMS), join(e2e.ingestRoot, WITH_CLAIMS));
    writeFileSync(join(e2e.ingestRoot, PLB_ONLY), recoupmentText());
    for (const name of [WITH_CLAIMS, PLB_ONLY]) fileIds.set(name, (await e2e.pipeline.ingest(name)).fileId);
    verification = await settledVerification(e2e.pipeline, { fileIds: [...fileIds.values()], timeoutMs: 90_000 });
  });

  afterAll(async () => {
    await e2e?.stop();
  });

  it('serves the adjustments by reason with the counts and cents the PLB segments of both files state', async () => {
    const pairs = [WITH_CLAIMS, PLB_ONLY].flatMap((name) =>
      plbPairsOf(readFileSync(join(e2e.ingestRoot, name), 'utf8')),
    );
    const reasons = [...new Set(pairs.map(([reason]) => reason))].sort();
    const expected = reasons.map((reason) => {
      const ofReason = pairs.filter(([code]) => code === reason);
      return {
        key: reason,
        adjustments: ofReason.length,
        amountCents: ofReason.reduce((sum, [, cents]) => sum + cents, 0),
      };
    });
    const body = await waitFor(
      'every PLB pair to be folded',
      () => e2e.pipeline.api<ProviderAdjustmentsResponse>('/v1/kpis/provider-adjustments?groupBy=reason'),
      (response) => response.totals.adjustments >= pairs.length,
      { timeoutMs: 90_000, intervalMs: 250 },
    );
    expect(body.rows.map(({ key, adjustments, amountCents }) => ({ key, adjustments, amountCents }))).toEqual(expected);
    expect(body.totals).toMatchObject({
      adjustments: pairs.length,
      amountCents: pairs.reduce((sum, [, cents]) => sum + cents, 0),
    });
    expect(body.rows.every((row) => typeof row.label === 'string' && row.label.length > 0)).toBe(true);
  });

  it('accounts the PLB-only 835 as one folded record, with no dead letter', async () => {
    expect(verification).toMatchObject({ consistent: true, mismatches: [] });
    const accounting = (name: string) => verification.files.find((file) => file.fileId === fileIds.get(name));
    expect(accounting(PLB_ONLY)).toMatchObject({ recordsRead: 1, folded: 1, deadLettered: 0, status: 'accounted' });
    // The 835 with claims still counts its one record once, though its claims and its PLB were folded apart.
    expect(accounting(WITH_CLAIMS)).toMatchObject({ recordsRead: 1, folded: 1, deadLettered: 0, status: 'accounted' });
    const deadLetters = await readWholeTopic<DeadLetter>(e2e.brokers, `${e2e.namespace}.claims.dlq.v1`);
    expect(deadLetters.filter((letter) => letter.lineage?.fileId === fileIds.get(PLB_ONLY))).toEqual([]);
  });
});
