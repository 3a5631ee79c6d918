import produceDefinition from 'kafkajs/src/protocol/requests/produce';
import { kafkajsProducer } from './transport-clients';

describe('kafkajsProducer', () => {
  it('sends the raw hop through the client every stage produces with: Produce requests written in one pass', () => {
    // KafkaJS's own request writer until a client of the product's is made (each spec file loads KafkaJS afresh).
    const stockProtocol = produceDefinition.protocol;
    kafkajsProducer('127.0.0.1:9');
    expect(produceDefinition.protocol).not.toBe(stockProtocol);
  });
});
