export * from './kafka-client';
export * from './outbound-message';
export * from './claim-producer';
export * from './batch-consumer';
export * from './transform-stage';
export * from './pipeline-kafka';
export * from './traced-batch';
