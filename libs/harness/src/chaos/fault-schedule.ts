import type { ServiceName } from '../service-process';
import { chaosRandomFor, type ChaosRandom } from './chaos-random';

export type ChaosProfileName = 'short' | 'default';
export const CHAOS_PROFILES: readonly ChaosProfileName[] = ['short', 'default'];

/** The services that read a topic in a consumer group: the ones a second instance or a freeze rebalances. */
export type ConsumerService = 'normalizer' | 'enricher' | 'metrics';
export const CONSUMER_SERVICES: readonly ConsumerService[] = ['normalizer', 'enricher', 'metrics'];
const ALL_SERVICES: readonly ServiceName[] = ['ingestor', 'normalizer', 'enricher', 'metrics', 'api'];

/** One fault, and how long to let the stream flow before injecting it (`gapMs`). */
export type Fault =
  | { kind: 'service-kill'; service: ServiceName; gapMs: number }
  /** The metrics service kills itself after a fold's Postgres commit, before its Kafka offset commit. */
  | { kind: 'kill-after-fold-commit'; service: 'metrics'; gapMs: number }
  /** A second instance joins the group, and the first is SIGKILLed while the group rebalances. */
  | { kind: 'kill-during-rebalance'; service: ConsumerService; gapMs: number }
  /** A second instance joins the group, runs `runMs`, and leaves it (SIGTERM). */
  | { kind: 'second-instance'; service: ConsumerService; gapMs: number; runMs: number }
  /** With a second instance in the group, the first is frozen (SIGSTOP) until its partitions move, then SIGCONT. */
  | { kind: 'freeze-until-moved'; service: ConsumerService; gapMs: number }
  | { kind: 'broker-kill'; gapMs: number; downMs: number }
  | { kind: 'postgres-stop'; gapMs: number; downMs: number }
  /**
   * Postgres stopped for a long outage while the stream flows, with every
   * service's resident memory sampled: the consumers must wait instead of
   * buffering what keeps arriving (backpressure), so memory stays flat.
   */
  | { kind: 'postgres-outage'; gapMs: number; downMs: number };

export type FaultKind = Fault['kind'];
export const FAULT_KINDS: readonly FaultKind[] = [
  'service-kill',
  'kill-after-fold-commit',
  'kill-during-rebalance',
  'second-instance',
  'freeze-until-moved',
  'broker-kill',
  'postgres-stop',
  'postgres-outage',
];

/** The kinds that end with a service SIGKILLed (by the harness or by itself). */
export const KILL_KINDS: readonly FaultKind[] = ['service-kill', 'kill-after-fold-commit', 'kill-during-rebalance'];

export type ScenarioName = 'service-kills' | 'rebalances' | 'broker-restarts' | 'postgres-restarts';

/** Records per generated file of one wave of input, and the rate each is replayed at (records per second). */
export interface WaveSize {
  carrier: number;
  rifCarrier: number;
  billingExport: number;
  pendedQueue: number;
  /** Claims of the 837P of the EDI scenario replayed (with its answers) in a scenario's first wave. */
  ediClaims: number;
  /** Records of the fuzzed carrier file of each wave. */
  fuzzedCarrier: number;
  /** Seconds one wave's clean files take to replay at their rates. */
  waveSeconds: number;
}

export interface ScenarioPlan {
  name: ScenarioName;
  description: string;
  faults: Fault[];
}

export interface ChaosPlan {
  seed: number;
  profile: ChaosProfileName;
  wave: WaveSize;
  scenarios: ScenarioPlan[];
}

interface ProfileCounts {
  serviceKills: number;
  killsAfterFoldCommit: number;
  killsDuringRebalance: number;
  secondInstances: number;
  freezes: number;
  brokerKills: number;
  postgresStops: number;
  /** The one long Postgres outage, with memory sampled throughout. */
  postgresOutageMs: number;
  /** The longest wait before a fault, in milliseconds. */
  maxGapMs: number;
  wave: WaveSize;
}

/**
 * How much of each fault a profile injects. The default profile's kills
 * (service kills, kills after a fold commit and kills during a rebalance) add
 * up to 200; the short one is a handful of each kind, for `npm test`.
 */
const PROFILE_COUNTS: Record<ChaosProfileName, ProfileCounts> = {
  short: {
    serviceKills: 5,
    killsAfterFoldCommit: 1,
    killsDuringRebalance: 1,
    secondInstances: 1,
    freezes: 1,
    brokerKills: 1,
    postgresStops: 1,
    postgresOutageMs: 15_000,
    maxGapMs: 1_500,
    wave: {
      carrier: 200,
      rifCarrier: 60,
      billingExport: 60,
      pendedQueue: 40,
      ediClaims: 40,
      fuzzedCarrier: 30,
      waveSeconds: 8,
    },
  },
  default: {
    serviceKills: 178,
    killsAfterFoldCommit: 12,
    killsDuringRebalance: 10,
    secondInstances: 6,
    freezes: 4,
    brokerKills: 5,
    postgresStops: 4,
    postgresOutageMs: 60_000,
    // 30.4 min with 2 s gaps and 30 s waves; 31.0 min with 1.5 s gaps once the
    // harness waited out a busy ingestor (more files then finish per scenario,
    // and the replay check sends them all again): trimmed for margin.
    maxGapMs: 1_200,
    wave: {
      carrier: 750,
      rifCarrier: 190,
      billingExport: 150,
      pendedQueue: 100,
      ediClaims: 120,
      fuzzedCarrier: 60,
      waveSeconds: 25,
    },
  },
};

