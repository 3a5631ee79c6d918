import { readFileSync } from 'node:fs';
import path from 'node:path';
import { eventDateOfRecord } from './event-date-of-record';
import { loadSourceLayouts } from './layout-files';
import { readCarrierSample } from './__fixtures__/desynpuf-carrier-sample';

const registry = loadSourceLayouts();

describe('eventDateOfRecord', () => {
  it("reads a carrier record's event date from CLM_THRU_DT, as the normalizer does", () => {
    const { header, records } = readCarrierSample();
    const record = records[0] ?? '';
    const throughDate = record.split(',')[3] ?? '';
    expect(eventDateOfRecord(registry.detect(header), header, record)).toBe(
      `${throughDate.slice(0, 4)}-${throughDate.slice(4, 6)}-${throughDate.slice(6, 8)}`,
    );
  });

  it("reads a mapped layout's service date in its declared format, from the file's own column order", () => {
    // data/billing: hand-written fixtures (data/billing/README.md).
    const [header = '', first = ''] = readFileSync(
      path.join(__dirname, '../../../data/billing/billing-export-2024-03.csv'),
      'utf8',
    ).split(/\r?\n/);
    expect(eventDateOfRecord(registry.detect(header), header, first)).toBe('2024-03-04');
  });

  it('answers null for a row whose date does not parse, leaving the judgement to the normalizer', () => {
    const { header, records } = readCarrierSample();
    const columns = (records[0] ?? '').split(',');
    columns[3] = '2010-13-45';
    expect(eventDateOfRecord(registry.detect(header), header, columns.join(','))).toBeNull();
  });

  it('answers null for a member reference, which has no event time', () => {
    const beneficiary = registry.mapped('desynpuf.beneficiary-summary');
    expect(beneficiary?.kind).toBe('member_reference');
    if (!beneficiary) return;
    expect(eventDateOfRecord({ name: beneficiary.name, mapped: beneficiary }, 'DESYNPUF_ID', 'X')).toBeNull();
  });

  it('answers null, never an error, for a header the layout cannot read (a column it reads named twice)', () => {
    const [header = '', first = ''] = readFileSync(
      path.join(__dirname, '../../../data/billing/billing-export-2024-03.csv'),
      'utf8',
    ).split(/\r?\n/);
    const detected = registry.detect(header);
    expect(eventDateOfRecord(detected, `${header},service_date`, `${first},03/05/2024`)).toBeNull();
  });
});
