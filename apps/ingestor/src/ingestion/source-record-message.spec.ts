import { DeadLetterSchema, RawClaimRecordSchema, sha256Hex } from '@claims/contracts';
import { REPO_ROOT } from '@claims/harness';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lineageFromHeaders, outboundMessageBytes } from '@claims/kafka';
import { rowGroupMessages, sourceRecordMessage, type SourceRecordContext } from './source-record-message';

const SAMPLE = join(REPO_ROOT, 'data', 'desynpuf', 'sample2', 'DE1_0_2008_to_2010_Carrier_Claims_Sample_2B.csv');
const firstRecord = readFileSync(SAMPLE, 'utf8').split(/\r?\n/)[1] ?? '';
const ONE_MIB = 1024 * 1024;

const context: SourceRecordContext = {
  layout: 'desynpuf.carrier',
  source: 'carrier.csv',
  fileId: sha256Hex('file'),
  recordNumber: 7,
  maxRecordBytes: 921600,
  traceParent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  now: new Date('2026-01-01T00:00:00.000Z'),
};

function deadLetterOf(outcome: ReturnType<typeof sourceRecordMessage> | undefined) {
  if (outcome?.kind !== 'dead_letter') throw new Error('expected a dead letter');
  return DeadLetterSchema.parse(JSON.parse(outcome.message.value));
}

