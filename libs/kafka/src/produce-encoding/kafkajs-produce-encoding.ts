import kafkaJsPackage from 'kafkajs/package.json';
import Encoder from 'kafkajs/src/protocol/encoder';
import produceDefinition from 'kafkajs/src/protocol/requests/produce';
import { encodeProduceRequest, type ProduceRequestArguments } from './produce-request';

/**
 * Puts the one-pass Produce encoding (./produce-request) behind KafkaJS's
 * Produce requests. KafkaJS looks its request definitions up on every call
 * (protocol/requests: `definition.protocol({ version })`), so wrapping that
 * one function of the Produce definition replaces how the request body is
 * written and nothing else: the request's version, response parser, retries
 * and idempotence stay KafkaJS's.
 *
 * It is tied to KafkaJS 2.2.4, the last release (the project is no longer
 * maintained), whose internal layout it reads; with any other version
 * KafkaJS is left as it is.
 */
export const ONE_PASS_PRODUCE_KAFKAJS_VERSION = '2.2.4';

/** The first Produce version of record batches (magic 2); 3 to 7 write the same body. */
const FIRST_RECORD_BATCH_VERSION = 3;

type ProduceVersion = (args: ProduceRequestArguments) => {
  request: { encode: () => Promise<unknown> };
  response: unknown;
};
/** The definition as it is called: its arguments are what encodeProduceRequest reads. */
const definition = produceDefinition as unknown as { protocol: (selection: { version: number }) => ProduceVersion };
let installed = false;

/** What protocol/request.js takes from encode(): a KafkaJS Encoder, which it copies by its buf and offset. */
function encoderHolding(body: Buffer): Encoder {
  return Object.assign(Object.create(Encoder.prototype) as Encoder, { buf: body, offset: body.length });
}

/**
 * Makes KafkaJS write Produce requests through encodeProduceRequest (once:
 * repeated calls do nothing). Returns whether it is in place.
 */
export function useOnePassProduceEncoding(): boolean {
  if (kafkaJsPackage.version !== ONE_PASS_PRODUCE_KAFKAJS_VERSION) return false;
  if (installed) return true;
  const stockProtocol = definition.protocol;
  definition.protocol = (selection) => {
    const stockVersion = stockProtocol(selection);
    if (selection.version < FIRST_RECORD_BATCH_VERSION) return stockVersion;
    return (args) => {
      const stock = stockVersion(args);
      const encode = async (): Promise<unknown> => {
        const body = encodeProduceRequest(args);
        return body === undefined ? stock.request.encode() : encoderHolding(body);
      };
      return { ...stock, request: { ...stock.request, encode } };
    };
  };
  installed = true;
  return true;
}
