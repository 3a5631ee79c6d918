import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { FIGURES_READ_BACK } from './__tests__/figures-read-back';
import { readGeneratedFile, recordKeyRuns } from './__tests__/read-generated-file';
import {
  GenerateFileRequestError,
  generateCarrierFile,
  generateFile,
  generateReusableFile,
  type GeneratedFile,
} from './generate-file';
import { GENERATED_LAYOUTS, LAYOUT_DEFINITIONS, type GeneratedLayout } from './generated-layouts';

const SEED = 20_240_601;
const CLAIM_ID_START = 100_000_000_000_000;

/**
 * SHA-256 of 50 records of each layout with SEED and CLAIM_ID_START. The
 * carrier, inpatient and outpatient values are those of the generator as it
 * lived in bench/src/generator before it moved here: the move kept the bytes.
 * If one changes on purpose, bump GENERATOR_VERSION so cached files are not reused.
 */
const SHA256_OF_50_RECORDS: Readonly<Record<GeneratedLayout, string>> = {
  carrier: '42173aee70f74e79b2a62a58eeafe111996943dd1e073848293cf350bf2ced19',
  inpatient: '6332979aab52fc2eb6431d37703cadd7c611eabcfa9b24b5865785ac8137604b',
  outpatient: '4fa4b53eb9084bcb0d554dad45308ff860e6f485c2b06483805e723e7a85b9de',
  'prescription-drug-events': '4c4f54e07893ff491608fc6f5e399b4440924d79a3a26834c0be6415d82f9080',
  'beneficiary-summary': '1fabc98d2ba225212982c44fb5b86fc1787a117745912ea8e16c3e36857ef186',
  'rif-carrier': '2b6682d7e51b4536865e9093d62dfd88c1e19755781873f7358f10a5dd86bf8c',
  'rif-inpatient': 'b478f9da87e88aa1d65d4963f34ec9622dc44677caa3f8cd7496369c0f50f183',
  'billing-export': '62c89c67bad7667928a312c369123582fe29e98f817f88f231f57573bd3522d1',
  'pended-queue': '82a629f706cf794890be7ffd6501e07475ce7bcf33b655ad04c3da953427589b',
};

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'claims-generator-'));
});
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

const sha256Of = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

function fiftyRecords<Layout extends GeneratedLayout>(layout: Layout, name: string): Promise<GeneratedFile<Layout>> {
  return generateFile({ layout, seed: SEED, records: 50, claimIdStart: CLAIM_ID_START, path: join(directory, name) });
}

describe('generateFile determinism', () => {
  it.each(GENERATED_LAYOUTS)(
    'writes the same bytes for the same seed, with the pinned SHA-256 (%s)',
    async (layout) => {
      const first = await fiftyRecords(layout, `${layout}-first.csv`);
      const second = await fiftyRecords(layout, `${layout}-second.csv`);
      const firstSha256 = sha256Of(readFileSync(first.path));
      expect(sha256Of(readFileSync(second.path))).toBe(firstSha256);
      expect(firstSha256).toBe(SHA256_OF_50_RECORDS[layout]);
      expect(first.sha256).toBe(firstSha256);
    },
  );

  it.each(GENERATED_LAYOUTS)('writes different bytes for a different seed (%s)', async (layout) => {
    const seeded = await fiftyRecords(layout, `${layout}-seeded.csv`);
    const other = await generateFile({
      layout,
      seed: SEED + 1,
      records: 50,
      claimIdStart: CLAIM_ID_START,
      path: join(directory, `${layout}-other-seed.csv`),
    });
    expect(other.sha256).not.toBe(seeded.sha256);
  });

  it('writes the same gzip bytes for the same seed, holding exactly the uncompressed file', async () => {
    const plain = await fiftyRecords('rif-inpatient', 'gzip-plain.csv');
    const zipped = await fiftyRecords('rif-inpatient', 'gzip-first.csv.gz');
    const zippedAgain = await fiftyRecords('rif-inpatient', 'gzip-second.csv.gz');
    const zippedBytes = readFileSync(zipped.path);
    expect(zipped.gzip).toBe(true);
    expect(sha256Of(readFileSync(zippedAgain.path))).toBe(sha256Of(zippedBytes));
    expect(gunzipSync(zippedBytes).equals(readFileSync(plain.path))).toBe(true);
    expect(zipped).toMatchObject({
      sha256: sha256Of(zippedBytes),
      bytes: zippedBytes.length,
      contentSha256: plain.sha256,
      contentBytes: plain.bytes,
      expected: plain.expected,
    });
    expect(zipped.bytes).toBeLessThan(plain.bytes);
  });
});

