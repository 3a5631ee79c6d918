import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PipelineKafka } from '@claims/kafka';
import { loadReferenceCodes } from '@claims/enrichment';
import pino from 'pino';
import { publishProviderDirectoryFiles } from './provider-directory-files';

const codes = loadReferenceCodes(path.join(__dirname, '../../../../data/codes'));
const silent = pino({ level: 'silent' });
/** Never reached: every case here is refused before anything is published. */
const unreachablePipeline = new Proxy({} as PipelineKafka, {
  get: () => {
    throw new Error('the pipeline was used');
  },
});

describe('publishProviderDirectoryFiles', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'directory-files-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('refuses a file over 500 MiB before reading it, naming the file and saying to split it', async () => {
    const national = path.join(folder, 'npidata_pfile_national.csv');
    // Sparse: the size is what the refusal reads, no disk is written.
    writeFileSync(national, '');
    truncateSync(national, 600 * 1024 * 1024);

    await expect(publishProviderDirectoryFiles([national], unreachablePipeline, codes, silent)).rejects.toMatchObject({
      code: 'REFERENCE_FORMAT',
      message:
        'PROVIDER_DIRECTORY_FILES: npidata_pfile_national.csv is 600 MiB; a directory file is read whole, ' +
        'at most 500 MiB: split it (the NPPES file by state, say) and name the parts',
    });
  });

  it('publishes none of the files when any of them is too large', async () => {
    const small = path.join(folder, 'small.csv');
    writeFileSync(small, '"NPI","Entity Type Code"\n"1234567893","1"\n');
    const large = path.join(folder, 'large.csv');
    writeFileSync(large, '');
    truncateSync(large, 2 * 1024 * 1024);

    await expect(
      publishProviderDirectoryFiles([small, large], unreachablePipeline, codes, silent, 1024 * 1024),
    ).rejects.toThrow('large.csv is 2 MiB');
  });
});
