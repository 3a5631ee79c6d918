import { checkUploadQuery, isAcceptedUploadMediaType, isIngestId, uploadHeadRefusal } from './upload-request';

const LAYOUTS = ['desynpuf.carrier', 'billing.export', 'x12'];

describe('checkUploadQuery', () => {
  it('accepts a file name with a known layout and pacing, and forwards exactly those settings', () => {
    const check = checkUploadQuery(
      { name: 'claims.csv', layout: 'desynpuf.carrier', ratePerSecond: '50', dryRun: 'true' },
      LAYOUTS,
    );
    expect(check).toMatchObject({
      ok: true,
      query: { name: 'claims.csv', layout: 'desynpuf.carrier', ratePerSecond: 50, dryRun: true },
    });
    expect(check.ok && check.forward.toString()).toBe(
      'name=claims.csv&layout=desynpuf.carrier&ratePerSecond=50&dryRun=true',
    );
  });

  it('refuses an unknown layout with a 400 naming the field and listing the known layouts', () => {
    const check = checkUploadQuery({ name: 'claims.csv', layout: 'rif.carier' }, LAYOUTS);
    expect(check).toEqual({ ok: false, fields: ['layout'], message: expect.stringContaining('desynpuf.carrier') });
  });

  it('refuses a missing name, a path for a name, a hidden name and an unknown parameter, naming each', () => {
    expect(checkUploadQuery({}, LAYOUTS)).toMatchObject({ ok: false, fields: ['name'] });
    expect(checkUploadQuery({ name: '../etc/passwd' }, LAYOUTS)).toMatchObject({ ok: false, fields: ['name'] });
    expect(checkUploadQuery({ name: '.hidden.csv' }, LAYOUTS)).toMatchObject({ ok: false, fields: ['name'] });
    expect(checkUploadQuery({ name: 'a.csv', layuot: 'x12' }, LAYOUTS)).toMatchObject({
      ok: false,
      fields: ['layuot'],
    });
  });

  it('accepts a name of 255 UTF-8 bytes with accents and spaces, the longest a file system stores', () => {
    const name = `${'é'.repeat(125)}x.csv`;
    expect(Buffer.byteLength(name, 'utf8')).toBe(255);
    expect(checkUploadQuery({ name }, LAYOUTS)).toMatchObject({ ok: true, query: { name } });
    expect(checkUploadQuery({ name: 'März 2024 Abrechnung.csv' }, LAYOUTS)).toMatchObject({ ok: true });
  });

  it('refuses a name over 255 UTF-8 bytes though under 255 characters, which the ingestor could not store', () => {
    const name = `${'é'.repeat(200)}.csv`;
    expect(name.length).toBeLessThan(255);
    expect(checkUploadQuery({ name }, LAYOUTS)).toEqual({
      ok: false,
      fields: ['name'],
      message: expect.stringContaining('255 bytes'),
    });
  });

  it.each([
    ['a line break', 'a\r\nb.csv'],
    ['a tab', 'a\tb.csv'],
    ['an escape sequence', 'a\u001b[31mb.csv'],
    ['a C1 control', 'a\u0085b.csv'],
    ['a right-to-left override', 'claims\u202evsc.exe'],
    ['a directional isolate', 'claims\u2066.csv'],
  ])('refuses a name holding %s, naming the field', (_, name) => {
    expect(checkUploadQuery({ name }, LAYOUTS)).toMatchObject({ ok: false, fields: ['name'] });
  });

  it('refuses a rate below one record per second, and pacing by rate and speedup at once', () => {
    expect(checkUploadQuery({ name: 'a.csv', ratePerSecond: '0.5' }, LAYOUTS)).toMatchObject({
      ok: false,
      fields: ['ratePerSecond'],
    });
    expect(checkUploadQuery({ name: 'a.csv', ratePerSecond: '5', speedup: '10' }, LAYOUTS)).toMatchObject({
      ok: false,
      fields: ['speedup'],
    });
  });
});

describe('isAcceptedUploadMediaType', () => {
  it('takes bytes, gzip, CSV, plain text and X12, with or without parameters, and no declared type', () => {
    for (const type of [
      'application/octet-stream',
      'application/gzip',
      'text/csv; charset=utf-8',
      'application/EDI-X12',
    ]) {
      expect(isAcceptedUploadMediaType(type)).toBe(true);
    }
    expect(isAcceptedUploadMediaType(undefined)).toBe(true);
  });

  it('refuses JSON, forms and multipart bodies, which would be parsed or wrapped', () => {
    for (const type of ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      expect(isAcceptedUploadMediaType(type)).toBe(false);
    }
  });
});

describe('uploadHeadRefusal', () => {
  it('lets gzip through by its magic number and text by the absence of NUL bytes', () => {
    expect(uploadHeadRefusal(Buffer.from([0x1f, 0x8b, 0x08, 0x00]))).toBeNull();
    expect(uploadHeadRefusal(Buffer.from('DESYNPUF_ID,CLM_ID\n'))).toBeNull();
    expect(uploadHeadRefusal(Buffer.from('ISA*00*          *00*'))).toBeNull();
  });

  it('takes UTF-16 text with its byte-order mark, little- and big-endian, which the ingestor transcodes', () => {
    const little = Buffer.from('\ufeffCLM_ID,CLM_THRU_DT\n', 'utf16le');
    const big = Buffer.from(little).swap16();
    expect(uploadHeadRefusal(little)).toBeNull();
    expect(uploadHeadRefusal(big)).toBeNull();
  });

  it('names a zip or spreadsheet and a PDF with what to send instead, as the ingestor does', () => {
    expect(uploadHeadRefusal(Buffer.from('PK\x03\x04rest', 'latin1'))).toBe(
      'the body is a ZIP archive: unzip it and ingest the files it holds, or save a workbook as CSV (gzip is read as it is)',
    );
    expect(uploadHeadRefusal(Buffer.from('%PDF-1.7'))).toBe(
      'the body is a PDF document: ingest the export it was printed from',
    );
  });

  it('refuses other binary bytes and UTF-16 text without its byte-order mark as not a source file', () => {
    const notText = 'the body is neither text (CSV, delimited, X12) nor gzip: send the source file itself';
    expect(uploadHeadRefusal(Buffer.from('CLM_ID', 'utf16le'))).toBe(notText);
    expect(uploadHeadRefusal(Buffer.from([0x00, 0x01, 0x02]))).toBe(notText);
  });
});

describe('isIngestId', () => {
  it('takes the UUIDs the ingestor makes and nothing else', () => {
    expect(isIngestId('3f2b8c1e-9d4a-4b6e-8f00-1a2b3c4d5e6f')).toBe(true);
    expect(isIngestId('route-table-unknown-job')).toBe(false);
  });
});
