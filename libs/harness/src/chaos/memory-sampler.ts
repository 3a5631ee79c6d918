import { readProcessMemory } from '../process-memory';
import type { ServiceName } from '../service-process';

/** One service's resident memory around a fault: just before it, and the highest sampled while it lasted. */
export interface ServiceMemory {
  service: ServiceName;
  beforeMb: number;
  peakMb: number;
}

function residentMb(pid: number): number | null {
  const memory = readProcessMemory(pid);
  return memory === null ? null : memory.rssBytes / 1024 / 1024;
}

/**
 * Samples every service's VmRSS every `intervalMs` until stopped. A service
 * restarted meanwhile is sampled under its new pid; one that is not running
 * at a tick gives no sample.
 */
export function startMemorySampler(
  pids: () => ReadonlyArray<readonly [ServiceName, number | null]>,
  intervalMs = 500,
): { stop: () => ServiceMemory[] } {
  const before = new Map<ServiceName, number>();
  const peak = new Map<ServiceName, number>();
  const sample = (): void => {
    for (const [service, pid] of pids()) {
      const megabytes = pid === null ? null : residentMb(pid);
      if (megabytes === null) continue;
      if (!before.has(service)) before.set(service, megabytes);
      peak.set(service, Math.max(peak.get(service) ?? 0, megabytes));
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return [...before].map(([service, beforeMb]) => ({
        service,
        beforeMb: Math.round(beforeMb),
        peakMb: Math.round(peak.get(service) ?? beforeMb),
      }));
    },
  };
}

/**
 * How much a service's memory may grow during a Postgres outage and still
 * count as flat: room for heap growth and garbage not yet collected, far
 * below what a consumer buffering the stream of a whole outage would hold.
 */
export const OUTAGE_MEMORY_GROWTH_LIMIT_MB = 128;

/** The services whose memory grew past the limit during an outage. */
export function servicesPastMemoryLimit(memory: readonly ServiceMemory[]): ServiceMemory[] {
  return memory.filter((entry) => entry.peakMb - entry.beforeMb > OUTAGE_MEMORY_GROWTH_LIMIT_MB);
}
