import kafkaJsPackage from 'kafkajs/package.json';
import type Encoder from 'kafkajs/src/protocol/encoder';
import produceDefinition from 'kafkajs/src/protocol/requests/produce';
import { ONE_PASS_PRODUCE_KAFKAJS_VERSION, useOnePassProduceEncoding } from './kafkajs-produce-encoding';
import type { ProduceRequestArguments } from './produce-request';

type ProduceVersion = (args: ProduceRequestArguments) => {
  request: { apiVersion: number; encode: () => Promise<Encoder> };
  response: unknown;
};
const versionOf = (version: number): ProduceVersion =>
  produceDefinition.protocol({ version }) as unknown as ProduceVersion;

const args: ProduceRequestArguments = {
  acks: -1,
  timeout: 30_000,
  topicData: [
    {
      topic: 'claims.normalized.v1',
      partitions: [{ partition: 0, messages: [{ key: 'CLM-1', value: '{"claimId":"CLM-1"}', headers: { a: 'b' } }] }],
    },
  ],
};

async function encodedAt(now: number, version: ProduceVersion): Promise<Buffer> {
  const clock = jest.spyOn(Date, 'now').mockReturnValue(now);
  try {
    return (await version(args).request.encode()).buffer;
  } finally {
    clock.mockRestore();
  }
}

describe('useOnePassProduceEncoding', () => {
  it('is written against the KafkaJS installed here (an upgrade must be checked against its internals first)', () => {
    expect(kafkaJsPackage.version).toBe(ONE_PASS_PRODUCE_KAFKAJS_VERSION);
  });

  it('makes KafkaJS’s Produce requests of every record-batch version write the bytes its own encoder wrote', async () => {
    const stockBytes = await encodedAt(1_000, versionOf(7));
    const stockV3Response = versionOf(3)(args).response;
    expect(useOnePassProduceEncoding()).toBe(true);
    expect(await encodedAt(1_000, versionOf(7))).toEqual(stockBytes);
    expect(await encodedAt(1_000, versionOf(3))).toEqual(stockBytes);
    expect(versionOf(7)(args).request.apiVersion).toBe(7);
    expect(versionOf(3)(args).response).toBe(stockV3Response);
  });

  it('leaves the versions before record batches to KafkaJS, and wraps only once however often it is called', () => {
    useOnePassProduceEncoding();
    const wrapped = produceDefinition.protocol;
    const versionTwo = versionOf(2);
    expect(useOnePassProduceEncoding()).toBe(true);
    expect(produceDefinition.protocol).toBe(wrapped);
    expect(versionOf(2)).toBe(versionTwo);
  });
});
