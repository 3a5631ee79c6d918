import { DeadLetterSchema, RawClaimRecordSchema, sha256Hex } from '@claims/contracts';
import { REPO_ROOT } from '@claims/harness';
import {
  parseX12RecordContext,
  x12EnvelopeVerdictsOf,
  x12TokensOf,
  x12TransactionSetsOf,
  type X12EnvelopeItem,
} from '@claims/x12';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { x12RecordMessage, type X12RecordContext } from './x12-record-message';

const X12 = join(REPO_ROOT, 'data', 'x12');
const INSTITUTIONAL = readFileSync(
  join(X12, 'linuxforhealth', '837_005010X223A3', 'two-claims-single-provider.837i'),
  'utf8',
);
const OLD_VERSION = readFileSync(join(X12, 'linuxforhealth', '837_004010X098A1', 'patient-is-subscriber.837'), 'utf8');

const context: X12RecordContext = {
  source: 'claims.837i',
  fileId: sha256Hex('file'),
  maxRecordBytes: 921600,
  traceParent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  now: new Date('2026-01-01T00:00:00.000Z'),
};

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

async function* onceBytes(bytes: Buffer): AsyncGenerator<Buffer> {
  yield bytes;
}

async function itemsOf(text: string): Promise<X12EnvelopeItem[]> {
  const verdicts = await x12EnvelopeVerdictsOf(x12TokensOf(once(text)));
  const items: X12EnvelopeItem[] = [];
  for await (const item of x12TransactionSetsOf(x12TokensOf(once(text)), { verdicts })) items.push(item);
  return items;
}

