import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GENERATED_LAYOUTS, LAYOUT_DEFINITIONS, headerLine, isGeneratedLayout } from './generated-layouts';

/** The repository's data/ folder: byte-for-byte copies of the public samples, and the hand-written exports. */
const REPOSITORY_ROOT = path.join(__dirname, '../../..');

/** The first line of a file as bytes, without its line break (the DE-SynPUF samples end lines with CRLF). */
function firstLineBytes(file: string): Buffer {
  const bytes = readFileSync(path.join(REPOSITORY_ROOT, file));
  const end = bytes.indexOf(0x0a);
  const line = bytes.subarray(0, end === -1 ? bytes.length : end);
  return line[line.length - 1] === 0x0d ? line.subarray(0, -1) : line;
}

describe('layout headers', () => {
  it.each(GENERATED_LAYOUTS.map((layout) => [layout, LAYOUT_DEFINITIONS[layout].headerCopiedFrom]))(
    'write the %s header line byte for byte as %s has it',
    (layout, sample) => {
      expect(Buffer.from(headerLine(layout), 'utf8').equals(firstLineBytes(sample))).toBe(true);
    },
  );

  it('quote every DE-SynPUF header name, as the official files do, and no other', () => {
    expect(headerLine('prescription-drug-events').startsWith('"DESYNPUF_ID","PDE_ID",')).toBe(true);
    expect(headerLine('rif-carrier').startsWith('DML_IND|BENE_ID|CLM_ID|')).toBe(true);
    expect(headerLine('billing-export').startsWith('Claim_ID,Provider_ID,')).toBe(true);
  });

  it('key each claim layout by columns its header holds', () => {
    for (const layout of GENERATED_LAYOUTS) {
      const { columns, recordKeyColumns } = LAYOUT_DEFINITIONS[layout];
      expect(columns).toEqual(expect.arrayContaining([...recordKeyColumns]));
    }
  });
});

describe('isGeneratedLayout', () => {
  it('accepts the layout names and nothing else, not even inherited object keys', () => {
    expect(GENERATED_LAYOUTS.every(isGeneratedLayout)).toBe(true);
    expect(isGeneratedLayout('rif-snf')).toBe(false);
    expect(isGeneratedLayout('toString')).toBe(false);
    expect(isGeneratedLayout(undefined)).toBe(false);
  });
});
