import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ReferenceEventSchema } from '@claims/contracts';
import { loadReferenceCodes } from './code-lists';
import { parseProviderDirectoryFile, providerDirectoryLayoutOf } from './provider-directory-file';
import { ReferenceFormatError } from './reference.errors';

const DATA_DIR = path.join(__dirname, '../../../../data');
const codes = loadReferenceCodes(path.join(DATA_DIR, 'codes'));
const PUBLISHED_AT = '2024-05-06T07:08:09.000Z';
const linesOf = (fileName: string): string[] =>
  readFileSync(path.join(DATA_DIR, 'providers', fileName), 'utf8').split(/\r?\n/);

describe('parseProviderDirectoryFile', () => {
  it('recognises an NPPES npidata file and yields one provider event per row, named after the file', () => {
    const parsed = parseProviderDirectoryFile(linesOf('nppes_first10.csv'), 'nppes_first10.csv', codes, {
      publishedAt: PUBLISHED_AT,
    });
    expect(parsed.layout).toBe('nppes');
    expect(parsed.events).toHaveLength(10);
    expect(parsed.rejected).toEqual([]);
    for (const event of parsed.events) {
      expect(ReferenceEventSchema.safeParse(event).success).toBe(true);
      expect(event).toMatchObject({ kind: 'provider', source: 'nppes_first10.csv', publishedAt: PUBLISHED_AT });
    }
  });

  it('recognises the CMS clinician file and yields its providers, groups and locations at the release date', () => {
    const parsed = parseProviderDirectoryFile(
      linesOf('clinician-national-downloadable-sample.csv'),
      'clinician-national-downloadable-sample.csv',
      codes,
      { effectiveDate: '2024-06-01', publishedAt: PUBLISHED_AT },
    );
    expect(parsed.layout).toBe('clinician');
    const kinds = parsed.events.map((event) => event.kind);
    expect(kinds.filter((kind) => kind === 'provider')).toHaveLength(11);
    expect(kinds.filter((kind) => kind === 'provider_group')).toHaveLength(9);
    expect(kinds.filter((kind) => kind === 'service_location')).toHaveLength(11);
    for (const event of parsed.events) {
      expect(ReferenceEventSchema.safeParse(event).success).toBe(true);
      expect(event.effectiveDate).toBe('2024-06-01');
    }
  });

  it('finds the header after leading blank lines', () => {
    const parsed = parseProviderDirectoryFile(['', '  ', ...linesOf('npidata_1063947125.csv')], 'npidata.csv', codes);
    expect(parsed.events.map((event) => event.key)).toEqual(['1063947125']);
  });

  it('yields nothing for an empty file', () => {
    expect(parseProviderDirectoryFile(['', ''], 'empty.csv', codes).events).toEqual([]);
  });

  it('throws a permanent REFERENCE_FORMAT error for a header of neither layout', () => {
    expect(() => parseProviderDirectoryFile(['CLM_ID,NPI', '1,1043872153'], 'claims.csv', codes)).toThrow(
      ReferenceFormatError,
    );
  });
});

describe('providerDirectoryLayoutOf', () => {
  it('tells the layouts apart by their header', () => {
    expect(providerDirectoryLayoutOf('"NPI","Entity Type Code"')).toBe('nppes');
    expect(providerDirectoryLayoutOf('\uFEFFNPI, Ind_PAC_ID, lst_nm')).toBe('clinician');
    expect(providerDirectoryLayoutOf('NPI,Provider Last Name,pri_spec')).toBe('clinician');
    expect(providerDirectoryLayoutOf('NPI,NAME')).toBeNull();
  });
});
