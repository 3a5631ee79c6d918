import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DATA_ROOT, mappedLayoutOf, rawEventsOf, readVendoredFile } from './__fixtures__/vendored-file';
import { sourceRecordErrorOf } from './__fixtures__/source-record-error';
import { claimEventsOfFile } from './claim-events-of-file';
import { CodeLists } from './code-lists';
import { loadSourceLayouts } from './layout-files';
import { normalizeMappedRecord } from './mapped-record';
import { SourceRecordError } from './source-record.errors';

const layouts = loadSourceLayouts();
const options = { patientTokenKey: 'unit-test-key-0123456789', codeLists: CodeLists.none() };

/** The BFD static carrier sample (one claim of seven rows) with one column of one row set to `value`. */
function carrierClaimWith(column: string, value: string, rowIndex = 0) {
  const file = readVendoredFile('rif/rif-static-samples/sample-a-bcarrier-multiple-lines.txt');
  const layout = mappedLayoutOf(layouts, file);
  const at = file.header.split('|').indexOf(column);
  const rows = file.rows.map((row, index) => {
    if (index !== rowIndex) return row;
    const fields = row.split('|');
    fields[at] = value;
    return fields.join('|');
  });
  const [raw] = rawEventsOf({ ...file, rows }, layout);
  if (raw === undefined) throw new Error('expected one claim');
  return { layout, raw, rows };
}

describe('a CMS RIF carrier claim with an awkward row', () => {
  it('keeps a row whose LINE_NUM is 0 as a line (renumbered, and said so): only a zero amount is a blank slot', () => {
    const { layout, raw, rows } = carrierClaimWith('LINE_NUM', '0');
    const normalized = normalizeMappedRecord(layout, raw, options);
    if (normalized.kind !== 'claim') throw new Error('expected a claim');
    expect(normalized.event.claim.lines).toHaveLength(rows.length);
    expect(normalized.event.claim.lines.map((line) => line.lineNumber)).toEqual(rows.map((_, index) => index + 1));
    expect(normalized.event.dataQuality.map((finding) => finding.code)).toContain('LINE_NUMBER_DUPLICATE');
  });

  it('refuses a diagnosis code longer than the layout allows as FIELD_TOO_LONG, naming the column only', () => {
    const { layout, raw } = carrierClaimWith('ICD_DGNS_CD1', `A02${'9'.repeat(2000)}`);
    const error = sourceRecordErrorOf(() => normalizeMappedRecord(layout, raw, options));
    expect(error.code).toBe('FIELD_TOO_LONG');
    expect(error.message).toBe('ICD_DGNS_CD1 is longer than 1024 characters');
  });
});

describe('claimEventsOfFile on a file with a line that is not text', () => {
  let folder: string;
  beforeEach(() => (folder = mkdtempSync(path.join(tmpdir(), 'malformed-inputs-'))));
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('skips a Latin-1 row as a row that does not normalize, and reads the rows after it', async () => {
    const file = path.join(folder, 'billing-export-latin1.csv');
    const header =
      'Claim_ID,Provider_ID,Procedure_code,Diagnosis_code,service_date,Payer,Claim_amnt,Paid_amnt,claim_status,Location';
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from(`${header}\n`),
        Buffer.from('BX-1,1245319599,99213,E11.9,03/19/2024,Aetna,$185.00,$142.50,paid,Clínica Norte\n', 'latin1'),
        Buffer.from('BX-2,1245319599,99214,I10,03/20/2024,Aetna,$250.00,$0.00,denied,Riverside\n'),
      ]),
    );
    const claimIds: string[] = [];
    for await (const event of claimEventsOfFile(file, { layouts, patientTokenKey: 'spec-key' })) {
      claimIds.push(event.claimId);
    }
    expect(claimIds).toEqual(['BX-2']);
  });

  it('refuses a header row that is not UTF-8 as LAYOUT_UNKNOWN, a typed error, as an unknown header is', async () => {
    const file = path.join(folder, 'latin1-header.csv');
    writeFileSync(file, Buffer.from('Código,Nombre\n1,2\n', 'latin1'));
    const read = async (): Promise<void> => {
      for await (const event of claimEventsOfFile(file, { layouts, patientTokenKey: 'spec-key' })) void event;
    };
    await expect(read()).rejects.toMatchObject({ name: 'SourceRecordError', code: 'LAYOUT_UNKNOWN' });
  });

  it('reads an export whose lines end in CR alone (Excel for Mac) and whose quoted Location holds an LF', async () => {
    const file = path.join(folder, 'billing-export-mac.csv');
    const header =
      'Claim_ID,Provider_ID,Procedure_code,Diagnosis_code,service_date,Payer,Claim_amnt,Paid_amnt,claim_status,Location';
    const rows = [
      'BX-1,1245319599,99213,E11.9,03/19/2024,Aetna,$185.00,$142.50,paid,Main Street Clinic',
      'BX-2,1245319599,99214,I10,03/20/2024,Aetna,$250.00,$0.00,denied,"Riverside\nSuite 100"',
      'BX-3,1245319599,99214,I10,03/20/2024,Aetna,$250.00,$200.00,paid,Riverside',
    ];
    writeFileSync(file, `${[header, ...rows].join('\r')}\r`);
    const claims: Array<[string, string | null | undefined]> = [];
    for await (const event of claimEventsOfFile(file, { layouts, patientTokenKey: 'spec-key' })) {
      claims.push([event.claimId, event.claim.serviceLocation?.name]);
    }
    expect(claims).toEqual([
      ['BX-1', 'Main Street Clinic'],
      ['BX-2', 'Riverside\nSuite 100'],
      ['BX-3', 'Riverside'],
    ]);
  });

  it('still reads the vendored billing export whole', async () => {
    const claimIds = new Set<string>();
    const file = path.join(DATA_ROOT, 'billing/billing-export-2024-03.csv');
    for await (const event of claimEventsOfFile(file, { layouts, patientTokenKey: 'spec-key' })) {
      claimIds.add(event.claimId);
    }
    expect(claimIds.size).toBe(10);
  });
});

