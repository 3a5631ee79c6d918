import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { PassThrough, Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import {
  GENERATED_LAYOUTS,
  LAYOUT_DEFINITIONS,
  headerLine,
  isGeneratedLayout,
  type ExpectedFiguresByLayout,
  type GeneratedLayout,
} from './generated-layouts';
import { SeededRandom } from './seeded-random';

/**
 * Bumped whenever the bytes written for an existing layout, seed and size
 * change, so that a cached file from an older generator is not reused (the
 * determinism spec pins one SHA-256 per layout to catch a forgotten bump).
 */
export const GENERATOR_VERSION = 1;
/** Bumped when the manifest gains or changes fields: an older manifest is then regenerated, not trusted. */
const MANIFEST_VERSION = 2;
/** Rows per write: big enough to make writes cheap, small enough to keep memory constant. */
const ROWS_PER_CHUNK = 2_000;
const LINE_BREAK = '\n';
const LARGEST_SEED = 0xffff_ffff;

export interface GenerateFileRequest<Layout extends GeneratedLayout = GeneratedLayout> {
  layout: Layout;
  /** 0 to 2^32 − 1: the same seed (and request) always gives the same bytes. */
  seed: number;
  /** Stop after this many records: claims, or members for the beneficiary summary... */
  records?: number;
  /** ...or at the first record boundary once the content (before compression) holds this many bytes. */
  minimumBytes?: number;
  /** Where to write the file; its manifest goes beside it as `<path>.manifest.json`. */
  path: string;
  /** Gzip the file; by default, when `path` ends in `.gz`. */
  gzip?: boolean;
  /**
   * Claim ids are numbered from here (default 1), so that files meant to meet
   * in one database never collide; the beneficiary summary numbers its members.
   */
  claimIdStart?: number;
}

/** A generated file's manifest, also written beside it as `<path>.manifest.json`. */
export interface GeneratedFile<Layout extends GeneratedLayout = GeneratedLayout> {
  manifestVersion: number;
  generatorVersion: number;
  /** File name relative to its directory (the ingest root), as POST /v1/ingestions takes it. */
  name: string;
  path: string;
  layout: Layout;
  /** The layout name the pipeline gives the file (layouts/*.yaml). */
  sourceLayoutName: string;
  seed: number;
  claimIdStart: number;
  gzip: boolean;
  /** Records written: claims, or members for the beneficiary summary. */
  records: number;
  /** Data rows written, the header aside: more than the records where a claim spans adjacent rows. */
  rows: number;
  /** Distinct claim keys once adjacent rows are assembled into claims; 0 for member reference files. */
  claims: number;
  /** Size on disk (compressed, when gzip). */
  bytes: number;
  /** SHA-256 of the bytes on disk. */
  sha256: string;
  /** Size of the uncompressed content (equal to `bytes` without gzip). */
  contentBytes: number;
  /** SHA-256 of the uncompressed content: stable across zlib versions, unlike a gzip file's. */
  contentSha256: string;
  expected: ExpectedFiguresByLayout[Layout];
  generationSeconds: number;
  /** True when an identical earlier file (same generator, layout, seed and size) was reused. */
  reused: boolean;
}

export type GeneratedCarrierFile = GeneratedFile<'carrier'>;

/** A request the generator cannot carry out as given: a wrong layout name, size or seed. */
export class GenerateFileRequestError extends Error {
  override readonly name = 'GenerateFileRequestError';
}

interface ValidRequest<Layout extends GeneratedLayout> {
  layout: Layout;
  seed: number;
  records: number | undefined;
  minimumBytes: number | undefined;
  path: string;
  gzip: boolean;
  claimIdStart: number;
}

/** Checks a request field by field: it may come from a command line, untyped. */
function validRequest<Layout extends GeneratedLayout>(request: GenerateFileRequest<Layout>): ValidRequest<Layout> {
  const fail = (message: string): never => {
    throw new GenerateFileRequestError(message);
  };
  if (!isGeneratedLayout(request.layout)) {
    fail(`unknown layout ${JSON.stringify(request.layout)}: one of ${GENERATED_LAYOUTS.join(', ')}`);
  }
  if (!Number.isInteger(request.seed) || request.seed < 0 || request.seed > LARGEST_SEED) {
    fail(`seed must be an integer from 0 to ${LARGEST_SEED}, not ${String(request.seed)}`);
  }
  if ((request.records === undefined) === (request.minimumBytes === undefined)) {
    fail('give either records or minimumBytes');
  }
  if (request.records !== undefined && !(Number.isSafeInteger(request.records) && request.records >= 0)) {
    fail(`records must be a whole number, not ${String(request.records)}`);
  }
  if (request.minimumBytes !== undefined && !(Number.isSafeInteger(request.minimumBytes) && request.minimumBytes > 0)) {
    fail(`minimumBytes must be a positive whole number, not ${String(request.minimumBytes)}`);
  }
  const claimIdStart = request.claimIdStart ?? 1;
  if (!Number.isSafeInteger(claimIdStart) || claimIdStart < 1) {
    fail(`claimIdStart must be a positive whole number, not ${String(request.claimIdStart)}`);
  }
  if (typeof request.path !== 'string' || request.path === '') fail('path must name the file to write');
  return {
    layout: request.layout,
    seed: request.seed,
    records: request.records,
    minimumBytes: request.minimumBytes,
    path: request.path,
    gzip: request.gzip ?? request.path.endsWith('.gz'),
    claimIdStart,
  };
}

/** Hashes and counts the bytes that pass through it on their way to the file. */
class DigestingPassThrough extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    callback(null, chunk);
  }
}

