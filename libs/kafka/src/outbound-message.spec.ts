import {
  DeadLetterSchema,
  EVENT_HEADERS,
  LEGACY_LINEAGE_HEADERS,
  claimEventHeaders,
  sha256Hex,
} from '@claims/contracts';
import {
  DEAD_LETTER_MAX_ORIGINAL_BYTES,
  boundedOriginal,
  deadLetterFor,
  lineageFromHeaders,
  sourceRecordDeadLetter,
} from './outbound-message';
import { MAX_MESSAGE_BYTES, outboundMessageBytes } from './claim-producer';
import type { IHeaders, KafkaMessage } from 'kafkajs';
import { createHash, randomBytes } from 'node:crypto';

const lineage = { source: 'claims.csv', fileId: sha256Hex('file'), recordNumber: 7, recordSha256: sha256Hex('record') };
const lineageHeaders = claimEventHeaders({ lineage }, undefined);

describe('boundedOriginal', () => {
  it('keeps a small original whole, with its size and hash', () => {
    const value = Buffer.from('{"claimId":"1"}');
    expect(boundedOriginal(value)).toEqual({
      originalValueBase64: value.toString('base64'),
      originalBytes: value.length,
      originalSha256: sha256Hex(value.toString()),
      originalTruncated: false,
    });
  });

  it('keeps only a prefix of a huge original, and the hash of the whole', () => {
    const value = Buffer.alloc(3 * 1024 * 1024, 0x61);
    const bounded = boundedOriginal(value);
    expect(Buffer.from(bounded.originalValueBase64, 'base64').length).toBe(DEAD_LETTER_MAX_ORIGINAL_BYTES);
    expect(bounded).toMatchObject({ originalBytes: value.length, originalTruncated: true });
    expect(bounded.originalSha256).toBe(sha256Hex(value.toString()));
  });
});

describe('deadLetterFor', () => {
  it('makes a dead letter of a 900 KB message that still fits the broker limit and names its source record', () => {
    const value = Buffer.alloc(900 * 1024, 0x7b);
    const message = deadLetterFor(
      {
        topic: 'claims.raw.v1',
        partition: 2,
        message: { key: Buffer.from('c1'), value, headers: lineageHeaders, offset: '41' } as never,
      },
      'normalizer',
      { code: 'COLUMN_COUNT_MISMATCH', reason: 'expected 142 columns, found 3' },
      new Date('2026-01-01T00:00:00Z'),
    );
    expect(outboundMessageBytes(message)).toBeLessThan(MAX_MESSAGE_BYTES);
    const deadLetter = DeadLetterSchema.parse(JSON.parse(message.value));
    expect(deadLetter).toMatchObject({ stage: 'normalizer', originalTruncated: true, lineage });
  });
});

/** A record as KafkaJS hands it to eachBatch: key, value and header values as Buffers, or null where the wire said -1. */
const consumedRecord = (record: {
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders | Record<string, Buffer | null | Array<Buffer | null>>;
}): KafkaMessage => ({
  key: record.key,
  value: record.value,
  headers: record.headers as IHeaders,
  offset: '41',
  timestamp: '1767225600000',
  attributes: 0,
});

const letterOf = (message: KafkaMessage, reason = 'expected 142 columns, found 3') => {
  const letter = deadLetterFor(
    { topic: 'claims.raw.v1', partition: 2, message },
    'normalizer',
    { code: 'COLUMN_COUNT_MISMATCH', reason },
    new Date('2026-01-01T00:00:00Z'),
  );
  return { letter, deadLetter: DeadLetterSchema.parse(JSON.parse(letter.value)) };
};

const utf8Headers = (): Record<string, Buffer> =>
  Object.fromEntries(Object.entries(lineageHeaders).map(([name, value]) => [name, Buffer.from(value)]));

