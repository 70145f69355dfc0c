import type { TraceCounts } from '../types.js';

/**
 * Counts fsyncs and file writes in the output of
 *   strace -f --seccomp-bpf -qq -ttt -y -s 0 -e trace=openat,fsync,fdatasync,write,pwrite64,writev,pwritev,pwritev2 -o FILE
 * Lines look like `PID EPOCH.USEC syscall(FD</path>, ...) = RET`; with several threads a call
 * may be split into `... <unfinished ...>` and `PID EPOCH <... syscall resumed>...) = RET`.
 * `-y` prints the path behind every descriptor, which is how writes to the server's files are
 * told apart from socket writes. Only calls that *started* inside [fromSec, toSec] count.
 *
 * A write to a file opened with O_DSYNC or O_SYNC is durable when it returns, exactly like a
 * write followed by fdatasync: those are counted as `syncWrites` (Roundtable's update logs are
 * opened that way). Opens are followed over the whole trace, since a log opened before the
 * window stays open through it.
 */

const WRITES = new Set(['write', 'pwrite64', 'writev', 'pwritev', 'pwritev2']);
const SYNCS = new Set(['fsync', 'fdatasync']);

const CALL = /^(\d+)\s+(\d+\.\d+)\s+(\w+)\((\d+)<([^>]*)>/;
const OPEN = /^(\d+)\s+(\d+\.\d+)\s+openat\([^,]*,\s*"([^"]*)",\s*([A-Z_|]+)/;
const OPENED_FD = /=\s+(\d+)</;
const SYNC_FLAGS = /\bO_(D)?SYNC\b/;
const RESUMED = /^(\d+)\s+(\d+\.\d+)\s+<\.\.\. (\w+) resumed>/;
const RESULT = /=\s+(-?\d+)(?:\s+\w+.*)?$/;

export function countStrace(text: string, options: { dataDir: string; fromSec: number; toSec: number }): TraceCounts {
  const prefix = options.dataDir.endsWith('/') ? options.dataDir : `${options.dataDir}/`;
  const pending = new Map<string, { syscall: string; fd: string; path: string; time: number }>();
  /** Descriptors currently open on a file with O_DSYNC/O_SYNC, and that file. */
  const syncFds = new Map<string, string>();
  const counts: TraceCounts = { fsyncs: 0, fileWriteBytes: 0, fileWrites: 0, syncWrites: 0 };

  const opened = (path: string, flags: string, resultLine: string): void => {
    const fd = OPENED_FD.exec(resultLine)?.[1];
    if (fd === undefined) return;
    if (SYNC_FLAGS.test(flags)) syncFds.set(fd, path);
    else syncFds.delete(fd);
  };

  const account = (syscall: string, fd: string, path: string, time: number, ret: number): void => {
    if (time < options.fromSec || time > options.toSec || ret < 0) return;
    if (SYNCS.has(syscall)) {
      counts.fsyncs++;
    } else if (WRITES.has(syscall) && path.startsWith(prefix)) {
      counts.fileWrites++;
      counts.fileWriteBytes += ret;
      if (syncFds.get(fd) === path) counts.syncWrites++;
    }
  };

  for (const line of text.split('\n')) {
    if (line.length === 0) continue;
    const resumed = RESUMED.exec(line);
    if (resumed) {
      const started = pending.get(resumed[1]!);
      pending.delete(resumed[1]!);
      if (started?.syscall === 'openat') {
        opened(started.path, started.fd, line);
        continue;
      }
      const result = RESULT.exec(line);
      if (started && result) account(started.syscall, started.fd, started.path, started.time, Number(result[1]));
      continue;
    }
    const open = OPEN.exec(line);
    if (open) {
      const [, pid, time, path, flags] = open;
      // For an unfinished open, `fd` carries the flags until the result arrives.
      if (line.endsWith('<unfinished ...>')) pending.set(pid!, { syscall: 'openat', fd: flags!, path: path!, time: Number(time) });
      else opened(path!, flags!, line);
      continue;
    }
    const call = CALL.exec(line);
    if (!call) continue;
    const [, pid, time, syscall, fd, path] = call;
    if (line.endsWith('<unfinished ...>')) {
      pending.set(pid!, { syscall: syscall!, fd: fd!, path: path!, time: Number(time) });
      continue;
    }
    const result = RESULT.exec(line);
    if (result) account(syscall!, fd!, path!, Number(time), Number(result[1]));
  }
  return counts;
}

/** The strace command line that produces what `countStrace` reads. */
export function straceArgs(outputFile: string): string[] {
  return ['-f', '--seccomp-bpf', '-qq', '-ttt', '-y', '-s', '0', '-e', 'trace=openat,fsync,fdatasync,write,pwrite64,writev,pwritev,pwritev2', '-o', outputFile];
}
