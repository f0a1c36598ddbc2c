import { readFileSync } from 'node:fs';

/**
 * A process's peak resident set (VmHWM in /proc/<pid>/status), in bytes; undefined where there
 * is no /proc (not Linux) or the process is gone.
 */
export function peakRssBytes(pid: number | 'self' = 'self'): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status)?.[1];
    return kib === undefined ? undefined : Number(kib) * 1024;
  } catch {
    return undefined;
  }
}
