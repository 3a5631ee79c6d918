export * from './enrichment-codes';
export * from './member-coverage';
export * from './enrich-claim';