describe('x12RecordMessage', () => {
  it('publishes a transaction set as one raw event of layout x12.837i, with its envelope context and the ST ordinal as record number', async () => {
    const [item] = await itemsOf(INSTITUTIONAL);
    const outcome = x12RecordMessage(item!, context);
    if (outcome.kind !== 'raw') throw new Error('expected a raw event');
    const event = RawClaimRecordSchema.parse(JSON.parse(outcome.message.value));
    expect(event.layout).toBe('x12.837i');
    expect(event.lineage).toEqual({
      source: 'claims.837i',
      fileId: context.fileId,
      recordNumber: 1,
      recordSha256: sha256Hex(event.record),
    });
    expect(event.record.startsWith('ST*837*987654*005010X223A3~')).toBe(true);
    expect(parseX12RecordContext(event.header)).toMatchObject({
      separators: { element: '*', component: ':', segment: '~', repetition: '^' },
      interchangeControlNumber: '000000907',
      groupControlNumber: '1',
      groupVersion: '005010X223A3',
      transactionControlNumber: '987654',
      firstSegmentNumber: 3,
    });
  });

  it('dead-letters a broken SE count with X12_ENVELOPE_INVALID, the reason locating segment and element, the bytes kept', async () => {
    const [item] = await itemsOf(INSTITUTIONAL.replace('SE*48*987654', 'SE*47*987654'));
    const outcome = x12RecordMessage(item!, context);
    if (outcome.kind !== 'dead_letter') throw new Error('expected a dead letter');
    const letter = DeadLetterSchema.parse(JSON.parse(outcome.message.value));
    expect(letter).toMatchObject({
      stage: 'ingestor',
      errorCode: 'X12_ENVELOPE_INVALID',
      lineage: { recordNumber: 1 },
    });
    expect(letter.reason).toBe(
      'transaction: SE01 says 47 segments, the transaction set has 48 (segment 50, element 1)',
    );
    expect(Buffer.from(letter.originalValueBase64, 'base64').toString()).toContain('CLM*756048Q*89.95');
  });

  it('dead-letters a segment outside any transaction set with that segment as its original, so the letter shows what failed', async () => {
    const items = await itemsOf(INSTITUTIONAL.replace('GE*1*1~', 'REF*EA*STRAY-SEGMENT~GE*1*1~'));
    const stray = items.find((item) => item.kind === 'failure' && item.transaction === null);
    if (!stray) throw new Error('expected a failure of its own for the stray segment');
    const outcome = x12RecordMessage(stray, context);
    if (outcome.kind !== 'dead_letter') throw new Error('expected a dead letter');
    const letter = DeadLetterSchema.parse(JSON.parse(outcome.message.value));
    expect(letter.reason).toMatch(/^segment: segment REF outside a transaction set/);
    expect(Buffer.from(letter.originalValueBase64, 'base64').toString()).toContain('REF*EA*STRAY-SEGMENT~');
  });

  it('skips a 4010 transaction set as X12_VERSION_UNSUPPORTED, naming the version, rather than reading it', async () => {
    const [item] = await itemsOf(OLD_VERSION);
    const outcome = x12RecordMessage(item!, context);
    expect(outcome).toEqual({
      kind: 'skipped',
      code: 'X12_VERSION_UNSUPPORTED',
      reason: expect.stringContaining('004010'),
      recordNumber: 1,
    });
  });

  it.each([
    ['270_005010X279A1/subscriber-health-benefit-check.270', '270', 'eligibility inquiry'],
    ['271_005010X279A1/subscriber-health-benefit-check.271', '271', 'eligibility response'],
    ['276_005010X212/claim-level-status.276', '276', 'claim status inquiry'],
    ['834_005010X220A1/add-dependent.834', '834', 'benefit enrollment'],
  ])('skips %s as a transaction set no KPI folds, not as a failure', async (file, transactionSetId, kind) => {
    const items = await itemsOf(readFileSync(join(X12, 'linuxforhealth', file), 'utf8'));
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(x12RecordMessage(item, context)).toEqual({
        kind: 'skipped',
        code: 'X12_TRANSACTION_NOT_FOLDED',
        reason: `transaction set ${transactionSetId} (${kind}) is not folded into any KPI`,
        recordNumber: expect.any(Number),
      });
    }
  });

  it('skips a transaction set of a type no KPI folds even when its envelope fails, naming the failure', async () => {
    // The sample's SE02 (4323) does not match its ST02 (4321).
    const text = readFileSync(
      join(X12, 'linuxforhealth', '271_005010X279A1', 'subscriber-health-benefit-check-error.271'),
      'utf8',
    );
    const [item] = await itemsOf(text);
    expect(item?.kind).toBe('failure');
    expect(x12RecordMessage(item!, context)).toEqual({
      kind: 'skipped',
      code: 'X12_TRANSACTION_NOT_FOLDED',
      reason: expect.stringMatching(
        /^transaction set 271 \(eligibility response\) is not folded into any KPI \(its envelope failed too: .*SE02/,
      ),
      recordNumber: 1,
    });
  });

  it('publishes a 277 claim status response (005010X212) under its own layout', async () => {
    const items = await itemsOf(
      readFileSync(join(X12, 'linuxforhealth', '277_005010X212', 'claim-level-status.277'), 'utf8'),
    );
    const outcome = x12RecordMessage(items[0]!, context);
    expect(outcome.kind).toBe('raw');
    const event = RawClaimRecordSchema.parse(JSON.parse(outcome.kind === 'raw' ? outcome.message.value : '{}'));
    expect(event.layout).toBe('x12.277');
  });

  it('dead-letters a transaction set holding a segment its guide does not define, located, and the next one flows', async () => {
    // The foreign segment sits inside the first claim loop; SE01 is corrected so only the segment itself is wrong.
    const damaged = INSTITUTIONAL.replace(
      'CLM*756048Q*89.95***13:A:1*Y*C*Y*Y~',
      'CLM*756048Q*89.95***13:A:1*Y*C*Y*Y~ZZZ*1~',
    ).replace('SE*48*987654~', 'SE*49*987654~');
    const items = await itemsOf(damaged + INSTITUTIONAL);
    const [first, second] = items.map((item) => x12RecordMessage(item, context));
    expect(first?.kind === 'dead_letter' && first.errorCode).toBe('X12_SEGMENT_UNKNOWN');
    const letter = DeadLetterSchema.parse(JSON.parse(first?.kind === 'dead_letter' ? first.message.value : '{}'));
    const segmentNumber = damaged.split('~').findIndex((segment) => segment.trim().startsWith('ZZZ')) + 1;
    expect(letter.reason).toBe(
      `transaction: segment ZZZ is not a segment of x12.837i (segment ${segmentNumber}, element 0)`,
    );
    expect(second?.kind).toBe('raw');
  });

  it('dead-letters a transaction set holding a NUL character as RECORD_ENCODING_INVALID, and the next one flows', async () => {
    const damaged = INSTITUTIONAL.replace('CLM*756048Q*89.95', 'CLM*7560\u000048Q*89.95');
    const [first, second] = (await itemsOf(damaged + INSTITUTIONAL)).map((item) => x12RecordMessage(item, context));
    if (first?.kind !== 'dead_letter') throw new Error('expected a dead letter');
    const letter = DeadLetterSchema.parse(JSON.parse(first.message.value));
    expect(letter).toMatchObject({
      errorCode: 'RECORD_ENCODING_INVALID',
      reason: 'the transaction set holds a NUL character (U+0000), which is not text',
      lineage: { recordNumber: 1 },
    });
    expect(second?.kind).toBe('raw');
  });

  it('dead-letters a transaction set holding bytes that are not UTF-8 (a Latin-1 name) as RECORD_ENCODING_INVALID, and the next one flows', async () => {
    const bytes = Buffer.from(INSTITUTIONAL + INSTITUTIONAL);
    // The first set's billing provider name, written by a Latin-1 system: one byte 0xC9 where UTF-8 needs two.
    const name = bytes.indexOf('NM1*85*2*');
    bytes[name + 'NM1*85*2*'.length] = 0xc9;
    const verdicts = await x12EnvelopeVerdictsOf(x12TokensOf(onceBytes(bytes)));
    const items: X12EnvelopeItem[] = [];
    for await (const item of x12TransactionSetsOf(x12TokensOf(onceBytes(bytes)), { verdicts })) items.push(item);
    const [first, second] = items.map((item) => x12RecordMessage(item, context));
    if (first?.kind !== 'dead_letter') throw new Error('expected a dead letter');
    expect(DeadLetterSchema.parse(JSON.parse(first.message.value))).toMatchObject({
      errorCode: 'RECORD_ENCODING_INVALID',
      reason: 'the transaction set is not UTF-8 text (bytes read as U+FFFD)',
      lineage: { recordNumber: 1 },
    });
    expect(second?.kind).toBe('raw');
  });

  it('dead-letters a transaction set whose raw event would be over the record limit as RECORD_TOO_LARGE', async () => {
    const [item] = await itemsOf(INSTITUTIONAL);
    const outcome = x12RecordMessage(item!, { ...context, maxRecordBytes: 1024 });
    expect(outcome.kind === 'dead_letter' && outcome.errorCode).toBe('RECORD_TOO_LARGE');
  });
});
