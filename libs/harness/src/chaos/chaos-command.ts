import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../test-environment';
import type { ChaosGenerators } from './chaos-inputs';
import { failureReasons, renderOutageMemory, renderTable } from './chaos-report';
import { runChaos, type ChaosRunResult } from './chaos-runner';
import { CHAOS_PROFILES, type ChaosProfileName } from './fault-schedule';

export const CHAOS_USAGE = `usage: npm run chaos -- [--seed N] [--profile short|default] [--results DIR]
  --seed N          the seed of the fault schedule and of the inputs (default: drawn, and printed)
  --profile NAME    short: a handful of faults of each kind (a few minutes);
                    default: 200 service kills, broker and Postgres restarts, rebalances (under 30 minutes)
  --results DIR     where the JSON result goes (default chaos/results)
  --skip-build      reuse dist/ as it is`;

export interface ChaosArguments {
  seed: number;
  profile: ChaosProfileName;
  resultsDirectory: string;
  help: boolean;
}

export class ChaosUsageError extends Error {
  override readonly name = 'ChaosUsageError';
}

const LARGEST_SEED = 0xffff_ffff;

/** Reads the command line; `drawSeed` gives the seed when none is named (the run prints it, so it can be replayed). */
export function parseChaosArguments(argv: readonly string[], drawSeed: () => number): ChaosArguments {
  const parsed: ChaosArguments = {
    seed: -1,
    profile: 'default',
    resultsDirectory: join(REPO_ROOT, 'chaos', 'results'),
    help: false,
  };
  const value = (index: number, flag: string): string => {
    const next = argv[index + 1];
    if (next === undefined || next.startsWith('--')) throw new ChaosUsageError(`${flag} needs a value`);
    return next;
  };
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] ?? '';
    const [flag, inline] = argument.includes('=') ? argument.split(/=(.*)/s, 2) : [argument, undefined];
    const take = (): string => {
      if (inline !== undefined) return inline;
      const next = value(index, flag ?? argument);
      index += 1;
      return next;
    };
    switch (flag) {
      case '--seed': {
        const text = take();
        const seed = Number(text);
        if (!/^\d+$/.test(text) || !Number.isSafeInteger(seed) || seed > LARGEST_SEED) {
          throw new ChaosUsageError(`--seed must be a whole number from 0 to ${LARGEST_SEED}, not "${text}"`);
        }
        parsed.seed = seed;
        break;
      }
      case '--profile': {
        const profile = take();
        if (!CHAOS_PROFILES.includes(profile as ChaosProfileName)) {
          throw new ChaosUsageError(`--profile must be one of ${CHAOS_PROFILES.join(', ')}, not "${profile}"`);
        }
        parsed.profile = profile as ChaosProfileName;
        break;
      }
      case '--results':
        parsed.resultsDirectory = take();
        break;
      case '--skip-build':
        break;
      case '--help':
      case '-h':
        parsed.help = true;
        break;
      default:
        throw new ChaosUsageError(`unknown argument "${argument}"`);
    }
  }
  if (parsed.seed === -1) parsed.seed = drawSeed();
  return parsed;
}

/** Writes the run's JSON (seed, plan, every fault and file) and answers its path. */
export function writeChaosResult(result: ChaosRunResult, directory: string): string {
  mkdirSync(directory, { recursive: true });
  const stamp = result.startedAt.replace(/[:.]/g, '-');
  const path = join(directory, `chaos-${result.profile}-seed${result.seed}-${stamp}.json`);
  writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`);
  return path;
}

/**
 * The `npm run chaos` command: runs the profile, prints the table and the
 * reasons for every failed scenario, writes the JSON, and answers the exit
 * code (0 when every scenario passed, 1 when one failed, 2 for a usage error).
 */
export async function runChaosCommand(
  argv: readonly string[],
  generators: ChaosGenerators,
  out: (text: string) => void = (text) => process.stdout.write(text),
): Promise<number> {
  let args: ChaosArguments;
  try {
    args = parseChaosArguments(argv, () => Math.floor(Math.random() * LARGEST_SEED));
  } catch (error) {
    if (!(error instanceof ChaosUsageError)) throw error;
    process.stderr.write(`chaos: ${error.message}\n${CHAOS_USAGE}\n`);
    return 2;
  }
  if (args.help) {
    out(`${CHAOS_USAGE}\n`);
    return 0;
  }
  const runDirectory = join(REPO_ROOT, '.cache', 'chaos', `${args.profile}-seed${args.seed}-${Date.now()}`);
  const result = await runChaos({
    seed: args.seed,
    profile: args.profile,
    generators,
    workDirectory: runDirectory,
    cleanUpOnSignals: true,
  });
  const path = writeChaosResult(result, args.resultsDirectory);
  const lines = [
    '',
    `chaos: profile ${result.profile}, seed ${result.seed} (replay with --seed ${result.seed}), ${(result.durationSeconds / 60).toFixed(1)} min`,
    renderTable(result.rows),
    ...renderOutageMemory(result.scenarios),
  ];
  for (const scenario of result.scenarios) {
    const reasons = failureReasons(scenario);
    if (reasons.length > 0) lines.push(`${scenario.name}: ${reasons.join('; ')}`);
  }
  lines.push(`results: ${path}`, `logs: ${result.logDirectory}`, '');
  out(lines.join('\n'));
  return result.passed ? 0 : 1;
}
