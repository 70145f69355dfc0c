import type { TraceCounts } from '../types.js';

/**
 * Counts fsyncs and file writes in the output of
 *   strace -f --seccomp-bpf -qq -ttt -y -s 0 -e trace=fsync,fdatasync,write,pwrite64,writev,pwritev,pwritev2 -o FILE
 * Lines look like `PID EPOCH.USEC syscall(FD</path>, ...) = RET`; with several threads a call
 * may be split into `... <unfinished ...>` and `PID EPOCH <... syscall resumed>...) = RET`.
 * `-y` prints the path behind every descriptor, which is how writes to the server's files are
 * told apart from socket writes. Only calls that *started* inside [fromSec, toSec] count.
 */

const WRITES = new Set(['write', 'pwrite64', 'writev', 'pwritev', 'pwritev2']);
const SYNCS = new Set(['fsync', 'fdatasync']);

const CALL = /^(\d+)\s+(\d+\.\d+)\s+(\w+)\(\d+<([^>]*)>/;
const RESUMED = /^(\d+)\s+(\d+\.\d+)\s+<\.\.\. (\w+) resumed>/;
const RESULT = /=\s+(-?\d+)(?:\s+\w+.*)?$/;

export function countStrace(text: string, options: { dataDir: string; fromSec: number; toSec: number }): TraceCounts {
  const prefix = options.dataDir.endsWith('/') ? options.dataDir : `${options.dataDir}/`;
  const pending = new Map<string, { syscall: string; path: string; time: number }>();
  const counts: TraceCounts = { fsyncs: 0, fileWriteBytes: 0, fileWrites: 0 };

  const account = (syscall: string, path: string, time: number, ret: number): void => {
    if (time < options.fromSec || time > options.toSec || ret < 0) return;
    if (SYNCS.has(syscall)) {
      counts.fsyncs++;
    } else if (WRITES.has(syscall) && path.startsWith(prefix)) {
      counts.fileWrites++;
      counts.fileWriteBytes += ret;
    }
  };

  for (const line of text.split('\n')) {
    if (line.length === 0) continue;
    const resumed = RESUMED.exec(line);
    if (resumed) {
      const started = pending.get(resumed[1]!);
      pending.delete(resumed[1]!);
      const result = RESULT.exec(line);
      if (started && result) account(started.syscall, started.path, started.time, Number(result[1]));
      continue;
    }
    const call = CALL.exec(line);
    if (!call) continue;
    const [, pid, time, syscall, path] = call;
    if (line.endsWith('<unfinished ...>')) {
      pending.set(pid!, { syscall: syscall!, path: path!, time: Number(time) });
      continue;
    }
    const result = RESULT.exec(line);
    if (result) account(syscall!, path!, Number(time), Number(result[1]));
  }
  return counts;
}

/** The strace command line that produces what `countStrace` reads. */
export function straceArgs(outputFile: string): string[] {
  return ['-f', '--seccomp-bpf', '-qq', '-ttt', '-y', '-s', '0', '-e', 'trace=fsync,fdatasync,write,pwrite64,writev,pwritev,pwritev2', '-o', outputFile];
}