describe('generateFile manifest', () => {
  const manifests = new Map<GeneratedLayout, GeneratedFile>();
  beforeAll(async () => {
    for (const layout of GENERATED_LAYOUTS) {
      manifests.set(
        layout,
        await generateFile({ layout, seed: SEED + 7, records: 600, path: join(directory, `${layout}-600.csv`) }),
      );
    }
  });
  const manifestOf = (layout: GeneratedLayout): GeneratedFile => {
    const manifest = manifests.get(layout);
    if (manifest === undefined) throw new Error(`no manifest for ${layout}`);
    return manifest;
  };

  it.each(GENERATED_LAYOUTS)('counts the rows and records that reading the file back finds (%s)', (layout) => {
    const manifest = manifestOf(layout);
    const file = readGeneratedFile(manifest.path);
    const { distinctKeys } = recordKeyRuns(file, LAYOUT_DEFINITIONS[layout].recordKeyColumns);
    expect(manifest.rows).toBe(file.rows.length);
    expect(manifest.records).toBe(600);
    expect(distinctKeys).toBe(600);
    expect(manifest.claims).toBe(LAYOUT_DEFINITIONS[layout].recordKind === 'claim' ? distinctKeys : 0);
  });

  it.each(GENERATED_LAYOUTS)(
    'keeps the rows of each claim adjacent, every row as wide as the header (%s)',
    (layout) => {
      const file = readGeneratedFile(manifestOf(layout).path);
      const { distinctKeys, runs } = recordKeyRuns(file, LAYOUT_DEFINITIONS[layout].recordKeyColumns);
      expect(runs).toBe(distinctKeys);
      expect(new Set(file.rows.map((row) => row.length))).toEqual(new Set([file.columns.length]));
    },
  );

  it.each(GENERATED_LAYOUTS)('records the KPI figures that reading the file back computes (%s)', (layout) => {
    const manifest = manifestOf(layout);
    const readBack = FIGURES_READ_BACK[layout] as (file: ReturnType<typeof readGeneratedFile>) => unknown;
    expect(manifest.expected).toEqual(readBack(readGeneratedFile(manifest.path)));
  });

  it('writes several rows per claim in the line-per-row layouts', () => {
    for (const layout of ['rif-carrier', 'rif-inpatient', 'billing-export'] as const) {
      expect(manifestOf(layout).rows).toBeGreaterThan(manifestOf(layout).records);
    }
  });

  it('writes the manifest beside the file, equal to the one returned', () => {
    const manifest = manifestOf('billing-export');
    expect(JSON.parse(readFileSync(`${manifest.path}.manifest.json`, 'utf8'))).toEqual(manifest);
  });

  it('names the pipeline layout each file is meant for', () => {
    expect(manifestOf('rif-carrier').sourceLayoutName).toBe('rif.carrier');
    expect(manifestOf('pended-queue').sourceLayoutName).toBe('billing.pended-queue-export');
  });
});

