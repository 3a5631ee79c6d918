import { readFileSync, readdirSync } from 'node:fs';

/** Clock ticks per second for /proc/<pid>/stat times; 100 on every Linux the project runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

export interface ProcessCpu {
  userSeconds: number;
  systemSeconds: number;
}

/** The fields after "(comm)" in /proc/<pid>/stat; comm may hold spaces, so split after the last ')'. */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** utime and stime of a live process (fields 14 and 15 of /proc/<pid>/stat); null once it is gone. */
export function readProcessCpu(pid: number): ProcessCpu | null {
  const fields = statFields(pid);
  if (!fields) return null;
  // After "(comm) ", field 3 (state) is index 0, so utime (14) is index 11 and stime (15) index 12.
  return {
    userSeconds: Number(fields[11]) / CLOCK_TICKS_PER_SECOND,
    systemSeconds: Number(fields[12]) / CLOCK_TICKS_PER_SECOND,
  };
}

export function cpuSeconds(cpu: ProcessCpu | null): number {
  return cpu ? cpu.userSeconds + cpu.systemSeconds : 0;
}

/** Pids whose command line matches, e.g. the broker's JVM or the Postgres server processes. */
export function findProcesses(matches: (commandLine: string) => boolean): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const commandLine = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (matches(commandLine)) pids.push(Number(entry));
    } catch {
      // The process ended between readdir and read.
    }
  }
  return pids;
}

/** CPU time of the whole machine, summed over its cores: busy (every state but idle and iowait) and all. */
export interface MachineCpu {
  busySeconds: number;
  totalSeconds: number;
}

/**
 * The aggregate "cpu" line of /proc/stat: user nice system idle iowait irq
 * softirq steal (guest time is already inside user). Idle and iowait are the
 * time no process could use a core; steal is time a hypervisor gave away,
 * counted busy because the benchmark could not have it either.
 */
export function parseMachineCpu(procStat: string): MachineCpu {
  const line = procStat.split('\n').find((entry) => entry.startsWith('cpu '));
  if (!line) throw new Error('/proc/stat has no aggregate cpu line');
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busySeconds: busy / CLOCK_TICKS_PER_SECOND, totalSeconds: (busy + idle + iowait) / CLOCK_TICKS_PER_SECOND };
}

/** The machine's CPU now; zeros where there is no /proc (then every share reads as unknown). */
export function readMachineCpu(): MachineCpu {
  try {
    return parseMachineCpu(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return { busySeconds: 0, totalSeconds: 0 };
  }
}

export function machineCpuSince(baseline: MachineCpu, now: MachineCpu): MachineCpu {
  return {
    busySeconds: now.busySeconds - baseline.busySeconds,
    totalSeconds: now.totalSeconds - baseline.totalSeconds,
  };
}
