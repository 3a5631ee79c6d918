import { BILLING_EXPORT_COLUMNS, BillingExportRecordGenerator } from './billing-export-generator';
import { BeneficiaryRecordGenerator } from './desynpuf-beneficiary-generator';
import {
  CarrierRecordGenerator,
  InpatientRecordGenerator,
  OutpatientRecordGenerator,
} from './desynpuf-claim-generators';
import {
  DESYNPUF_BENEFICIARY_COLUMNS,
  DESYNPUF_CARRIER_COLUMNS,
  DESYNPUF_DRUG_EVENT_COLUMNS,
  DESYNPUF_INPATIENT_COLUMNS,
  DESYNPUF_OUTPATIENT_COLUMNS,
} from './desynpuf-columns';
import { DrugEventRecordGenerator } from './desynpuf-drug-event-generator';
import {
  emptyCarrierKpis,
  type ExpectedBillingKpis,
  type ExpectedCarrierKpis,
  type ExpectedDrugEventKpis,
  type ExpectedInstitutionalKpis,
  type ExpectedMemberKpis,
  type ExpectedPendedQueueKpis,
} from './expected-kpis';
import { PENDED_QUEUE_COLUMNS, PendedQueueRecordGenerator } from './pended-queue-generator';
import type { RecordGenerator } from './record-generator';
import { RifCarrierRecordGenerator, RifInpatientRecordGenerator } from './rif-claim-generators';
import { RIF_CARRIER_COLUMNS, RIF_INPATIENT_COLUMNS } from './rif-columns';
import type { SeededRandom } from './seeded-random';

/** The figures the manifest records for each layout (see expected-kpis.ts). */
export interface ExpectedFiguresByLayout {
  /** DE-SynPUF carrier claims (the bench's layout names predate the others: no family prefix). */
  carrier: ExpectedCarrierKpis;
  inpatient: ExpectedInstitutionalKpis;
  outpatient: ExpectedInstitutionalKpis;
  'prescription-drug-events': ExpectedDrugEventKpis;
  'beneficiary-summary': ExpectedMemberKpis;
  'rif-carrier': ExpectedCarrierKpis;
  'rif-inpatient': ExpectedInstitutionalKpis;
  'billing-export': ExpectedBillingKpis;
  'pended-queue': ExpectedPendedQueueKpis;
}

export type GeneratedLayout = keyof ExpectedFiguresByLayout;

export interface LayoutDefinition<Layout extends GeneratedLayout> {
  layout: Layout;
  description: string;
  /** The name the pipeline gives a file of this layout (layouts/*.yaml, or the hand-coded desynpuf.carrier). */
  sourceLayoutName: string;
  /** The file under data/ whose header line this layout's header reproduces byte for byte. */
  headerCopiedFrom: string;
  columns: readonly string[];
  delimiter: ',' | '|';
  /** The DE-SynPUF files quote every header name (and no data field). */
  quotedHeader: boolean;
  /** A claim (one or several adjacent rows sharing the key), or a member of a reference file. */
  recordKind: 'claim' | 'member';
  /** The columns whose values identify a record: the pipeline's grouping key for multi-row claims. */
  recordKeyColumns: readonly string[];
  emptyExpected(): ExpectedFiguresByLayout[Layout];
  createRecordGenerator(random: SeededRandom): RecordGenerator<ExpectedFiguresByLayout[Layout]>;
}

const DESYNPUF_SAMPLE = 'data/desynpuf/sample2';
const RIF_SAMPLE = 'data/rif/rif-synthea';
const emptyInstitutionalKpis = (): ExpectedInstitutionalKpis => ({ claims: 0, claimPaymentAmountCents: 0 });

