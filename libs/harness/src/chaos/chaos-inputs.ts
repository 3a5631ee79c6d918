import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { ChaosRandom } from './chaos-random';
import type { InputKind } from './chaos-report';
import type { WaveSize } from './fault-schedule';
import { ENVELOPE_BREAKS, badFiles, breakX12Envelope, fuzzDelimitedFile, type RecordMutation } from './record-mutator';

/**
 * The generator functions the chaos run writes its inputs with
 * (libs/claims-generator), passed in by the caller: the harness may not
 * import that library itself (module boundaries), while the launcher and
 * the tests may.
 */
export interface ChaosGenerators {
  generateFile(request: {
    layout: 'carrier' | 'rif-carrier' | 'billing-export' | 'pended-queue';
    seed: number;
    records: number;
    path: string;
    claimIdStart: number;
  }): Promise<{ rows: number; claims: number }>;
  generateEdiScenario(request: {
    seed: number;
    claims: number;
    directory: string;
    claimIdStart: number;
    claimsPerTransactionSet?: number;
    transactionSetsPerInterchange?: number;
    firstSubmissionDate?: string;
  }): Promise<{
    files: Record<
      'claims' | 'functionalAcknowledgements' | 'claimAcknowledgements' | 'remittances',
      { path: string; bytes: number }
    >;
    expected: EdiExpectations;
  }>;
}

/** The figures of an EDI scenario's manifest the run holds the lifecycle KPIs to. */
export interface EdiExpectations {
  claimsSubmitted: number;
  transactionSetsRejectedBy999: number;
  claimsAcknowledgedBy277ca: number;
  claimsRejectedBy277ca: number;
}

/** One file to replay: where it is (relative to the ingest root), what it is and what it must add. */
export interface ChaosInput {
  name: string;
  kind: InputKind;
  /** Records per second while faults are injected; undefined for full speed. */
  ratePerSecond?: number;
  expectedRecords: number | null;
  expectedClaims: number | null;
  /** Claims each folded record adds (hostile files, whose folded records are counted after the fact). */
  claimsPerFoldedRecord: number;
  /** What was done to a hostile file, for the JSON. */
  detail?: string;
}

/** A wave's files in lanes: each lane replays its files one after another (the EDI answers after their claims). */
export interface ChaosWave {
  lanes: ChaosInput[][];
  edi: EdiExpectations | null;
}

/** Claim id ranges kept apart per scenario, wave and layout: no two files of a run ever share a claim. */
function claimIdStart(scenario: number, wave: number, slot: number): number {
  return 100_000_000_000 + scenario * 10_000_000_000 + wave * 100_000_000 + slot * 10_000_000;
}

/** Fields the fuzzer leaves alone in a DE-SynPUF carrier row: DESYNPUF_ID and CLM_ID, the claim's key. */
const CARRIER_KEY_FIELDS = 2;
/** Claims of each broken X12 file: one interchange, one transaction set. */
const BROKEN_X12_CLAIMS = 3;

/**
 * Writes one wave's files under `ingestRoot`: the clean layouts (their
 * manifests give records and claims), a fuzzed carrier file, and in a
 * scenario's first wave an EDI scenario, X12 files with broken envelopes
 * and bad files.
 */
