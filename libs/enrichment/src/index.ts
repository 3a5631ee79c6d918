export * from './npi';
export * from './nppes';
export * from './enrich-claim';
