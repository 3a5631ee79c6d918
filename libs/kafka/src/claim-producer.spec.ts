import { chunkByBytes, outboundMessageBytes, outboundMessageBytesOver } from './claim-producer';
import type { OutboundMessage } from './outbound-message';

const message = (key: string, size: number): OutboundMessage => ({ key, value: 'x'.repeat(size), headers: {} });

describe('chunkByBytes', () => {
  it('keeps a small batch in one request', () => {
    const requests = chunkByBytes(new Map([['a', [message('1', 10), message('2', 10)]]]), 10_000);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.[0]?.messages.map((m) => m.key)).toEqual(['1', '2']);
  });

  it('cuts requests at the byte limit and keeps the order of every topic', () => {
    const batch = new Map([
      ['raw', [message('1', 400), message('2', 400), message('3', 400)]],
      ['dlq', [message('4', 400)]],
    ]);
    const requests = chunkByBytes(batch, 1000);
    expect(
      requests.map((request) => request.flatMap((entry) => entry.messages.map((m) => `${entry.topic}:${m.key}`))),
    ).toEqual([
      ['raw:1', 'raw:2'],
      ['raw:3', 'dlq:4'],
    ]);
  });

  it('sends a single message larger than the limit on its own rather than dropping it', () => {
    const requests = chunkByBytes(new Map([['a', [message('big', 5000), message('small', 10)]]]), 1000);
    expect(requests.map((request) => request[0]?.messages.map((m) => m.key))).toEqual([['big'], ['small']]);
  });

  it('yields no request for an empty batch', () => {
    expect(chunkByBytes(new Map([['a', []]]), 1000)).toEqual([]);
  });
});

describe('outboundMessageBytesOver', () => {
  const headers = { traceparent: '00-x-y-01', 'x-lineage': '{"recordNumber":1}' };

  it('answers null for a message far under the limit', () => {
    expect(outboundMessageBytesOver({ key: 'CLM-1', value: 'x'.repeat(3_000), headers }, 1_000_000)).toBeNull();
  });

  it('counts UTF-8 bytes near the limit: multi-byte text under it is null, one byte over gives the exact size', () => {
    const multiByte = { key: 'k', value: 'é'.repeat(1_000), headers };
    const exact = outboundMessageBytes(multiByte);
    expect(exact).toBeGreaterThan(2_000);
    expect(outboundMessageBytesOver(multiByte, exact)).toBeNull();
    expect(outboundMessageBytesOver(multiByte, exact - 1)).toBe(exact);
  });

  it('never misses an oversized message of the widest characters (3 bytes per code unit, 4 per surrogate pair)', () => {
    for (const character of ['€', '理', '🔑', '\ud800']) {
      const wide = { key: 'k', value: character.repeat(500), headers: { h: character } };
      const exact = outboundMessageBytes(wide);
      expect(outboundMessageBytesOver(wide, exact - 1)).toBe(exact);
    }
  });
});
