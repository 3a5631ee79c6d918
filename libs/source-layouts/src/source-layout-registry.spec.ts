import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CodeLists } from './code-lists';
import { LayoutDefinitionError, parseLayoutDefinition } from './layout-definition';
import { loadSourceLayouts, readLayoutFolder } from './layout-files';
import { MappedLayout } from './mapped-layout';
import { normalizeSourceRecord } from './normalize-raw-record';
import { SourceLayoutRegistry, isBlankRow } from './source-layout-registry';
import { sourceRecordErrorOf } from './__fixtures__/source-record-error';
import { DATA_ROOT, mappedLayoutOf, rawEventsOf, readVendoredFile } from './__fixtures__/vendored-file';
import { readCarrierSample } from './__fixtures__/desynpuf-carrier-sample';

function layout(name: string, required: string[], columns = required): MappedLayout {
  const text = `
name: ${name}
kind: claim
delimiter: ','
columns: [${columns.join(', ')}]
header: { required: [${required.join(', ')}] }
fields:
  claimId: { column: ${columns[0]} }
  claimType: { value: professional }
  eventType: { value: submitted }
  payer: { value: X }
  serviceFromDate: { column: ${columns[1]}, type: date, format: YYYY-MM-DD }
`;
  return new MappedLayout(parseLayoutDefinition(text, `${name}.yaml`), `layouts/${name}.yaml`);
}

describe('SourceLayoutRegistry.detect', () => {
  const registry = new SourceLayoutRegistry([layout('a.short', ['ID', 'DOS']), layout('a.long', ['ID', 'DOS', 'NPI'])]);

  it('recognises the hand-coded carrier layout first, without the mapping engine', () => {
    expect(registry.detect(readCarrierSample().header)).toEqual({ name: 'desynpuf.carrier', mapped: null });
  });

  it('picks the layout that requires the most columns when several match', () => {
    expect(registry.detect('NPI,ID,DOS,EXTRA').name).toBe('a.long');
    expect(registry.detect('id, dos').name).toBe('a.short');
  });

  it('refuses a header two layouts match equally', () => {
    const tied = new SourceLayoutRegistry([layout('b.one', ['ID', 'DOS']), layout('b.two', ['ID', 'DOS'])]);
    expect(sourceRecordErrorOf(() => tied.detect('ID,DOS')).message).toBe(
      'the header row matches several layouts equally: b.one, b.two',
    );
  });

  it('refuses an unknown header with LAYOUT_UNKNOWN, listing every known layout', () => {
    const error = sourceRecordErrorOf(() => registry.detect('Patient,Amount'));
    expect(error.code).toBe('LAYOUT_UNKNOWN');
    expect(error.message).toBe(
      'the header row matches no known source layout (known: a.long, a.short, desynpuf.carrier)',
    );
  });

  it('refuses two mapping files with one name, naming both files', () => {
    expect(() => new SourceLayoutRegistry([layout('c.same', ['ID', 'DOS']), layout('c.same', ['ID', 'DOS'])])).toThrow(
      'layouts/c.same.yaml: name: layout "c.same" is already defined by layouts/c.same.yaml',
    );
  });

  it('refuses a mapping file that takes the built-in carrier name', () => {
    expect(() => new SourceLayoutRegistry([layout('desynpuf.carrier', ['ID', 'DOS'])])).toThrow(LayoutDefinitionError);
  });
});

describe('layout folders', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'layouts-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('stop the load at a mapping file that does not validate, naming the file and key', () => {
    writeFileSync(path.join(folder, 'acme.yaml'), 'name: acme.claims\nkind: claim\ndelimter: ","\n');
    expect(() => readLayoutFolder(folder)).toThrow(
      `${path.basename(folder)}/acme.yaml: (root): unknown key "delimter"`,
    );
  });

  it('onboard a new payer by one mapping file in LAYOUTS_DIR: its export is recognised and normalized', () => {
    copyFileSync(path.join(DATA_ROOT, 'harbor', 'harbor-remittance.layout.yaml'), path.join(folder, 'harbor.yaml'));
    expect(loadSourceLayouts().knownLayoutNames()).not.toContain('harbor.remittance-export');
    const layouts = loadSourceLayouts(folder);
    expect(layouts.knownLayoutNames()).toContain('harbor.remittance-export');

    const file = readVendoredFile('harbor/harbor-remit-2024-04.txt');
    const raws = rawEventsOf(file, mappedLayoutOf(layouts, file));
    const events = raws.map(
      (raw) =>
        normalizeSourceRecord(raw, { patientTokenKey: 'k'.repeat(24), layouts, codeLists: CodeLists.none() }).event,
    );
    expect(events.reduce((rows, event) => rows + (event.lineage.recordCount ?? 1), 0)).toBe(file.rows.length);
    expect(events.every((event) => event.layout === 'harbor.remittance-export')).toBe(true);
  });
});

