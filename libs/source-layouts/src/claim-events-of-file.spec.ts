import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DATA_ROOT, readVendoredFile } from './__fixtures__/vendored-file';
import { claimEventsOfFile } from './claim-events-of-file';
import { loadSourceLayouts } from './layout-files';

const CARRIER = 'desynpuf/sample2/DE1_0_2008_to_2010_Carrier_Claims_Sample_2B.csv';
const options = { layouts: loadSourceLayouts(), patientTokenKey: 'spec-key' };

async function collect(file: string): Promise<string[]> {
  const claimIds: string[] = [];
  for await (const event of claimEventsOfFile(file, options)) claimIds.push(event.claimId);
  return claimIds;
}

describe('claimEventsOfFile', () => {
  let folder: string;
  beforeEach(() => (folder = mkdtempSync(path.join(tmpdir(), 'claim-events-of-file-'))));
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('reads every row of a carrier file into its canonical claim, in file order', async () => {
    const vendored = readVendoredFile(CARRIER);
    const claimIds = await collect(path.join(DATA_ROOT, CARRIER));
    expect(claimIds).toEqual(vendored.rows.map((row) => row.split(',')[1]));
  });

  it('reads a gzipped copy the same way', async () => {
    const vendored = readVendoredFile(CARRIER);
    const gzipped = path.join(folder, 'carrier.csv.gz');
    writeFileSync(gzipped, gzipSync(`${vendored.header}\n${vendored.rows.join('\n')}\n`));
    expect(await collect(gzipped)).toHaveLength(vendored.rows.length);
  });

  it('skips a row that does not normalize and goes on with the next', async () => {
    const vendored = readVendoredFile(CARRIER);
    const file = path.join(folder, 'carrier.csv');
    writeFileSync(file, `${vendored.header}\nnot,a,claim\n${vendored.rows[0]}\n`);
    expect(await collect(file)).toEqual([vendored.rows[0]?.split(',')[1]]);
  });

  it('yields nothing for a member file: members are not claims', async () => {
    expect(
      await collect(path.join(DATA_ROOT, 'desynpuf/sample2/DE1_0_2008_Beneficiary_Summary_File_Sample_2.csv')),
    ).toEqual([]);
  });

  it('reads a billing export row whose quoted Location holds a line break as one claim, as the ingestor does', async () => {
    const billing = readVendoredFile('billing/billing-export-2024-03.csv');
    const file = path.join(folder, 'billing-export-multiline.csv');
    const split = (billing.rows[0] ?? '').replace('Main Street Clinic', '"Main Street Clinic\r\nSuite 2"');
    writeFileSync(file, `${billing.header}\r\n${split}\r\n${billing.rows.slice(1).join('\r\n')}\r\n`);
    expect(await collect(file)).toEqual(billing.rows.map((row) => row.split(',')[0]));
  });

  it("reads a billing export saved with Excel's separator directive (sep=,) before its header", async () => {
    const billing = readVendoredFile('billing/billing-export-2024-03.csv');
    const file = path.join(folder, 'billing-export-excel.csv');
    writeFileSync(file, `sep=,\r\n${billing.header}\r\n${billing.rows.join('\r\n')}\r\n`);
    expect(await collect(file)).toHaveLength(billing.rows.length);
  });
});
