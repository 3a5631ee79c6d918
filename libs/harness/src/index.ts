export * from './wait-for';
export * from './test-environment';
export * from './service-process';
export * from './local-pipeline';
export * from './pipeline-progress';
export * from './fixtures/claim-event';
export * from './fixtures/enriched-claim-event';
