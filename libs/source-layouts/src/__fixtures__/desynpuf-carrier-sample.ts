import { readFileSync } from 'node:fs';
import path from 'node:path';
import { rawEventId, sha256Hex } from '@claims/contracts';
import { readDesynpufCarrierClaimId, type CarrierRecordInput } from '../desynpuf-carrier';

export const CARRIER_SAMPLE_FILE_NAME = 'DE1_0_2008_to_2010_Carrier_Claims_Sample_2B.csv';

/** The real CMS DE-SynPUF sample, vendored unchanged at the repository root. */
export const CARRIER_SAMPLE_PATH = path.join(__dirname, '../../../../data/desynpuf/sample2', CARRIER_SAMPLE_FILE_NAME);

export interface CarrierSample {
  fileId: string;
  header: string;
  /** Data records without their line terminators (the file uses CRLF). */
  records: string[];
}

export function readCarrierSample(): CarrierSample {
  const bytes = readFileSync(CARRIER_SAMPLE_PATH);
  const [header = '', ...records] = bytes
    .toString('utf8')
    .split(/\r?\n/)
    .filter((line) => line !== '');
  return { fileId: sha256Hex(bytes), header, records };
}

export const PUBLISHED_AT = '2024-01-02T03:04:05.000Z';

/** Wraps a record the way the ingestor does: lineage from the file and a raw id from the bytes. */
export function carrierInput(record: string, recordNumber = 1, fileId = sha256Hex('fixture file')): CarrierRecordInput {
  const recordSha256 = sha256Hex(record);
  return {
    record,
    rawEventId: rawEventId('desynpuf.carrier', readDesynpufCarrierClaimId(record) ?? '', recordSha256),
    lineage: { source: CARRIER_SAMPLE_FILE_NAME, fileId, recordNumber, recordSha256 },
    publishedAt: PUBLISHED_AT,
  };
}
