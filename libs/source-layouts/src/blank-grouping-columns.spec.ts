import type { ClaimEvent } from '@claims/contracts';
import { loadCodeLists } from './code-lists';
import { loadSourceLayouts, shippedFolder } from './layout-files';
import { normalizeMappedRecord } from './mapped-record';
import { SourceRecordError } from './source-record.errors';
import { mappedLayoutOf, rawEventsOf, readVendoredFile, type VendoredFile } from './__fixtures__/vendored-file';

const layouts = loadSourceLayouts();
const options = {
  patientTokenKey: 'unit-test-key-0123456789',
  codeLists: loadCodeLists(shippedFolder('data', 'codes', 'tuva')),
};
const OUTPATIENT = 'desynpuf/sample2/DE1_0_2008_to_2010_Outpatient_Claims_Sample_2_part1.csv';
/** CLM_ID 391182254590821: segment 2 at data row 66, segment 1 right after it. */
const ADJACENT_SEGMENTS_CLAIM = '391182254590821';

function normalized(file: VendoredFile): Array<ClaimEvent | SourceRecordError> {
  const layout = mappedLayoutOf(layouts, file);
  return rawEventsOf(file, layout).map((raw) => {
    try {
      const event = normalizeMappedRecord(layout, raw, options);
      if (event.kind !== 'claim') throw new Error('expected a claim');
      return event.event;
    } catch (error) {
      if (error instanceof SourceRecordError) return error;
      throw error;
    }
  });
}

/** The sample with DESYNPUF_ID blanked on every row of one claim (the file's header names the column). */
function withBlankMemberOf(claimId: string): VendoredFile {
  const file = readVendoredFile(OUTPATIENT);
  const names = file.header.split(',').map((name) => name.replace(/"/g, ''));
  const member = names.indexOf('DESYNPUF_ID');
  const claim = names.indexOf('CLM_ID');
  const rows = file.rows.map((row) => {
    const fields = row.split(',');
    if (fields[claim] === claimId) fields[member] = '';
    return fields.join(',');
  });
  return { ...file, rows };
}

describe('DE-SynPUF outpatient segments of a claim whose member id is blank', () => {
  it('are assembled into one claim when adjacent, flagged MEMBER_ID_MISSING, as with the member id stated', () => {
    const stated = normalized(readVendoredFile(OUTPATIENT)).find(
      (outcome): outcome is ClaimEvent =>
        !(outcome instanceof SourceRecordError) && outcome.claimId === ADJACENT_SEGMENTS_CLAIM,
    );
    const outcomes = normalized(withBlankMemberOf(ADJACENT_SEGMENTS_CLAIM));
    expect(outcomes.filter((outcome) => outcome instanceof SourceRecordError)).toEqual([]);
    const blank = outcomes.filter(
      (outcome): outcome is ClaimEvent =>
        !(outcome instanceof SourceRecordError) && outcome.claimId === ADJACENT_SEGMENTS_CLAIM,
    );
    expect(blank).toHaveLength(1);
    expect(blank[0]?.lineage.recordCount).toBe(2);
    expect(blank[0]?.claim.lines.map((line) => line.hcpcsCode)).toEqual(
      stated?.claim.lines.map((line) => line.hcpcsCode),
    );
    expect(blank[0]?.dataQuality.map((finding) => finding.code)).toContain('MEMBER_ID_MISSING');
  });
});

describe('RIF carrier rows of a claim whose DML_IND is blank', () => {
  const CARRIER = 'rif/rif-synthea/carrier.csv';

  it('are grouped into one claim with every line, as with DML_IND stated', () => {
    const file = readVendoredFile(CARRIER);
    const names = file.header.split('|');
    const dml = names.indexOf('DML_IND');
    const claim = names.indexOf('CLM_ID');
    const lineCounts = new Map<string, number>();
    for (const row of file.rows) {
      const id = row.split('|')[claim] ?? '';
      lineCounts.set(id, (lineCounts.get(id) ?? 0) + 1);
    }
    const [multiLine] = [...lineCounts].find(([, count]) => count > 1) ?? [];
    const blanked = {
      ...file,
      rows: file.rows.map((row) => {
        const fields = row.split('|');
        if (fields[claim] === multiLine) fields[dml] = '';
        return fields.join('|');
      }),
    };
    const claims = normalized(blanked).filter(
      (outcome): outcome is ClaimEvent => !(outcome instanceof SourceRecordError) && outcome.claimId === multiLine,
    );
    expect(claims).toHaveLength(1);
    expect(claims[0]?.claim.lines).toHaveLength(lineCounts.get(multiLine ?? '') ?? 0);
  });

  it('go alone when the claim id itself is blank, to be refused as rows without a claim', () => {
    const file = readVendoredFile(CARRIER);
    const names = file.header.split('|');
    const claim = names.indexOf('CLM_ID');
    const [first = '', second = ''] = file.rows;
    const unkeyed = [first, second].map((row) => {
      const fields = row.split('|');
      fields[claim] = '';
      return fields.join('|');
    });
    const outcomes = normalized({ ...file, rows: unkeyed });
    expect(outcomes).toHaveLength(2);
    expect(outcomes.every((outcome) => outcome instanceof SourceRecordError)).toBe(true);
  });
});