describe('a billing export claim whose lines were served on different days', () => {
  const file = readVendoredFile('billing/billing-export-2024-03.csv');
  const layout = mappedLayoutOf(layouts, file);
  /** Claim BX-240301-0001's three lines (all 03/04/2024, E11.9), the second and third moved and diagnosed apart. */
  const claimRows = (second: string, third: string): string[] => {
    const rows = file.rows.filter((row) => row.startsWith('BX-240301-0001,'));
    return [
      rows[0] ?? '',
      (rows[1] ?? '').replace('E11.9,03/04/2024', second),
      (rows[2] ?? '').replace('E11.9,03/04/2024', third),
    ];
  };
  const normalize = (rows: string[]) => {
    const [raw] = rawEventsOf({ ...file, rows }, layout);
    if (raw === undefined) throw new Error('expected one claim');
    return normalizeMappedRecord(layout, raw, options);
  };

  it('spans the earliest to the latest line and lists every line’s diagnosis, where its first row spoke for all', () => {
    const normalized = normalize(claimRows('I10,03/06/2024', 'E11.9,2024-03-01'));
    if (normalized.kind !== 'claim') throw new Error('expected a claim');
    const { claim, occurredAt } = normalized.event;
    expect([claim.serviceFromDate, claim.serviceThroughDate, occurredAt]).toEqual([
      '2024-03-01',
      '2024-03-06',
      '2024-03-06',
    ]);
    expect(claim.diagnoses.map((diagnosis) => diagnosis.code)).toEqual(['E11.9', 'I10']);
    expect(claim.lines.map((line) => line.diagnosisCode)).toEqual(['E11.9', 'I10', 'E11.9']);
  });

  it('refuses the claim when a later line’s service date is no date, naming its row, as a first row’s would be', () => {
    const error = sourceRecordErrorOf(() => normalize(claimRows('E11.9,02/30/2024', 'E11.9,03/04/2024')));
    expect(error.code).toBe('DATE_INVALID');
    expect(error.message).toMatch(/service_date .* in row 2 of the claim$/);
  });
});

describe('a billing export claim with a row that does not split among its rows', () => {
  const file = readVendoredFile('billing/billing-export-2024-03.csv');
  const layout = mappedLayoutOf(layouts, file);

  it('refuses that row alone and reads the claim’s other rows as one record, not two whose later replaces the earlier', () => {
    // The middle line of BX-240301-0001 with a quote inside an unquoted field (even in count: no quoted line break).
    const rows = file.rows.map((row, index) => (index === 1 ? row.replace('Main Street', 'Main "5th" Street') : row));
    const outcomes = rawEventsOf({ ...file, rows }, layout).map((raw) => {
      try {
        return normalizeMappedRecord(layout, raw, options);
      } catch (error) {
        if (error instanceof SourceRecordError) return `${error.code}: ${error.message}`;
        throw error;
      }
    });
    const claims = outcomes.flatMap((outcome) =>
      typeof outcome !== 'string' && outcome.kind === 'claim' && outcome.event.claimId === 'BX-240301-0001'
        ? [outcome.event]
        : [],
    );
    expect(claims.map((claim) => claim.claim.lines.map((line) => line.hcpcsCode))).toEqual([['99213', '36415']]);
    expect(claims[0]?.lineage.recordNumbers).toEqual([1, 3]);
    expect(outcomes.filter((outcome) => typeof outcome === 'string')).toEqual([
      'CSV_MALFORMED: quote inside an unquoted field at character 80',
    ]);
  });
});