/**
 * Writes one file of a layout with a seeded PRNG, streaming chunk by chunk
 * with back-pressure (constant memory at any size), into `<path>.partial`
 * renamed to `path` once complete, and counts the manifest's figures as it
 * goes. Any earlier file at `path` is replaced.
 */
async function writeGeneratedFile<Layout extends GeneratedLayout>(
  request: ValidRequest<Layout>,
  name: string,
): Promise<GeneratedFile<Layout>> {
  const started = process.hrtime.bigint();
  const definition = LAYOUT_DEFINITIONS[request.layout];
  const generator = definition.createRecordGenerator(new SeededRandom(request.seed));
  const expected = definition.emptyExpected();
  const contentHash = createHash('sha256');
  let contentBytes = 0;
  let records = 0;
  let rows = 0;
  const recordLimitReached = (): boolean => request.records !== undefined && records >= request.records;
  const done = (): boolean =>
    request.records !== undefined ? recordLimitReached() : contentBytes >= (request.minimumBytes ?? 0);

  const counted = (text: string): string => {
    contentHash.update(text);
    contentBytes += Buffer.byteLength(text);
    return text;
  };
  async function* content(): AsyncGenerator<string> {
    yield counted(`${headerLine(request.layout)}${LINE_BREAK}`);
    while (!done()) {
      const chunk: string[] = [];
      while (chunk.length < ROWS_PER_CHUNK && !recordLimitReached()) {
        // A record's rows are appended together: a claim is never split across chunks or cut off at the end.
        generator.appendRecord(request.claimIdStart + records, chunk, expected);
        records += 1;
      }
      rows += chunk.length;
      yield counted(`${chunk.join(LINE_BREAK)}${LINE_BREAK}`);
    }
  }

  const partialPath = `${request.path}.partial`;
  const fileDigest = new DigestingPassThrough();
  try {
    await pipeline(
      // One chunk in flight at a time: memory stays a few chunks deep whatever the file size.
      Readable.from(content(), { highWaterMark: 1 }),
      request.gzip ? createGzip() : new PassThrough(),
      fileDigest,
      createWriteStream(partialPath, { highWaterMark: 1 << 20 }),
    );
    renameSync(partialPath, request.path);
  } catch (error) {
    rmSync(partialPath, { force: true });
    throw error;
  }

  return {
    manifestVersion: MANIFEST_VERSION,
    generatorVersion: GENERATOR_VERSION,
    name,
    path: request.path,
    layout: request.layout,
    sourceLayoutName: definition.sourceLayoutName,
    seed: request.seed,
    claimIdStart: request.claimIdStart,
    gzip: request.gzip,
    records,
    rows,
    // Every record gets a claim key of its own (claimIdStart + its index), so claims are the records.
    claims: definition.recordKind === 'claim' ? records : 0,
    bytes: fileDigest.bytes,
    sha256: fileDigest.hash.digest('hex'),
    contentBytes,
    contentSha256: contentHash.digest('hex'),
    expected,
    generationSeconds: Number(process.hrtime.bigint() - started) / 1e9,
    reused: false,
  };
}