describe('deadLetterFor, of records a producer other than ours may have written', () => {
  it('dead-letters a record with a header of null value (length -1 on the wire, which KafkaJS decodes as null)', () => {
    const message = consumedRecord({
      key: Buffer.from('c1'),
      value: Buffer.from('not json'),
      headers: { ...utf8Headers(), 'x-empty': null, 'x-some': [Buffer.from('a'), null] },
    });
    const { deadLetter } = letterOf(message);
    expect(deadLetter.lineage).toEqual(lineage);
    expect(deadLetter.originalHeaders).toMatchObject({ ...lineageHeaders, 'x-some': 'a' });
    expect(deadLetter.originalTruncated).toBe(true);
  });

  it('keeps a plain UTF-8 record replayable whole: its key, value and headers as they were', () => {
    const value = Buffer.from('{"claimId":"c1"}');
    const { deadLetter } = letterOf(consumedRecord({ key: Buffer.from('c1'), value, headers: utf8Headers() }));
    expect(deadLetter).toMatchObject({
      origin: { key: 'c1' },
      originalHeaders: lineageHeaders,
      originalValueBase64: value.toString('base64'),
      originalTruncated: false,
    });
  });

  it.each([
    ['a key that is not UTF-8', { key: Buffer.from([0x63, 0xff, 0x31]) }],
    ['a header value that is not UTF-8', { headers: { ...utf8Headers(), 'x-raw': Buffer.from([0xc3, 0x28]) } }],
    [
      'a header repeated with two values',
      { headers: { ...utf8Headers(), 'x-twice': [Buffer.from('a'), Buffer.from('b')] } },
    ],
    ['a tombstone (null value)', { value: null }],
  ])('marks the letter of a record with %s as not holding the original whole, so no replay alters it', (_, changed) => {
    const message = consumedRecord({
      key: Buffer.from('c1'),
      value: Buffer.from('{}'),
      headers: utf8Headers(),
      ...changed,
    });
    expect(letterOf(message).deadLetter.originalTruncated).toBe(true);
  });

  it('stays under the message limit when the key, headers and reason are huge and escape to six JSON bytes a byte', () => {
    // Under 1 MiB together, as the broker accepted it: a 512 KiB value, a 100 KiB key, 300 KiB of headers.
    const value = randomBytes(512 * 1024 + 7);
    const controlCharacters = (bytes: number): Buffer => Buffer.alloc(bytes, 0x01);
    const message = consumedRecord({
      key: controlCharacters(100 * 1024),
      value,
      headers: { ...utf8Headers(), 'x-one': controlCharacters(150 * 1024), 'x-two': controlCharacters(150 * 1024) },
    });
    const { letter, deadLetter } = letterOf(message, `refused "${'\u0001'.repeat(20_000)}"`);
    expect(outboundMessageBytes(letter)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(deadLetter).toMatchObject({
      lineage,
      originalBytes: value.length,
      originalSha256: createHash('sha256').update(value).digest('hex'),
      originalTruncated: true,
    });
    expect(deadLetter.originalValueBase64).toBe(value.subarray(0, DEAD_LETTER_MAX_ORIGINAL_BYTES).toString('base64'));
  });
});

describe('sourceRecordDeadLetter', () => {
  it('keys the dead letter of a refused source record by its hash, with the full size it had', () => {
    const message = sourceRecordDeadLetter({
      record: Buffer.alloc(1024, 0x61),
      fullBytes: 60 * 1024 * 1024,
      fullSha256: lineage.recordSha256,
      lineage,
      failure: { code: 'RECORD_TOO_LARGE', reason: 'the record is over the limit' },
      failedAt: new Date('2026-01-01T00:00:00Z'),
    });
    expect(message.key).toBe(lineage.recordSha256);
    expect(lineageFromHeaders(message.headers)).toEqual(lineage);
    expect(DeadLetterSchema.parse(JSON.parse(message.value))).toMatchObject({
      stage: 'ingestor',
      origin: null,
      originalBytes: 60 * 1024 * 1024,
      originalTruncated: true,
      lineage,
    });
  });
});

describe('lineageFromHeaders', () => {
  it('reads a consumed event’s source record from its x-lineage header', () => {
    expect(Object.keys(lineageHeaders)).toEqual([EVENT_HEADERS.schemaVersion, EVENT_HEADERS.lineage]);
    expect(lineageFromHeaders(lineageHeaders)).toEqual(lineage);
  });

  it('keeps the row count of an event that stands for several adjacent rows, and leaves out a count of one', () => {
    const rows = { ...lineage, recordCount: 3 };
    expect(lineageFromHeaders(claimEventHeaders({ lineage: rows }, undefined))).toEqual(rows);
    expect(claimEventHeaders({ lineage: { ...lineage, recordCount: 1 } }, undefined)[EVENT_HEADERS.lineage]).toBe(
      claimEventHeaders({ lineage }, undefined)[EVENT_HEADERS.lineage],
    );
  });

  it('still reads the one-field-apiece lineage headers of events written before x-lineage', () => {
    const legacy = {
      [LEGACY_LINEAGE_HEADERS.source]: lineage.source,
      [LEGACY_LINEAGE_HEADERS.fileId]: lineage.fileId,
      [LEGACY_LINEAGE_HEADERS.recordNumber]: '7',
      [LEGACY_LINEAGE_HEADERS.recordCount]: '2',
      [LEGACY_LINEAGE_HEADERS.recordSha256]: lineage.recordSha256,
    };
    expect(lineageFromHeaders(legacy)).toEqual({ ...lineage, recordCount: 2 });
  });

  it('answers null when the headers do not name a valid source record', () => {
    expect(lineageFromHeaders({})).toBeNull();
    expect(lineageFromHeaders({ [EVENT_HEADERS.lineage]: '{"source":' })).toBeNull();
    expect(
      lineageFromHeaders({ [EVENT_HEADERS.lineage]: JSON.stringify({ ...lineage, fileId: 'not-a-hash' }) }),
    ).toBeNull();
  });
});
