export * from './source-record.errors';
export * from './csv';
export * from './desynpuf-carrier';
export * from './normalize-raw-record';
export * from './raw-record-event';
export * from './lines-of';