describe('sourceRecordMessage', () => {
  it('makes a raw event keyed by claim id with lineage headers for a record that fits', () => {
    const bytes = Buffer.from(firstRecord);
    const outcome = sourceRecordMessage({ kind: 'line', text: firstRecord, bytes }, context);
    if (outcome.kind !== 'raw') throw new Error('expected a raw event');
    const event = RawClaimRecordSchema.parse(JSON.parse(outcome.message.value));
    expect(outcome.message.key).toBe('737473360654133');
    expect(event.record).toBe(firstRecord);
    expect(event.lineage).toEqual({
      source: 'carrier.csv',
      fileId: context.fileId,
      recordNumber: 7,
      recordSha256: sha256Hex(bytes),
    });
    expect(lineageFromHeaders(outcome.message.headers)?.recordNumber).toBe(7);
  });

  it('dead-letters a too-large line as RECORD_TOO_LARGE with its prefix, full size and hash, under 1 MiB', () => {
    const prefix = Buffer.alloc(512 * 1024, 0x41);
    const fullSha256 = sha256Hex('the whole line');
    const outcome = sourceRecordMessage(
      { kind: 'too_large', prefix, byteLength: 60 * ONE_MIB, sha256: fullSha256 },
      context,
    );
    const letter = deadLetterOf(outcome);
    expect(letter).toMatchObject({
      stage: 'ingestor',
      errorCode: 'RECORD_TOO_LARGE',
      origin: null,
      lineage: { source: 'carrier.csv', fileId: context.fileId, recordNumber: 7, recordSha256: fullSha256 },
      originalBytes: 60 * ONE_MIB,
      originalSha256: fullSha256,
      originalTruncated: true,
    });
    expect(letter.reason).toBe('the record is 62914560 bytes, over the 921600-byte record limit');
    expect(outcome.message.key).toBe(fullSha256);
    expect(outboundMessageBytes(outcome.message)).toBeLessThan(ONE_MIB);
  });

  it('dead-letters a record whose raw event JSON escaping grows over the limit as RECORD_TOO_LARGE', () => {
    // 200 KB of control characters: each becomes a six-byte \u00XX escape in JSON.
    const text = `${firstRecord},${'\u0001'.repeat(200_000)}`;
    const bytes = Buffer.from(text);
    expect(bytes.length).toBeLessThan(context.maxRecordBytes);
    const outcome = sourceRecordMessage({ kind: 'line', text, bytes }, context);
    const letter = deadLetterOf(outcome);
    expect(letter.errorCode).toBe('RECORD_TOO_LARGE');
    expect(letter.reason).toMatch(/^the record's raw event is \d+ bytes, over the 921600-byte record limit$/);
    expect(letter.originalBytes).toBe(bytes.length);
    expect(letter.lineage?.recordSha256).toBe(sha256Hex(bytes));
    expect(outboundMessageBytes(outcome.message)).toBeLessThan(ONE_MIB);
  });

  it('dead-letters a line that is not UTF-8 as RECORD_ENCODING_INVALID with its exact bytes', () => {
    const bytes = Buffer.from([0x31, 0x2c, 0xff, 0x32]);
    const letter = deadLetterOf(sourceRecordMessage({ kind: 'not_text', cause: 'invalid_utf8', bytes }, context));
    expect(letter).toMatchObject({
      errorCode: 'RECORD_ENCODING_INVALID',
      reason: 'the record is not UTF-8 text',
      originalValueBase64: bytes.toString('base64'),
      originalBytes: 4,
      originalTruncated: false,
      lineage: { recordNumber: 7, recordSha256: sha256Hex(bytes) },
    });
  });
});

describe('sourceRecordMessage with a NUL character', () => {
  it('dead-letters the line as RECORD_ENCODING_INVALID, naming the NUL and keeping its exact bytes', () => {
    const bytes = Buffer.from('1,2\u00003', 'utf8');
    const letter = deadLetterOf(sourceRecordMessage({ kind: 'not_text', cause: 'nul_character', bytes }, context));
    expect(letter).toMatchObject({
      errorCode: 'RECORD_ENCODING_INVALID',
      reason: 'the record holds a NUL character (U+0000), which is not text',
      originalValueBase64: bytes.toString('base64'),
      lineage: { recordNumber: 7, recordSha256: sha256Hex(bytes) },
    });
  });
});

describe('rowGroupMessages', () => {
  const groupContext = {
    layout: 'rif.carrier',
    source: 'carrier.txt',
    fileId: sha256Hex('file'),
    maxRecordBytes: 921600,
    traceParent: context.traceParent,
    now: context.now,
    header: 'DML_IND|CLM_ID|LINE_NUM',
  };
  const limits = { maxRows: 1000, maxBytes: 900 * 1024 };
  const row = (recordNumber: number, text: string) => ({
    text,
    recordNumber,
    byteLength: Buffer.byteLength(text),
    recordKey: '-100000486',
  });

  it('publishes the adjacent rows of a claim as one raw event naming its first row and row count', () => {
    const rows = [row(3, 'INSERT|-100000486|1'), row(4, 'INSERT|-100000486|2')];
    const [outcome, ...rest] = rowGroupMessages({ kind: 'claim', key: '-100000486', rows }, groupContext, limits);
    expect(rest).toEqual([]);
    if (outcome?.kind !== 'raw') throw new Error('expected a raw event');
    expect(outcome.rows).toBe(2);
    const event = RawClaimRecordSchema.parse(JSON.parse(outcome.message.value));
    expect(event).toMatchObject({
      schemaVersion: 2,
      claimId: '-100000486',
      header: 'DML_IND|CLM_ID|LINE_NUM',
      record: 'INSERT|-100000486|1\nINSERT|-100000486|2',
      lineage: { recordNumber: 3, recordCount: 2, recordSha256: sha256Hex('INSERT|-100000486|1\nINSERT|-100000486|2') },
    });
    expect(outcome.message.key).toBe('-100000486');
    expect(lineageFromHeaders(outcome.message.headers)?.recordCount).toBe(2);
  });

  it("publishes a claim's rows that sit apart as one version 3 raw event listing every row, in lineage and header", () => {
    const rows = [row(11, 'INSERT|-100000486|2'), row(35, 'INSERT|-100000486|1')];
    const [outcome] = rowGroupMessages({ kind: 'claim', key: '-100000486', rows }, groupContext, limits);
    if (outcome?.kind !== 'raw') throw new Error('expected a raw event');
    expect(outcome.rows).toBe(2);
    const event = RawClaimRecordSchema.parse(JSON.parse(outcome.message.value));
    expect(event).toMatchObject({
      schemaVersion: 3,
      record: 'INSERT|-100000486|2\nINSERT|-100000486|1',
      lineage: { recordNumber: 11, recordCount: 2, recordNumbers: [11, 35] },
    });
    expect(lineageFromHeaders(outcome.message.headers)).toMatchObject({ recordCount: 2, recordNumbers: [11, 35] });
  });

  it('dead-letters a repeated row as ROW_REPEATED under its own row number, naming the row it repeats', () => {
    const [outcome, ...rest] = rowGroupMessages(
      { kind: 'repeated_row', key: 'K', rows: [row(36, 'INSERT|-100000486|1')], repeats: 35 },
      groupContext,
      limits,
    );
    expect(rest).toEqual([]);
    if (outcome?.kind !== 'dead_letter') throw new Error('expected a dead letter');
    const letter = deadLetterOf(outcome);
    expect([letter.errorCode, letter.lineage?.recordNumber, letter.reason]).toEqual([
      'ROW_REPEATED',
      36,
      "the row repeats row 35 of its claim byte for byte: a claim's segment read twice",
    ]);
  });

  it('dead-letters each row of a claim over the group limit as GROUP_TOO_LARGE, with its own lineage', () => {
    const rows = [row(7, 'a'), row(8, 'b'), row(9, 'c')];
    const outcomes = rowGroupMessages({ kind: 'over_limit', key: 'K', rows }, groupContext, limits);
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(['dead_letter', 'dead_letter', 'dead_letter']);
    const letters = outcomes.map(deadLetterOf);
    expect(
      letters.map((letter) => [letter.errorCode, letter.lineage?.recordNumber, letter.lineage?.recordSha256]),
    ).toEqual([
      ['GROUP_TOO_LARGE', 7, sha256Hex('a')],
      ['GROUP_TOO_LARGE', 8, sha256Hex('b')],
      ['GROUP_TOO_LARGE', 9, sha256Hex('c')],
    ]);
    expect(letters[0]?.reason).toBe("the claim's rows are over the group limit of 1000 rows or 921600 bytes");
  });

  it('dead-letters each row when the claim fits the group limit but its raw event does not fit the record limit', () => {
    const rows = [row(1, `${'\u0001'.repeat(100_000)}`), row(2, `${'\u0001'.repeat(100_000)}`)];
    const outcomes = rowGroupMessages({ kind: 'claim', key: 'K', rows }, groupContext, limits);
    expect(outcomes.map(deadLetterOf).map((letter) => [letter.errorCode, letter.lineage?.recordNumber])).toEqual([
      ['RECORD_TOO_LARGE', 1],
      ['RECORD_TOO_LARGE', 2],
    ]);
  });

  it('keys a member reference by its member, with no claim id on the raw event', () => {
    const [outcome] = rowGroupMessages(
      { kind: 'claim', key: null, rows: [{ ...row(1, 'INSERT|-1000006|22'), recordKey: '-1000006' }] },
      { ...groupContext, layout: 'rif.beneficiary', memberKey: true },
      limits,
    );
    if (outcome?.kind !== 'raw') throw new Error('expected a raw event');
    expect(outcome.message.key).toBe('-1000006');
    expect(RawClaimRecordSchema.parse(JSON.parse(outcome.message.value)).claimId).toBeNull();
  });
});