describe('generateFile sizes', () => {
  it.each(['carrier', 'rif-inpatient'] as const)(
    'stops at the first whole claim once the content reaches minimumBytes (%s)',
    async (layout) => {
      const minimumBytes = 1_500_000;
      const file = await generateFile({
        layout,
        seed: SEED,
        minimumBytes,
        path: join(directory, `${layout}-bytes.csv`),
      });
      const readBack = readGeneratedFile(file.path);
      expect(file.contentBytes).toBeGreaterThanOrEqual(minimumBytes);
      expect(readBack.content.length).toBe(file.contentBytes);
      expect(recordKeyRuns(readBack, LAYOUT_DEFINITIONS[layout].recordKeyColumns).distinctKeys).toBe(file.claims);
    },
  );

  it('writes only the header for zero records', async () => {
    const file = await generateFile({
      layout: 'pended-queue',
      seed: SEED,
      records: 0,
      path: join(directory, 'empty.csv'),
    });
    expect(file).toMatchObject({ rows: 0, records: 0, claims: 0 });
    expect(readGeneratedFile(file.path).rows).toEqual([]);
  });

  it('numbers claims from claimIdStart', async () => {
    const file = await generateFile({
      layout: 'billing-export',
      seed: SEED,
      records: 3,
      claimIdStart: 41,
      path: join(directory, 'numbered.csv'),
    });
    const { firstRows } = recordKeyRuns(readGeneratedFile(file.path), ['Claim_ID']);
    expect(firstRows.map((row) => row[0])).toEqual(['BX-41', 'BX-42', 'BX-43']);
  });
});

describe('generateFile requests', () => {
  const valid = { layout: 'carrier', seed: 1, records: 10, path: join(tmpdir(), 'never-written.csv') } as const;

  it('refuses an unknown layout, naming the known ones', async () => {
    const request = { ...valid, layout: 'rif-snf' as GeneratedLayout };
    await expect(generateFile(request)).rejects.toThrow(GenerateFileRequestError);
    await expect(generateFile(request)).rejects.toThrow(/unknown layout "rif-snf": one of carrier, .*pended-queue/);
  });

  it('refuses a request giving both records and minimumBytes, or neither', async () => {
    await expect(generateFile({ ...valid, minimumBytes: 1_000 })).rejects.toThrow(
      'give either records or minimumBytes',
    );
    await expect(generateFile({ ...valid, records: undefined })).rejects.toThrow('give either records or minimumBytes');
  });

  it('refuses a seed the generator would wrap to another seed', async () => {
    await expect(generateFile({ ...valid, seed: 2 ** 32 })).rejects.toThrow(/seed must be an integer from 0 to/);
    await expect(generateFile({ ...valid, seed: 1.5 })).rejects.toThrow(/seed must be an integer/);
  });

  it('refuses a fractional or negative record count', async () => {
    await expect(generateFile({ ...valid, records: 2.5 })).rejects.toThrow(/records must be a whole number/);
    await expect(generateFile({ ...valid, records: -1 })).rejects.toThrow(/records must be a whole number/);
  });

  it('leaves no partial file behind when the directory does not exist', async () => {
    const path = join(directory, 'missing-folder', 'file.csv');
    await expect(generateFile({ ...valid, path })).rejects.toThrow(/ENOENT/);
  });
});

describe('generateReusableFile', () => {
  it('names the file after its parameters and reuses it on the next request', async () => {
    const request = { directory, layout: 'rif-carrier', seed: SEED, records: 40, claimIdStart: 7, gzip: true } as const;
    const written = await generateReusableFile(request);
    const reused = await generateReusableFile(request);
    expect(written.name).toBe(`rif-carrier-v1-s${SEED}-c7-n40.csv.gz`);
    expect(written.reused).toBe(false);
    expect(reused).toMatchObject({ reused: true, sha256: written.sha256, expected: written.expected });
  });

  it('writes the file again when its manifest is from an older generator', async () => {
    const request = { directory, seed: SEED, records: 30, claimIdStart: 9 };
    const written = await generateCarrierFile(request);
    const manifestPath = `${written.path}.manifest.json`;
    const { manifestVersion: _current, ...olderManifest } = JSON.parse(
      readFileSync(manifestPath, 'utf8'),
    ) as GeneratedFile;
    writeFileSync(manifestPath, JSON.stringify(olderManifest));
    const rewritten = await generateCarrierFile(request);
    expect(rewritten).toMatchObject({ reused: false, sha256: written.sha256, layout: 'carrier' });
  });
});
