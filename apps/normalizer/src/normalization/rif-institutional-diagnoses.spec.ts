import { ClaimEventSchema, sha256Hex, type ClaimEvent } from '@claims/contracts';
import { REPO_ROOT } from '@claims/harness';
import type { ConsumedMessage } from '@claims/kafka';
import { loadSourceLayouts, rawRecordEvent } from '@claims/source-layouts';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { normalizeRawMessage } from './normalize-raw-message';

/**
 * The CMS RIF institutional claims (CCW Research Identifiable File layout)
 * state diagnoses beyond the principal and the 25 others: the admitting
 * diagnosis (inpatient, SNF), the patient's reasons for the visit
 * (outpatient) and the external causes of injury (every institutional file).
 * The canonical claim lists a claim's every diagnosis code, as the 837I
 * mapping does for its admitting (ABJ), reason-for-visit (APR) and external
 * cause (ABN) codes and the DE-SynPUF inpatient layout for its admitting one.
 */
const layouts = loadSourceLayouts();
const options = { patientTokenKey: 'unit-test-key-0123456789', layouts };

/** CCW "ICD diagnosis version code": 0 ICD-10, 9 ICD-9. */
const DIAGNOSIS_SYSTEMS: Record<string, 'ICD-9-CM' | 'ICD-10-CM'> = { '0': 'ICD-10-CM', '9': 'ICD-9-CM' };

const range = (count: number): number[] => Array.from({ length: count }, (_, index) => index + 1);

/** A code column and the column stating its ICD version. */
type DiagnosisColumns = readonly [code: string, version: string];
const numbered = (code: string, version: string, count: number): DiagnosisColumns[] =>
  range(count).map((n): DiagnosisColumns => [`${code}${n}`, `${version}${n}`]);

const CLAIM_DIAGNOSES: DiagnosisColumns[] = [
  ['PRNCPAL_DGNS_CD', 'PRNCPAL_DGNS_VRSN_CD'],
  ...numbered('ICD_DGNS_CD', 'ICD_DGNS_VRSN_CD', 25),
];
const FURTHER_DIAGNOSES: DiagnosisColumns[] = [
  ['ADMTG_DGNS_CD', 'ADMTG_DGNS_VRSN_CD'],
  ...numbered('RSN_VISIT_CD', 'RSN_VISIT_VRSN_CD', 3),
  ['FST_DGNS_E_CD', 'FST_DGNS_E_VRSN_CD'],
  ...numbered('ICD_DGNS_E_CD', 'ICD_DGNS_E_VRSN_CD', 12),
];

interface RifClaim {
  header: string;
  /** The claim's rows, as the ingestor sends them: adjacent rows of one CLM_ID. */
  rows: string[];
  recordNumbers: number[];
  /** The first row by column name. */
  cells: Map<string, string>;
}

function rifClaimsOf(relative: string): RifClaim[] {
  const [header = '', ...rows] = readFileSync(join(REPO_ROOT, 'data', relative), 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/);
  const columns = header.split('|');
  const claims: RifClaim[] = [];
  rows.forEach((row, index) => {
    if (row.trim() === '') return;
    const fields = row.split('|');
    const cells = new Map(columns.map((column, at) => [column, fields[at] ?? '']));
    const last = claims[claims.length - 1];
    if (last !== undefined && last.cells.get('CLM_ID') === cells.get('CLM_ID')) {
      last.rows.push(row);
      last.recordNumbers.push(index + 1);
    } else claims.push({ header, rows: [row], recordNumbers: [index + 1], cells });
  });
  return claims;
}

