export * from './reference';
export * from './tables';
export * from './enrich';
export * from './pend';
