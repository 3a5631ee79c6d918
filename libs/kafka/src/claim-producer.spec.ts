import { chunkByBytes } from './claim-producer';
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
