import { readFileSync } from 'node:fs';

export interface ProcessMemory {
  rssBytes: number;
  /** VmHWM: the peak resident set size since the process started, kept by the kernel. */
  peakRssBytes: number;
}

/** A `<name>: <n> kB` line of a `/proc/<pid>/status` text in kilobytes; null when the line is missing. */
function statusKilobytes(status: string, name: string): number | null {
  const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB$`, 'm').exec(status);
  return match?.[1] === undefined ? null : Number(match[1]);
}

/** VmRSS of a `/proc/<pid>/status` text in kilobytes; null when the line is missing (a kernel thread, a zombie). */
export function residentKilobytes(status: string): number | null {
  return statusKilobytes(status, 'VmRSS');
}

/** Resident and peak resident memory of a live process; null once it is gone (or it has no memory lines). */
export function readProcessMemory(pid: number): ProcessMemory | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const resident = residentKilobytes(status);
    if (resident === null) return null;
    return { rssBytes: resident * 1024, peakRssBytes: (statusKilobytes(status, 'VmHWM') ?? resident) * 1024 };
  } catch {
    return null;
  }
}
