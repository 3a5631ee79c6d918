export * from './claim-contribution';
export * from './fold-claim-events';
export * from './kpi-summary';
export * from './batch-sql';
export * from './file-accounting';
export * from './file-quality-tally';