describe('SourceLayoutRegistry.detect on a billing export header that is not as it should be', () => {
  const shipped = loadSourceLayouts();
  const header = readVendoredFile('billing/billing-export-2024-03.csv').header;

  it('refuses a header naming a column the layout reads twice, naming the column and both positions', () => {
    const error = sourceRecordErrorOf(() => shipped.detect(`${header},Claim_amnt`));
    expect(error.code).toBe('LAYOUT_UNKNOWN');
    expect(error.message).toBe(
      'the header row names Claim_amnt twice (columns 7 and 11), a column layout billing.claim-export reads: ' +
        'which of them holds its values is ambiguous',
    );
  });

  it('refuses a column the layout reads named twice in different case, as names are compared', () => {
    const error = sourceRecordErrorOf(() => shipped.detect(`${header},LOCATION`));
    expect(error.message).toMatch(/^the header row names Location twice \(columns 10 and 11\)/);
  });

  it('reads a header that repeats only columns the layout does not read (or blank ones): nothing is ambiguous', () => {
    expect(shipped.detect(`${header},Notes,Notes,,`).name).toBe('billing.claim-export');
  });

  it('says a space before a quoted header name is what keeps the header from being read', () => {
    const error = sourceRecordErrorOf(() => shipped.detect(header.replace(',Payer,', ', "Payer",')));
    expect(error.code).toBe('LAYOUT_UNKNOWN');
    expect(error.message).toBe(
      'the header row does not split as layout billing.claim-export reads it: ' +
        'space before the opening quote of field 6 at character 66',
    );
  });

  it('says a space after a quoted header name is what keeps the header from being read', () => {
    const error = sourceRecordErrorOf(() => shipped.detect(header.replace('Claim_ID,', '"Claim_ID" ,')));
    expect(error.message).toBe(
      'the header row does not split as layout billing.claim-export reads it: ' +
        'space after the closing quote of field 1 at character 11',
    );
  });

  it('still says a header that is no layout at all matches none, listing the known layouts', () => {
    expect(sourceRecordErrorOf(() => shipped.detect('a, "b",c')).message).toMatch(
      /^the header row matches no known source layout \(known: /,
    );
  });
});

describe('isBlankRow', () => {
  const carrier = SourceLayoutRegistry.builtInOnly().detect(readCarrierSample().header);
  const pipe = new MappedLayout(
    parseLayoutDefinition(
      `
name: pipes
kind: claim
delimiter: '|'
columns: [ID, DT]
fields:
  claimId: { column: ID }
  claimType: { value: professional }
  eventType: { value: submitted }
  payer: { value: X }
  serviceFromDate: { column: DT, type: date, format: YYYY-MM-DD }
`,
      'pipes.yaml',
    ),
    'layouts/pipes.yaml',
  );

  it("reads a spreadsheet's empty row as blank: its delimiters only, with spaces or quotes around nothing", () => {
    for (const row of [',,,,,', ',', ' , ,"",', '""', '"",""', '\t,\t']) expect(isBlankRow(carrier, row)).toBe(true);
    expect(isBlankRow({ name: 'pipes', mapped: pipe }, '|||')).toBe(true);
  });

  it('reads a row holding any value as a row, a quote written as a value included', () => {
    for (const row of ['1,,,', ',,,x', ',"""",', ',"a",', '|||']) expect(isBlankRow(carrier, row)).toBe(false);
    // A pipe layout quotes nothing: its quote is data.
    expect(isBlankRow({ name: 'pipes', mapped: pipe }, '|""|')).toBe(false);
    expect(isBlankRow({ name: 'pipes', mapped: pipe }, ',,')).toBe(false);
  });
});