export const LAYOUT_DEFINITIONS: { readonly [Layout in GeneratedLayout]: LayoutDefinition<Layout> } = {
  carrier: {
    layout: 'carrier',
    description: 'DE-SynPUF carrier claims: 142 columns, one claim of up to 13 lines per row',
    sourceLayoutName: 'desynpuf.carrier',
    headerCopiedFrom: `${DESYNPUF_SAMPLE}/DE1_0_2008_to_2010_Carrier_Claims_Sample_2B.csv`,
    columns: DESYNPUF_CARRIER_COLUMNS,
    delimiter: ',',
    quotedHeader: true,
    recordKind: 'claim',
    recordKeyColumns: ['CLM_ID'],
    emptyExpected: emptyCarrierKpis,
    createRecordGenerator: (random) => new CarrierRecordGenerator(random),
  },
  inpatient: {
    layout: 'inpatient',
    description: 'DE-SynPUF inpatient claims: 81 columns, one claim per row (segment 1)',
    sourceLayoutName: 'desynpuf.inpatient',
    headerCopiedFrom: `${DESYNPUF_SAMPLE}/DE1_0_2008_to_2010_Inpatient_Claims_Sample_2_part1.csv`,
    columns: DESYNPUF_INPATIENT_COLUMNS,
    delimiter: ',',
    quotedHeader: true,
    recordKind: 'claim',
    recordKeyColumns: ['CLM_ID'],
    emptyExpected: emptyInstitutionalKpis,
    createRecordGenerator: (random) => new InpatientRecordGenerator(random),
  },
  outpatient: {
    layout: 'outpatient',
    description: 'DE-SynPUF outpatient claims: 76 columns, one claim per row (segment 1)',
    sourceLayoutName: 'desynpuf.outpatient',
    headerCopiedFrom: `${DESYNPUF_SAMPLE}/DE1_0_2008_to_2010_Outpatient_Claims_Sample_2_part1.csv`,
    columns: DESYNPUF_OUTPATIENT_COLUMNS,
    delimiter: ',',
    quotedHeader: true,
    recordKind: 'claim',
    recordKeyColumns: ['CLM_ID'],
    emptyExpected: emptyInstitutionalKpis,
    createRecordGenerator: (random) => new OutpatientRecordGenerator(random),
  },
  'prescription-drug-events': {
    layout: 'prescription-drug-events',
    description: 'DE-SynPUF Part D prescription drug events: 8 columns, one paid drug event per row',
    sourceLayoutName: 'desynpuf.prescription-drug-events',
    headerCopiedFrom: `${DESYNPUF_SAMPLE}/DE1_0_2008_to_2010_Prescription_Drug_Events_Sample_2_part1.csv`,
    columns: DESYNPUF_DRUG_EVENT_COLUMNS,
    delimiter: ',',
    quotedHeader: true,
    recordKind: 'claim',
    recordKeyColumns: ['PDE_ID'],
    emptyExpected: () => ({ claims: 0, totalDrugCostCents: 0, patientPayAmountCents: 0 }),
    createRecordGenerator: (random) => new DrugEventRecordGenerator(random),
  },
  'beneficiary-summary': {
    layout: 'beneficiary-summary',
    description: 'DE-SynPUF beneficiary summary: 32 columns, one member per row (member reference data)',
    sourceLayoutName: 'desynpuf.beneficiary-summary',
    headerCopiedFrom: `${DESYNPUF_SAMPLE}/DE1_0_2008_Beneficiary_Summary_File_Sample_2.csv`,
    columns: DESYNPUF_BENEFICIARY_COLUMNS,
    delimiter: ',',
    quotedHeader: true,
    recordKind: 'member',
    recordKeyColumns: ['DESYNPUF_ID'],
    emptyExpected: () => ({ members: 0, deceasedMembers: 0 }),
    createRecordGenerator: (random) => new BeneficiaryRecordGenerator(random),
  },
  'rif-carrier': {
    layout: 'rif-carrier',
    description: 'CMS RIF carrier claims: 100 pipe-delimited columns, one row per claim line',
    sourceLayoutName: 'rif.carrier',
    headerCopiedFrom: `${RIF_SAMPLE}/carrier.csv`,
    columns: RIF_CARRIER_COLUMNS,
    delimiter: '|',
    quotedHeader: false,
    recordKind: 'claim',
    recordKeyColumns: ['CLM_ID', 'DML_IND'],
    emptyExpected: emptyCarrierKpis,
    createRecordGenerator: (random) => new RifCarrierRecordGenerator(random),
  },
  'rif-inpatient': {
    layout: 'rif-inpatient',
    description: 'CMS RIF inpatient claims: 275 pipe-delimited columns, one row per revenue-center line',
    sourceLayoutName: 'rif.inpatient',
    headerCopiedFrom: `${RIF_SAMPLE}/inpatient.csv`,
    columns: RIF_INPATIENT_COLUMNS,
    delimiter: '|',
    quotedHeader: false,
    recordKind: 'claim',
    recordKeyColumns: ['CLM_ID', 'DML_IND'],
    emptyExpected: emptyInstitutionalKpis,
    createRecordGenerator: (random) => new RifInpatientRecordGenerator(random),
  },
  'billing-export': {
    layout: 'billing-export',
    description: 'Billing-system CSV export: 10 columns, one row per service line',
    sourceLayoutName: 'billing.claim-export',
    headerCopiedFrom: 'data/billing/billing-export-2024-03.csv',
    columns: BILLING_EXPORT_COLUMNS,
    delimiter: ',',
    quotedHeader: false,
    recordKind: 'claim',
    recordKeyColumns: ['Claim_ID'],
    emptyExpected: () => ({
      claims: 0,
      lines: 0,
      claimsByStatus: { paid: 0, denied: 0, pending: 0, rejected: 0 },
      linesAllowed: 0,
      chargeAmountCents: 0,
      paidAmountCents: 0,
    }),
    createRecordGenerator: (random) => new BillingExportRecordGenerator(random),
  },
  'pended-queue': {
    layout: 'pended-queue',
    description: 'Pended-queue CSV export: 18 columns, one row per waiting or cleared claim',
    sourceLayoutName: 'billing.pended-queue-export',
    headerCopiedFrom: 'data/pended/pended-queue-2024-03-15.csv',
    columns: PENDED_QUEUE_COLUMNS,
    delimiter: ',',
    quotedHeader: false,
    recordKind: 'claim',
    recordKeyColumns: ['Claim Number'],
    emptyExpected: () => ({
      claims: 0,
      claimsWaiting: 0,
      claimsCleared: 0,
      claimsByPendReason: {},
      billedAmountCents: 0,
    }),
    createRecordGenerator: (random) => new PendedQueueRecordGenerator(random),
  },
};

export const GENERATED_LAYOUTS = Object.keys(LAYOUT_DEFINITIONS) as readonly GeneratedLayout[];

export function isGeneratedLayout(value: unknown): value is GeneratedLayout {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(LAYOUT_DEFINITIONS, value);
}

/** The header line of a layout, without its line break. */
export function headerLine(layout: GeneratedLayout): string {
  const definition = LAYOUT_DEFINITIONS[layout];
  const names = definition.quotedHeader ? definition.columns.map((name) => `"${name}"`) : definition.columns;
  return names.join(definition.delimiter);
}
