export * from './topics';
export * from './headers';
export * from './event-id';
export * from './claim-events';
export * from './json-schema';
export * from './decode-event';
export * from './ingest-report';
export * from './reference-events';
