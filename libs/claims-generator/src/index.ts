export * from './seeded-random';
export * from './expected-kpis';
export * from './generated-layouts';
export * from './generate-file';
export type { RecordGenerator } from './record-generator';
export {
  DESYNPUF_BENEFICIARY_COLUMNS,
  DESYNPUF_CARRIER_COLUMNS,
  DESYNPUF_DRUG_EVENT_COLUMNS,
  DESYNPUF_INPATIENT_COLUMNS,
  DESYNPUF_OUTPATIENT_COLUMNS,
} from './desynpuf-columns';
export { RIF_CARRIER_COLUMNS, RIF_INPATIENT_COLUMNS } from './rif-columns';
export { BILLING_EXPORT_COLUMNS } from './billing-export-generator';
export { PENDED_QUEUE_COLUMNS } from './pended-queue-generator';
export * from './edi-scenario-generator';
export * from './generated-scenarios';
