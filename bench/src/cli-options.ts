export const PHASES = [
  'transport',
  'record-cost',
  'e2e',
  'e2e-inpatient',
  'edi',
  'freshness',
  'api-load',
  'ingestor-memory',
  'batch',
  'incremental',
  'scale-out',
] as const;
export type PhaseName = (typeof PHASES)[number];

export interface BenchOptions {
  quick: boolean;
  /** Carrier records for the end-to-end run (and the batch COPY of the same file). */
  records: number;
  /** Records per layout and client in the raw-transport baseline; the inpatient file is also replayed end to end. */
  transportRecords: number;
  /** The fixed offered load of the freshness phase, records per second. */
  rate: number;
  /** Seconds each freshness step offers its load. */
  durationSeconds: number;
  seed: number;
  /** Size of the large ingestor-memory input, in MiB (the issue asks for at least 1 GB). */
  largeFileMebibytes: number;
  smallFileMebibytes: number;
  /** Claims already folded before the incremental case. */
  historyClaims: number;
  incrementalClaims: number;
  /** Claims of the EDI scenario (837P with its 999, 277CA and 835) replayed end to end. */
  ediClaims: number;
  /** Carrier records of each of the API load phase's two replays (alone, then under load). */
  apiLoadRecords: number;
  /** Requests per second the API load client offers over the KPI and work-queue routes. */
  apiRate: number;
  /** Carrier records of each scale-out replay (one per instance count, all on 12 partitions). */
  scaleOutRecords: number;
  /** Providers in the directory the enricher holds for every carrier replay (the file's own, padded with others). */
  directoryProviders: number;
  topicPartitions: number;
  /** Every consumer's KAFKA_FETCH_MAX_BYTES_PER_PARTITION in MiB; the services' own default when unset. */
  fetchMebibytes?: number;
  /** The claim stages' KAFKA_FETCH_GATHER_MS (0: a fetch returns at the first record); the services' own default when unset. */
  fetchGatherMs?: number;
  phases: PhaseName[];
  withLibrdkafka: boolean;
  /** Each service writes a V8 CPU profile (`.cpuprofile`) into its phase's log folder when it stops. */
  cpuProfile: boolean;
}

const DEFAULTS: Omit<BenchOptions, 'quick' | 'phases' | 'withLibrdkafka' | 'cpuProfile'> = {
  records: 1_000_000,
  transportRecords: 150_000,
  rate: 1_000,
  durationSeconds: 20,
  seed: 20_240_601,
  largeFileMebibytes: 1_024,
  smallFileMebibytes: 10,
  historyClaims: 2_000_000,
  incrementalClaims: 1_000,
  ediClaims: 100_000,
  apiLoadRecords: 200_000,
  apiRate: 25,
  scaleOutRecords: 50_000,
  directoryProviders: 100_000,
  topicPartitions: 3,
};

/** --quick: every phase, small sizes, under two minutes; for developing the benchmark, not for its figures. */
const QUICK: Partial<BenchOptions> = {
  records: 30_000,
  transportRecords: 20_000,
  durationSeconds: 5,
  largeFileMebibytes: 32,
  historyClaims: 100_000,
  ediClaims: 5_000,
  apiLoadRecords: 10_000,
  scaleOutRecords: 10_000,
};