function normalizedClaim(relative: string, layout: string, claim: RifClaim): ClaimEvent {
  const raw = rawRecordEvent({
    layout,
    record: claim.rows.join('\n'),
    recordNumber: claim.recordNumbers[0] ?? 1,
    recordNumbers: claim.recordNumbers,
    source: basename(relative),
    fileId: sha256Hex(relative),
    publishedAt: '2024-01-02T03:04:05.000Z',
    claimId: claim.cells.get('CLM_ID') ?? null,
    header: claim.header,
  });
  const consumed: ConsumedMessage = {
    topic: 'claims.raw.v1',
    partition: 0,
    message: {
      key: null,
      value: Buffer.from(JSON.stringify(raw)),
      timestamp: '0',
      attributes: 0,
      offset: '0',
      headers: {},
    },
  };
  const outcome = normalizeRawMessage(consumed, options);
  if (!('emit' in outcome)) throw new Error(`${relative}: expected a claim event, got ${JSON.stringify(outcome)}`);
  return ClaimEventSchema.parse(JSON.parse(outcome.emit.value.toString('utf8')));
}

function statedDiagnoses(
  cells: Map<string, string>,
  columns: readonly DiagnosisColumns[],
): Array<{ code: string; system: string }> {
  return columns.flatMap(([codeColumn, versionColumn]) => {
    const code = (cells.get(codeColumn) ?? '').trim().toUpperCase();
    const system = DIAGNOSIS_SYSTEMS[(cells.get(versionColumn) ?? '').trim()];
    return code === '' || system === undefined ? [] : [{ code, system }];
  });
}

const FILES: Array<[string, string]> = [
  ['rif/rif-static-samples/sample-a-inpatient.txt', 'rif.inpatient'],
  ['rif/rif-static-samples/sample-a-snf.txt', 'rif.snf'],
  ['rif/rif-static-samples/sample-a-outpatient.txt', 'rif.outpatient'],
  ['rif/rif-static-samples/sample-a-hha.txt', 'rif.hha'],
  ['rif/rif-static-samples/sample-a-hospice.txt', 'rif.hospice'],
  ['rif/rif-static-samples/samhsa/sample-a-inpatient.txt', 'rif.inpatient'],
  ['rif/rif-synthea/inpatient.csv', 'rif.inpatient'],
  ['rif/rif-synthea/outpatient.csv', 'rif.outpatient'],
  ['rif/rif-synthea/snf.csv', 'rif.snf'],
  ['rif/rif-synthea/hha.csv', 'rif.hha'],
  ['rif/rif-synthea/hospice.csv', 'rif.hospice'],
];

describe('CMS RIF institutional claims, normalized', () => {
  it.each(FILES)(
    'list the admitting, reason-for-visit and external-cause diagnoses after the claim diagnoses: %s',
    (relative, layout) => {
      const claims = rifClaimsOf(relative);
      expect(claims.length).toBeGreaterThan(0);
      for (const claim of claims) {
        const diagnoses = normalizedClaim(relative, layout, claim).claim.diagnoses;
        const stated = [
          ...statedDiagnoses(claim.cells, CLAIM_DIAGNOSES),
          ...statedDiagnoses(claim.cells, FURTHER_DIAGNOSES),
        ];
        // A code is listed once, where it first stands, however many columns repeat it.
        const once = stated.filter(
          (diagnosis, at) =>
            stated.findIndex((other) => other.code === diagnosis.code && other.system === diagnosis.system) === at,
        );
        expect(diagnoses).toEqual(once);
      }
    },
  );

  it('reads an admitting diagnosis that is no claim diagnosis from a BFD sample (a file these checks rely on)', () => {
    const [claim] = rifClaimsOf('rif/rif-static-samples/sample-a-inpatient.txt');
    if (claim === undefined) throw new Error('the sample holds a claim');
    const admitting = claim.cells.get('ADMTG_DGNS_CD') ?? '';
    expect(admitting).not.toBe('');
    expect(statedDiagnoses(claim.cells, CLAIM_DIAGNOSES).map((diagnosis) => diagnosis.code)).not.toContain(admitting);
    expect(
      normalizedClaim('rif/rif-static-samples/sample-a-inpatient.txt', 'rif.inpatient', claim).claim.diagnoses,
    ).toContainEqual({
      code: admitting,
      system: DIAGNOSIS_SYSTEMS[claim.cells.get('ADMTG_DGNS_VRSN_CD') ?? ''],
    });
  });
});
