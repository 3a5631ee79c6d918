import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LayoutDefinitionError } from './layout-definition';
import { readLayoutFolder } from './layout-files';

const VALID = `
name: acme.claims
kind: claim
delimiter: ','
columns: [CLAIM_ID, DOS]
fields:
  claimId: { column: CLAIM_ID }
  claimType: { value: professional }
  eventType: { value: submitted }
  payer: { value: ACME }
  serviceFromDate: { column: DOS, type: date, format: YYYY-MM-DD }
`;

function loadError(folder: string): LayoutDefinitionError {
  try {
    readLayoutFolder(folder);
  } catch (error) {
    if (error instanceof LayoutDefinitionError) return error;
    throw error;
  }
  throw new Error('the folder loaded');
}

describe('readLayoutFolder', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'layouts-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('reads the mapping files of a folder', () => {
    writeFileSync(path.join(folder, 'acme.yaml'), VALID);
    expect(readLayoutFolder(folder).map((layout) => [layout.name, layout.origin])).toEqual([
      ['acme.claims', `${path.basename(folder)}/acme.yaml`],
    ]);
  });

  it('refuses a folder named like a mapping file, naming it, rather than failing on a bare EISDIR', () => {
    mkdirSync(path.join(folder, 'old.yaml'));
    expect(loadError(folder).message).toBe(`${path.basename(folder)}/old.yaml: not a file`);
  });

  it('refuses a link that leads nowhere, naming it', () => {
    symlinkSync(path.join(folder, 'gone.yaml'), path.join(folder, 'acme.yaml'));
    expect(loadError(folder).message).toMatch(
      new RegExp(`^${path.basename(folder)}/acme\\.yaml: cannot be read \\(ENOENT\\)$`),
    );
  });

  it('refuses a mapping file too large to be one before reading it whole', () => {
    writeFileSync(path.join(folder, 'huge.yaml'), `# ${'x'.repeat(2 * 1024 * 1024 - 3)}\n`);
    expect(loadError(folder).message).toBe(
      `${path.basename(folder)}/huge.yaml: 2097152 bytes; a mapping file is at most 1048576 bytes`,
    );
  });
});