function manifestPathOf(path: string): string {
  return `${path}.manifest.json`;
}

function writeManifest(file: GeneratedFile): void {
  writeFileSync(manifestPathOf(file.path), `${JSON.stringify(file, null, 2)}\n`);
}

/**
 * Writes a file of `layout` at `path` and its manifest beside it, and returns
 * the manifest: rows and claims written and the KPI figures the file must
 * produce. Every field may come from a command line; a wrong one is refused
 * with a GenerateFileRequestError naming it.
 *
 *   await generateFile({ layout: 'rif-carrier', seed: 7, records: 10_000, path: 'data/rif-carrier.csv.gz' });
 */
export async function generateFile<Layout extends GeneratedLayout>(
  request: GenerateFileRequest<Layout>,
): Promise<GeneratedFile<Layout>> {
  const valid = validRequest(request);
  const file = await writeGeneratedFile(valid, basename(valid.path));
  writeManifest(file);
  return file;
}

export interface GenerateReusableFileRequest<Layout extends GeneratedLayout = GeneratedLayout>
  extends Omit<GenerateFileRequest<Layout>, 'path' | 'claimIdStart'> {
  /** The file is named after its parameters inside this directory. */
  directory: string;
  claimIdStart: number;
}

/** The name says everything the bytes depend on, so an equal name means equal bytes. */
function reusableFileName(request: GenerateReusableFileRequest): string {
  const size = request.records !== undefined ? `n${request.records}` : `b${request.minimumBytes ?? 0}`;
  const extension = request.gzip ? 'csv.gz' : 'csv';
  return `${request.layout}-v${GENERATOR_VERSION}-s${request.seed}-c${request.claimIdStart}-${size}.${extension}`;
}

function readReusable<Layout extends GeneratedLayout>(path: string): GeneratedFile<Layout> | null {
  const manifestPath = manifestPathOf(path);
  if (!existsSync(path) || !existsSync(manifestPath)) return null;
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as GeneratedFile<Layout>;
    if (manifest.manifestVersion !== MANIFEST_VERSION || statSync(path).size !== manifest.bytes) return null;
    return { ...manifest, reused: true, generationSeconds: 0 };
  } catch {
    return null;
  }
}

/**
 * Like generateFile, but names the file after its parameters inside
 * `directory` and reuses an identical earlier file (with its manifest)
 * instead of writing it again: the benchmark's gigabyte inputs are written once.
 */
export async function generateReusableFile<Layout extends GeneratedLayout>(
  request: GenerateReusableFileRequest<Layout>,
): Promise<GeneratedFile<Layout>> {
  const name = reusableFileName(request);
  const path = join(request.directory, name);
  const valid = validRequest({ ...request, path });
  const reusable = readReusable<Layout>(path);
  if (reusable) return reusable;
  const file = await writeGeneratedFile(valid, name);
  writeManifest(file);
  return file;
}

/** A reusable DE-SynPUF carrier file: the layout the pipeline's KPIs are measured on. */
export function generateCarrierFile(
  request: Omit<GenerateReusableFileRequest<'carrier'>, 'layout'>,
): Promise<GeneratedCarrierFile> {
  return generateReusableFile({ ...request, layout: 'carrier' });
}
