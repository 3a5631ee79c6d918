export * from './data-source';
export * from './database.module';
export * from './postgres-array-literal';
export * from './prepared-statement';
export * from './one-statement-writes';
export * from './postgres-text';
