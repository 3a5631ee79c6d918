import { randomBytes } from 'node:crypto';
import Encoder from 'kafkajs/src/protocol/encoder';
import kafkaJsCrc32c from 'kafkajs/src/protocol/recordBatch/crc32C';
import produceDefinition from 'kafkajs/src/protocol/requests/produce';
import { crc32c } from './crc32c';
import {
  encodeProduceRequest,
  sizeOfVarInt,
  type ProduceMessage,
  type ProduceRequestArguments,
} from './produce-request';

const NOW = 1_764_806_400_123;

// The stock encoder, captured before anything in this file could wrap the definition.
const stockProduceV7 = produceDefinition.protocol({ version: 7 }) as unknown as (args: ProduceRequestArguments) => {
  request: { encode: () => Promise<Encoder> };
};

async function kafkaJsBytes(args: ProduceRequestArguments): Promise<Buffer> {
  const now = jest.spyOn(Date, 'now').mockReturnValue(NOW);
  try {
    return (await stockProduceV7(args).request.encode()).buffer;
  } finally {
    now.mockRestore();
  }
}

const pipelineMessage = (index: number, value: string): ProduceMessage => ({
  key: `CLM-${index}`,
  value,
  headers: {
    'x-schema-version': '2',
    traceparent: `00-${'ab'.repeat(16)}-${'cd'.repeat(8)}-01`,
    'x-lineage': JSON.stringify({ source: 'carrier.csv', fileId: 'f'.repeat(64), recordNumber: index }),
  },
});

const requestOf = (
  messagesByPartition: ReadonlyArray<readonly ProduceMessage[]>,
  extra: Partial<ProduceRequestArguments> = {},
): ProduceRequestArguments => ({
  acks: -1,
  timeout: 30_000,
  topicData: [
    {
      topic: 'claims.enriched.v1',
      partitions: messagesByPartition.map((messages, partition) => ({ partition, firstSequence: 0, messages })),
    },
  ],
  ...extra,
});

describe('encodeProduceRequest', () => {
  it('writes the bytes KafkaJS writes for the pipeline: string keys, JSON values, three headers, several partitions and topics', async () => {
    const value = JSON.stringify({ claimId: 'CLM-1', amounts: [1, 2, 3], note: 'x'.repeat(2_900) });
    const args: ProduceRequestArguments = {
      acks: -1,
      timeout: 30_000,
      producerId: { value: 4_242n },
      producerEpoch: 3,
      topicData: [
        {
          topic: 'claims.enriched.v1',
          partitions: [
            { partition: 0, firstSequence: 17, messages: [pipelineMessage(1, value), pipelineMessage(2, value)] },
            { partition: 2, firstSequence: 0, messages: [pipelineMessage(3, '{}')] },
          ],
        },
        { topic: 'claims.deadletter.v1', partitions: [{ partition: 1, messages: [pipelineMessage(4, value)] }] },
      ],
    };
    expect(encodeProduceRequest(args, () => NOW)).toEqual(await kafkaJsBytes(args));
  });

  it('writes the same bytes for Buffers, nulls, empty and multi-byte strings, and repeated header values', async () => {
    const messages: ProduceMessage[] = [
      { key: Buffer.from([0, 1, 2, 255]), value: randomBytes(300), headers: { bytes: randomBytes(20) } },
      { key: null, value: null },
      { value: '', headers: { empty: '', many: ['één', 'zwei', Buffer.from('drei')] } },
      { key: 'ключ-🔑', value: 'Ω≈ç√ 理赔 '.repeat(50), headers: { 'naïve-header': 'değer' } },
    ];
    const args = requestOf([messages]);
    expect(encodeProduceRequest(args, () => NOW)).toEqual(await kafkaJsBytes(args));
  });

  it('writes the same bytes when lengths and offset deltas need two- and three-byte varints', async () => {
    const small = Array.from({ length: 9_000 }, (_, index) => ({ key: `k${index}`, value: 'v' }));
    const large = [
      { key: 'large', value: 'z'.repeat(70_000) },
      { key: 'medium', value: 'y'.repeat(200) },
    ];
    const args = requestOf([small, large]);
    expect(encodeProduceRequest(args, () => NOW)).toEqual(await kafkaJsBytes(args));
  });

  it('keeps KafkaJS timestamps: the messages’ own, sorted as KafkaJS sorts them, with deltas from the first', async () => {
    const messages: ProduceMessage[] = [
      { key: 'a', value: '1', timestamp: String(NOW + 5_000) },
      { key: 'b', value: '2', timestamp: String(NOW - 120_000) },
      { key: 'c', value: '3' },
      { key: 'd', value: '4', timestamp: NOW + 90 },
    ];
    const args = requestOf([messages]);
    expect(encodeProduceRequest(args, () => NOW)).toEqual(await kafkaJsBytes(args));
  });

  it('marks a transactional producer’s batches as KafkaJS does', async () => {
    const args = requestOf([[pipelineMessage(1, '{"a":1}')]], {
      transactionalId: 'claims-tx',
      producerId: { value: 77n },
      producerEpoch: 1,
    });
    expect(encodeProduceRequest(args, () => NOW)).toEqual(await kafkaJsBytes(args));
  });

  it('leaves to KafkaJS what it does not write: compression, other value types, far-apart timestamps, empty batches', () => {
    const message = pipelineMessage(1, '{}');
    expect(encodeProduceRequest(requestOf([[message]], { compression: 1 }))).toBeUndefined();
    expect(encodeProduceRequest(requestOf([[{ key: 'k', value: 42 }]]))).toBeUndefined();
    expect(encodeProduceRequest(requestOf([[{ key: 'k', value: 'v', headers: { n: 7 } }]]))).toBeUndefined();
    expect(
      encodeProduceRequest(
        requestOf([
          [
            { ...message, timestamp: '0' },
            { ...message, timestamp: String(NOW) },
          ],
        ]),
      ),
    ).toBeUndefined();
    expect(encodeProduceRequest(requestOf([[]]))).toBeUndefined();
  });
});

describe('sizeOfVarInt', () => {
  it('counts the bytes of a zigzag varint, as KafkaJS counts them', () => {
    for (const value of [-1, 0, 1, 63, 64, 8_191, 8_192, 1_048_575, 1_048_576, 2 ** 30, -(2 ** 30)])
      expect(sizeOfVarInt(value)).toBe(Encoder.sizeOfVarInt(value));
  });
});

describe('crc32c', () => {
  it('gives the CRC-32C check value and the empty input’s zero', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(0))).toBe(0);
  });

  it('checksums any span of a buffer, at any length and start, as KafkaJS checksums that span alone', () => {
    const bytes = randomBytes(200);
    for (let start = 0; start < 9; start += 1) {
      for (let end = start; end <= bytes.length; end += 1)
        expect(crc32c(bytes, start, end)).toBe(kafkaJsCrc32c(bytes.subarray(start, end)));
    }
  });
});
