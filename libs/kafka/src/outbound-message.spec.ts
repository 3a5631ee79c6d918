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
