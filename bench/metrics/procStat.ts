import { execFileSync } from 'node:child_process';
import { lstatSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Reading another process's CPU, memory and disk writes from /proc (Linux only). The server is
 * measured from outside so that every server, ours and the baselines, is measured the same way
 * and none needs instrumentation.
 */

export interface StatTimes {
  /** Clock ticks spent in user mode (field 14 of /proc/<pid>/stat). */
  utime: number;
  /** Clock ticks spent in kernel mode (field 15). */
  stime: number;
}

/**
 * Parses /proc/<pid>/stat. The second field is the command name in parentheses and may itself
 * contain spaces and parentheses, so the fields are counted from the *last* ')'.
 */
export function parseProcStat(text: string): StatTimes {
  const end = text.lastIndexOf(')');
  if (end < 0) throw new Error('malformed /proc stat: no command name');
  // After ") " come the fields from #3 (state) on; utime is #14 and stime #15.
  const fields = text.slice(end + 2).trim().split(/\s+/);
  const utime = Number(fields[14 - 3]);
  const stime = Number(fields[15 - 3]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error('malformed /proc stat: utime/stime');
  return { utime, stime };
}

/** Parses the `Key:   value kB` lines of /proc/<pid>/status into bytes (VmRSS, VmHWM, ...). */
export function parseProcStatus(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = /^(\w+):\s+(\d+)\s*kB$/.exec(line.trim());
    if (match) out[match[1]!] = Number(match[2]) * 1024;
  }
  return out;
}

/** Parses /proc/<pid>/io (`write_bytes: 123` lines). */
export function parseProcIo(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = /^(\w+):\s+(\d+)$/.exec(line.trim());
    if (match) out[match[1]!] = Number(match[2]);
  }
  return out;
}

let clockTicks: number | null = null;

/** USER_HZ, the unit of utime/stime (almost always 100). */
export function clockTicksPerSecond(): number {
  if (clockTicks === null) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8', timeout: 5000 }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

export interface ProcSample {
  cpuSeconds: number;
  /** The main thread's share (/proc/<pid>/task/<pid>/stat: the main thread's id is the pid). */
  mainThreadCpuSeconds: number;
  rssBytes: number;
  hwmBytes: number;
  writeBytes: number;
}

/** One reading of a live process. Throws when the process is gone. */
export function sampleProcess(pid: number): ProcSample {
  const times = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  const main = parseProcStat(readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8'));
  const status = parseProcStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
  let writeBytes = 0;
  try {
    writeBytes = parseProcIo(readFileSync(`/proc/${pid}/io`, 'utf8'))['write_bytes'] ?? 0;
  } catch {
    // /proc/<pid>/io can be unreadable under some sandboxes; disk numbers then come from du.
  }
  return {
    cpuSeconds: (times.utime + times.stime) / clockTicksPerSecond(),
    mainThreadCpuSeconds: (main.utime + main.stime) / clockTicksPerSecond(),
    rssBytes: status['VmRSS'] ?? 0,
    hwmBytes: status['VmHWM'] ?? 0,
    writeBytes,
  };
}

/**
 * Resets the process's peak RSS (VmHWM) to its current RSS (Linux ≥ 4.0: `5` into clear_refs),
 * so the next reading's peak covers only what happened since. Why: VmHWM counts from process
 * start, and start-up transients (Roundtable hashes its first admin's password with scrypt,
 * 32 MiB, before it listens) would otherwise be reported as the peak of every workload.
 * Best effort: when the file cannot be written the peak simply keeps counting from the start.
 */
export function resetPeakRss(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // not Linux, or not permitted: peaks stay "since start"
  }
}

/** Total size of regular files under `dir` (bounded walk: at most 100k entries). */
export function directoryBytes(dir: string): number {
  let total = 0;
  let budget = 100_000;
  const stack = [dir];
  while (stack.length > 0 && budget-- > 0) {
    const current = stack.pop()!;
    let entries: string[];
    try {
      entries = readdirSync(current);
    } catch {
      continue;
    }
    for (const name of entries) {
      const full = path.join(current, name);
      try {
        const info = lstatSync(full);
        if (info.isDirectory()) stack.push(full);
        else if (info.isFile()) total += info.size;
      } catch {
        // Deleted meanwhile (compaction renames files): skip.
      }
    }
  }
  return total;
}

/** Direct children of a process (used to find the node process under `strace`). */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}