export const USAGE = `npm run bench -- [options]

  --quick                    small sizes (under 2 minutes), for developing the benchmark
  --records N                carrier records end to end (default ${DEFAULTS.records})
  --transport-records N      records per layout in the raw-transport baseline, and of the
                             inpatient end-to-end run (default ${DEFAULTS.transportRecords})
  --rate R                   fixed offered load for freshness, records/s (default ${DEFAULTS.rate})
  --duration S               seconds per freshness step (default ${DEFAULTS.durationSeconds})
  --seed N                   generator seed (default ${DEFAULTS.seed})
  --large-file-mb N          ingestor memory input size in MiB (default ${DEFAULTS.largeFileMebibytes})
  --history-claims N         claims folded before the incremental case (default ${DEFAULTS.historyClaims})
  --incremental-claims N     new claims in the incremental case (default ${DEFAULTS.incrementalClaims})
  --edi-claims N             claims of the EDI scenario replayed end to end (default ${DEFAULTS.ediClaims})
  --api-load-records N       records of each API load replay, alone and under load (default ${DEFAULTS.apiLoadRecords})
  --api-rate R               requests/s the API load client offers (default ${DEFAULTS.apiRate})
  --scale-out-records N      records of each scale-out replay, 1, 2 and 3 instances (default ${DEFAULTS.scaleOutRecords})
  --directory-providers N    providers in the enricher's directory for carrier replays (default ${DEFAULTS.directoryProviders})
  --partitions N             partitions per topic (default ${DEFAULTS.topicPartitions}, as LocalPipeline; scale-out uses 12)
  --fetch-mib N              every consumer's KAFKA_FETCH_MAX_BYTES_PER_PARTITION in MiB (default: the services' own)
  --fetch-gather-ms N        the claim stages' KAFKA_FETCH_GATHER_MS, 0 to return each fetch at its first record
                             (default: the services' own)
  --phases a,b               only these phases: ${PHASES.join(', ')}
  --with-librdkafka          install @confluentinc/kafka-javascript into .cache/bench-clients first
  --cpu-profile              every service writes a V8 CPU profile to <log folder>/<phase>/cpu-profiles when it
                             stops (open in Chrome DevTools); profiling slows the services, so not for figures
`;

function positiveNumber(flag: string, value: string | undefined): number {
  const parsed = Number(value);
  if (value === undefined || !Number.isFinite(parsed) || parsed <= 0)
    throw new Error(`${flag} needs a positive number`);
  return parsed;
}

function nonNegativeInteger(flag: string, value: string | undefined): number {
  const parsed = Number(value);
  if (value === undefined || value === '' || !Number.isInteger(parsed) || parsed < 0)
    throw new Error(`${flag} needs a whole number, 0 or more`);
  return parsed;
}

function phaseList(value: string | undefined): PhaseName[] {
  const names = (value ?? '').split(',').filter(Boolean);
  const unknown = names.filter((name) => !(PHASES as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0) throw new Error(`--phases takes a comma list of: ${PHASES.join(', ')}`);
  return names as PhaseName[];
}

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const quick = argv.includes('--quick');
  const options: BenchOptions = {
    ...DEFAULTS,
    ...(quick ? QUICK : {}),
    quick,
    phases: [...PHASES],
    withLibrdkafka: false,
    cpuProfile: false,
  };
  const integerFlags: Record<string, keyof BenchOptions> = {
    '--records': 'records',
    '--transport-records': 'transportRecords',
    '--rate': 'rate',
    '--duration': 'durationSeconds',
    '--seed': 'seed',
    '--large-file-mb': 'largeFileMebibytes',
    '--history-claims': 'historyClaims',
    '--incremental-claims': 'incrementalClaims',
    '--edi-claims': 'ediClaims',
    '--api-load-records': 'apiLoadRecords',
    '--api-rate': 'apiRate',
    '--scale-out-records': 'scaleOutRecords',
    '--directory-providers': 'directoryProviders',
    '--partitions': 'topicPartitions',
    '--fetch-mib': 'fetchMebibytes',
  };
  for (let index = 0; index < argv.length; index += 1) {
    const [flag = '', inlineValue] = (argv[index] ?? '').split('=', 2);
    const value = (): string | undefined => inlineValue ?? argv[++index];
    const key = integerFlags[flag];
    if (key) Object.assign(options, { [key]: Math.round(positiveNumber(flag, value())) });
    else if (flag === '--fetch-gather-ms') options.fetchGatherMs = nonNegativeInteger(flag, value());
    else if (flag === '--phases') options.phases = phaseList(value());
    else if (flag === '--with-librdkafka') options.withLibrdkafka = true;
    else if (flag === '--cpu-profile') options.cpuProfile = true;
    else if (flag !== '--quick') throw new Error(`unknown option ${flag}\n\n${USAGE}`);
  }
  return options;
}
