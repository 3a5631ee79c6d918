import type { DeadLetter } from '@claims/contracts';
import { originalMessageOf, replaySends, type OriginalMessage } from './dead-letter-replay';

const letter = (overrides: Partial<DeadLetter>): DeadLetter => ({
  schemaVersion: 1,
  stage: 'normalizer',
  errorCode: 'DATE_OUT_OF_RANGE',
  reason: 'CLM_FROM_DT is outside the plausible service dates',
  failedAt: '2026-01-02T03:04:05.000Z',
  origin: { topic: 'claims.raw.v1', partition: 2, offset: '17', key: '887733' },
  originalValueBase64: Buffer.from('{"eventId":"x"}').toString('base64'),
  originalTruncated: false,
  originalHeaders: { traceparent: '00-abc-def-01', 'x-source': 'claims.csv' },
  ...overrides,
});

describe('originalMessageOf', () => {
  it('re-publishes the original to the topic it came from, under its key, with its bytes and headers', () => {
    expect(originalMessageOf(letter({}))).toEqual({
      topic: 'claims.raw.v1',
      key: '887733',
      value: Buffer.from('{"eventId":"x"}'),
      headers: { traceparent: '00-abc-def-01', 'x-source': 'claims.csv' },
    });
  });

  it('refuses a letter the ingestor wrote: no message was ever published, the source file must be ingested again', () => {
    expect(originalMessageOf(letter({ origin: null, stage: 'ingestor' }))).toEqual({
      notReplayable: 'the ingestor refused the record before publishing it: ingest its source file again',
    });
  });

  it('refuses a letter that does not hold its original exactly (a prefix of it, a key or header cut)', () => {
    expect(originalMessageOf(letter({ originalTruncated: true }))).toMatchObject({
      notReplayable: expect.stringContaining('does not hold the original exactly'),
    });
  });
});

describe('replaySends', () => {
  const message = (bytes: number, index: number): OriginalMessage => ({
    topic: 'claims.raw.v1',
    key: `k${index}`,
    value: Buffer.alloc(bytes),
    headers: { traceparent: '00-abc-def-01' },
  });

  it("cuts a topic's originals into sends under the limit, in order, a message over it alone", () => {
    const messages = [400, 400, 400, 2000, 100].map((bytes, index) => message(bytes, index));
    const sends = replaySends(messages, 1000);
    expect(sends.map((send) => send.map((item) => item.key))).toEqual([['k0', 'k1'], ['k2'], ['k3'], ['k4']]);
    expect(sends.flat()).toEqual(messages);
  });

  it('sends nothing for no messages', () => {
    expect(replaySends([])).toEqual([]);
  });
});
