// The parts of KafkaJS 2.2.4's internals that the one-pass Produce encoding
// replaces, reuses or is checked against (kafkajs-produce-encoding.ts and its
// specs); KafkaJS ships no types for them.

declare module 'kafkajs/src/protocol/requests/produce' {
  /** The Produce request's definition: KafkaJS calls protocol({ version }) on every request it sends. */
  const definition: {
    versions: string[];
    protocol: (selection: { version: number }) => (args: never) => {
      request: { encode: () => Promise<unknown> };
      response: unknown;
    };
  };
  export default definition;
}

declare module 'kafkajs/src/protocol/encoder' {
  /** What protocol/request.js expects from a request's encode(): bytes in buf up to offset. */
  class Encoder {
    static sizeOfVarInt(value: number): number;
    buf: Buffer;
    offset: number;
    get buffer(): Buffer;
  }
  export default Encoder;
}

declare module 'kafkajs/src/protocol/recordBatch/crc32C' {
  /** KafkaJS's byte-at-a-time CRC-32C of a record batch body. */
  const crc32C: (bytes: Buffer) => number;
  export default crc32C;
}

declare module 'kafkajs/src/protocol/requests/produce/v3/request' {
  /** KafkaJS's own Produce request (v3, the body of v3 to v7): what the bench times the one-pass encoder against. */
  const produceRequest: (args: never) => { encode: () => Promise<{ buffer: Buffer }> };
  export default produceRequest;
}