export async function writeWave(options: {
  generators: ChaosGenerators;
  ingestRoot: string;
  folder: string;
  scenarioIndex: number;
  waveIndex: number;
  size: WaveSize;
  random: ChaosRandom;
}): Promise<ChaosWave> {
  const { generators, ingestRoot, size, random, scenarioIndex, waveIndex } = options;
  const directory = join(ingestRoot, options.folder);
  mkdirSync(directory, { recursive: true });
  const name = (path: string): string => relative(ingestRoot, path);
  const rate = (records: number): number => Math.max(1, Math.ceil(records / size.waveSeconds));
  const clean = async (
    layout: 'carrier' | 'rif-carrier' | 'billing-export' | 'pended-queue',
    records: number,
    slot: number,
  ): Promise<ChaosInput> => {
    const path = join(directory, `${layout}.csv`);
    const file = await generators.generateFile({
      layout,
      seed: random.nextUint32(),
      records,
      path,
      claimIdStart: claimIdStart(scenarioIndex, waveIndex, slot),
    });
    return {
      name: name(path),
      kind: 'clean',
      ratePerSecond: rate(records),
      expectedRecords: file.rows,
      expectedClaims: file.claims,
      claimsPerFoldedRecord: 0,
    };
  };

  const carrier = await clean('carrier', size.carrier, 0);
  const rif = await clean('rif-carrier', size.rifCarrier, 1);
  const billing = await clean('billing-export', size.billingExport, 2);
  const pended = await clean('pended-queue', size.pendedQueue, 3);

  // The fuzzed file: a clean carrier file of its own claim range, half its records mutated.
  const scratch = join(directory, 'scratch');
  mkdirSync(scratch, { recursive: true });
  const sourcePath = join(scratch, 'carrier-to-fuzz.csv');
  await generators.generateFile({
    layout: 'carrier',
    seed: random.nextUint32(),
    records: size.fuzzedCarrier,
    path: sourcePath,
    claimIdStart: claimIdStart(scenarioIndex, waveIndex, 4),
  });
  const fuzzed = fuzzDelimitedFile(readFileSync(sourcePath), random, {
    delimiter: ',',
    protectedFields: CARRIER_KEY_FIELDS,
    share: 0.5,
  });
  const fuzzedPath = join(directory, 'fuzzed-carrier.csv');
  writeFileSync(fuzzedPath, fuzzed.content);
  const fuzzedInput: ChaosInput = {
    name: name(fuzzedPath),
    kind: 'fuzzed',
    expectedRecords: fuzzed.records,
    expectedClaims: null,
    claimsPerFoldedRecord: 1,
    detail: `${fuzzed.mutatedRecords} of ${fuzzed.records} records mutated: ${describeMutations(fuzzed.mutations)}`,
  };

  const lanes: ChaosInput[][] = [[carrier], [rif, billing], [pended, fuzzedInput]];
  if (waveIndex > 0) return { lanes, edi: null };

  const ediDirectory = join(directory, 'edi');
  const edi = await generators.generateEdiScenario({
    seed: random.nextUint32(),
    claims: size.ediClaims,
    directory: ediDirectory,
    claimIdStart: claimIdStart(scenarioIndex, waveIndex, 5),
    // Several groups and sets even in a small scenario, so the 999 has groups and sets to reject.
    claimsPerTransactionSet: 10,
    transactionSetsPerInterchange: 2,
    // A day of its own per scenario: answers that say the same (a 999 accepting every group) are files of their own.
    firstSubmissionDate: new Date(Date.UTC(2024, 0, 2 + scenarioIndex * 20)).toISOString().slice(0, 10),
  });
  const ediInputs: ChaosInput[] = (
    ['claims', 'functionalAcknowledgements', 'claimAcknowledgements', 'remittances'] as const
  )
    // An answer the scenario gave nothing to say in (every claim rejected before it) is written empty: not a file to send.
    .filter((file) => edi.files[file].bytes > 0)
    .map((file) => ({
      name: name(edi.files[file].path),
      kind: 'clean',
      expectedRecords: null,
      expectedClaims: file === 'claims' ? edi.expected.claimsSubmitted : 0,
      claimsPerFoldedRecord: 0,
    }));

  const hostile: ChaosInput[] = [];
  for (const [index, broken] of ENVELOPE_BREAKS.entries()) {
    const brokenDirectory = join(scratch, `x12-${broken}`);
    const source = await generators.generateEdiScenario({
      seed: random.nextUint32(),
      claims: BROKEN_X12_CLAIMS,
      directory: brokenDirectory,
      claimIdStart: claimIdStart(scenarioIndex, waveIndex, 6) + index * 1_000,
      claimsPerTransactionSet: BROKEN_X12_CLAIMS,
      transactionSetsPerInterchange: 1,
    });
    const path = join(directory, `broken-${broken}.837`);
    writeFileSync(path, breakX12Envelope(readFileSync(source.files.claims.path, 'utf8'), broken));
    hostile.push({
      name: name(path),
      kind: 'broken-x12',
      expectedRecords: null,
      expectedClaims: null,
      claimsPerFoldedRecord: BROKEN_X12_CLAIMS,
      detail: `837P of ${BROKEN_X12_CLAIMS} claims, envelope broken: ${broken}`,
    });
  }
  const carrierHeader = (readFileSync(join(ingestRoot, carrier.name), 'utf8').split('\n')[0] ?? '').trim();
  for (const bad of badFiles(random, carrierHeader, `bad-s${scenarioIndex}`)) {
    const path = join(directory, bad.name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bad.content);
    hostile.push({
      name: name(path),
      kind: 'bad-file',
      expectedRecords: null,
      expectedClaims: null,
      claimsPerFoldedRecord: 1,
      detail: bad.why,
    });
  }
  lanes.push([...ediInputs, ...hostile]);
  return { lanes, edi: edi.expected };
}

function describeMutations(mutations: Record<RecordMutation, number>): string {
  return Object.entries(mutations)
    .map(([mutation, count]) => `${mutation} ${count}`)
    .join(', ');
}
