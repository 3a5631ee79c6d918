/**
 * An NPPES file read into the directory and claims enriched against it as of
 * their service dates: a deactivated NPI bills nothing while deactivated, and
 * an NPI listed twice is read the same whatever the rows' order.
 */
import path from 'node:path';
import { enrichClaim } from './enrich';
import { claimEvent, line } from './enrich/__fixtures__/reference-fixtures';
import { loadReferenceCodes } from './reference/code-lists';
import { parseProviderDirectoryFile } from './reference/provider-directory-file';
import { ReferenceTables } from './tables';

const DATA_DIR = path.join(__dirname, '../../../data');
const codes = loadReferenceCodes(path.join(DATA_DIR, 'codes'));
const NPI = '1234567893';

const HEADER = [
  'NPI',
  'Entity Type Code',
  'Provider Last Name (Legal Name)',
  'Provider First Name',
  'Provider First Line Business Practice Location Address',
  'Provider Business Practice Location Address City Name',
  'Provider Business Practice Location Address State Name',
  'Provider Business Practice Location Address Postal Code',
  'Provider Enumeration Date',
  'Last Update Date',
  'NPI Deactivation Date',
  'NPI Reactivation Date',
]
  .map((name) => `"${name}"`)
  .join(',');
const nppesRow = (...fields: string[]): string => fields.map((field) => `"${field}"`).join(',');

/** The tables after each file is published in turn (as the reference topics would hold them). */
function directoryOf(...files: string[][]): ReferenceTables {
  const tables = new ReferenceTables();
  files.forEach((rows, index) => {
    const parsed = parseProviderDirectoryFile([HEADER, ...rows], `npidata-${index}.csv`, codes, {
      publishedAt: '2024-01-01T00:00:00.000Z',
    });
    for (const event of parsed.events) tables.apply(event);
  });
  return tables;
}

/** What the enricher says of the rendering provider of a claim served on `serviceDate`. */
function renderingLookup(tables: ReferenceTables, serviceDate: string) {
  const enrichment = enrichClaim(
    claimEvent({
      serviceFromDate: serviceDate,
      serviceThroughDate: serviceDate,
      lines: [line({ renderingNpi: NPI, taxId: null })],
    }),
    tables,
    codes,
  );
  return {
    found: enrichment.providers?.[0]?.found,
    practiceState: enrichment.renderingProviders[0]?.practiceState,
    miss: enrichment.lookupMisses?.find((miss) => miss.lookup === 'provider')?.reason ?? null,
  };
}

describe('a claim naming an NPI NPPES deactivated and reactivated', () => {
  const tables = directoryOf([
    nppesRow(
      NPI,
      '1',
      'LOPEZ',
      'ANA',
      '1 MAIN ST',
      'AUSTIN',
      'TX',
      '78701',
      '05/23/2005',
      '07/01/2012',
      '03/01/2010',
      '06/01/2012',
    ),
  ]);

  it('finds the provider when served before the deactivation', () => {
    expect(renderingLookup(tables, '2010-02-28')).toMatchObject({ found: true, miss: null });
  });

  it('finds no provider when served while the NPI was deactivated, the reactivation named as what it waits for', () => {
    expect(renderingLookup(tables, '2010-03-01')).toMatchObject({ found: false, miss: 'not_yet_effective' });
    expect(renderingLookup(tables, '2012-05-31')).toMatchObject({ found: false, miss: 'not_yet_effective' });
  });

  it('finds the provider again when served from the reactivation on', () => {
    expect(renderingLookup(tables, '2012-06-01')).toMatchObject({ found: true, miss: null });
  });
});

describe('a deactivation published after the listing it ends', () => {
  const listing = nppesRow(
    NPI,
    '1',
    'LOPEZ',
    'ANA',
    '1 MAIN ST',
    'AUSTIN',
    'TX',
    '78701',
    '05/23/2005',
    '07/08/2007',
    '',
    '',
  );
  const deactivation = nppesRow(NPI, '', '', '', '', '', '', '', '', '', '03/01/2010', '');
  const tables = directoryOf([listing], [deactivation]);

  it('leaves claims served before it enriched', () => {
    expect(renderingLookup(tables, '2009-12-31')).toMatchObject({ found: true, miss: null });
  });

  it('makes a claim served from the deactivation date on miss the provider as not found', () => {
    expect(renderingLookup(tables, '2010-03-01')).toMatchObject({ found: false, miss: 'not_found' });
  });
});

describe('a deactivation row appended to the file that lists the NPI (a weekly file after a monthly one)', () => {
  const listing = nppesRow(
    NPI,
    '1',
    'LOPEZ',
    'ANA',
    '1 MAIN ST',
    'AUSTIN',
    'TX',
    '78701',
    '05/23/2005',
    '07/08/2007',
    '',
    '',
  );
  const deactivation = nppesRow(NPI, '', '', '', '', '', '', '', '', '', '03/01/2010', '');

  it('enriches a claim served before the deactivation as the file published apart would, whatever the rows order', () => {
    for (const rows of [
      [listing, deactivation],
      [deactivation, listing],
    ]) {
      const tables = directoryOf(rows);
      expect(renderingLookup(tables, '2009-12-31')).toMatchObject({ found: true, practiceState: 'TX', miss: null });
      expect(renderingLookup(tables, '2010-03-01')).toMatchObject({ found: false, miss: 'not_found' });
    }
  });
});

describe('an NPI listed on two rows of one file in different states', () => {
  const moved = nppesRow(
    NPI,
    '1',
    'LOPEZ',
    'ANA',
    '9 ELM ST',
    'TULSA',
    'OK',
    '74103',
    '05/23/2005',
    '05/29/2014',
    '',
    '',
  );
  const stale = nppesRow(
    NPI,
    '1',
    'LOPEZ',
    'ANA',
    '1 MAIN ST',
    'AUSTIN',
    'TX',
    '78701',
    '05/23/2005',
    '07/08/2007',
    '',
    '',
  );

  it('enriches with the row last updated, whichever row comes last in the file', () => {
    expect(renderingLookup(directoryOf([moved, stale]), '2015-01-01').practiceState).toBe('OK');
    expect(renderingLookup(directoryOf([stale, moved]), '2015-01-01').practiceState).toBe('OK');
  });
});