/** `count` picks from `items`, every item at least once when count allows, in a seeded order. */
function spread<T>(random: ChaosRandom, items: readonly T[], count: number): T[] {
  const picks = [...items.slice(0, Math.min(count, items.length))];
  while (picks.length < count) picks.push(random.pick(items));
  return random.shuffled(picks);
}

/**
 * The whole run's faults, drawn from the seed alone: the same seed and
 * profile always give the same scenarios, faults, targets and timings.
 * Each scenario draws from a generator of its own, so changing one
 * scenario's counts leaves the others' schedules as they were.
 */
export function planChaos(seed: number, profile: ChaosProfileName): ChaosPlan {
  const counts = PROFILE_COUNTS[profile];
  const gap = (random: ChaosRandom): number => random.intBetween(0, counts.maxGapMs);

  const kills = chaosRandomFor(seed, 'service-kills');
  const serviceKills: Fault[] = spread(kills, ALL_SERVICES, counts.serviceKills).map((service) => ({
    kind: 'service-kill',
    service,
    gapMs: gap(kills),
  }));
  // The kills after a fold commit go among the others at seeded places.
  for (let index = 0; index < counts.killsAfterFoldCommit; index += 1) {
    const at = kills.intBetween(0, serviceKills.length);
    serviceKills.splice(at, 0, { kind: 'kill-after-fold-commit', service: 'metrics', gapMs: gap(kills) });
  }

  const rebalances = chaosRandomFor(seed, 'rebalances');
  const rebalanceFaults: Fault[] = [
    ...spread(rebalances, CONSUMER_SERVICES, counts.secondInstances).map(
      (service): Fault => ({
        kind: 'second-instance',
        service,
        gapMs: gap(rebalances),
        runMs: rebalances.intBetween(3_000, 10_000),
      }),
    ),
    // The short profile freezes the metrics service: its session timeout is the one the harness lowers to 6 s.
    ...(profile === 'short'
      ? Array.from({ length: counts.freezes }, () => 'metrics' as const)
      : spread(rebalances, CONSUMER_SERVICES, counts.freezes)
    ).map((service): Fault => ({ kind: 'freeze-until-moved', service, gapMs: gap(rebalances) })),
    ...spread(rebalances, CONSUMER_SERVICES, counts.killsDuringRebalance).map(
      (service): Fault => ({ kind: 'kill-during-rebalance', service, gapMs: gap(rebalances) }),
    ),
  ];

  const broker = chaosRandomFor(seed, 'broker-restarts');
  const brokerFaults: Fault[] = Array.from({ length: counts.brokerKills }, () => ({
    kind: 'broker-kill',
    gapMs: gap(broker) + 1_000,
    downMs: broker.intBetween(1_000, 6_000),
  }));

  const postgres = chaosRandomFor(seed, 'postgres-restarts');
  const postgresFaults: Fault[] = [
    ...Array.from(
      { length: counts.postgresStops },
      (): Fault => ({
        kind: 'postgres-stop',
        gapMs: gap(postgres) + 1_000,
        downMs: postgres.intBetween(2_000, 8_000),
      }),
    ),
    { kind: 'postgres-outage', gapMs: gap(postgres) + 1_000, downMs: counts.postgresOutageMs },
  ];

  return {
    seed,
    profile,
    wave: counts.wave,
    scenarios: [
      {
        name: 'service-kills',
        description: 'SIGKILL of any of the five services, and of the metrics service right after a fold commit',
        faults: serviceKills,
      },
      {
        name: 'rebalances',
        description: 'a second instance joining and leaving, a frozen instance, a kill while the group rebalances',
        faults: rations(rebalances, rebalanceFaults),
      },
      { name: 'broker-restarts', description: 'the private broker SIGKILLed and started again', faults: brokerFaults },
      {
        name: 'postgres-restarts',
        description:
          'the private Postgres stopped with pg_ctl -m immediate and started again, once for a long outage with memory sampled',
        faults: postgresFaults,
      },
    ],
  };
}

/** The faults in a seeded order (kinds interleaved rather than in blocks). */
function rations(random: ChaosRandom, faults: Fault[]): Fault[] {
  return random.shuffled(faults);
}

/** How many faults of each kind a list holds (every kind listed, zero included). */
export function faultCounts(faults: readonly Fault[]): Record<FaultKind, number> {
  const counts = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;
  for (const fault of faults) counts[fault.kind] += 1;
  return counts;
}

/** How many SIGKILLs of a service the plan makes, in all its scenarios. */
export function plannedKills(plan: ChaosPlan): number {
  return plan.scenarios.flatMap((scenario) => scenario.faults).filter((fault) => KILL_KINDS.includes(fault.kind))
    .length;
}

/** A one-line description of a fault, for the progress log and the JSON. */
export function describeFault(fault: Fault): string {
  switch (fault.kind) {
    case 'service-kill':
      return `SIGKILL ${fault.service}`;
    case 'kill-after-fold-commit':
      return 'SIGKILL metrics after a fold commit';
    case 'kill-during-rebalance':
      return `SIGKILL ${fault.service} while a second instance joins`;
    case 'second-instance':
      return `second ${fault.service} for ${(fault.runMs / 1000).toFixed(1)} s`;
    case 'freeze-until-moved':
      return `SIGSTOP ${fault.service} until its partitions move`;
    case 'broker-kill':
      return `SIGKILL the broker for ${(fault.downMs / 1000).toFixed(1)} s`;
    case 'postgres-stop':
      return `stop Postgres (immediate) for ${(fault.downMs / 1000).toFixed(1)} s`;
    case 'postgres-outage':
      return `Postgres down for ${(fault.downMs / 1000).toFixed(0)} s, memory sampled`;
  }
}
