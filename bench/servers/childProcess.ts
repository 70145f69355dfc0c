import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

/**
 * Child processes of the suite (servers, strace, load generators). Every one is registered so
 * that it is killed when the orchestrator exits for any reason — normal end, exception, Ctrl+C —
 * and nothing keeps running on the shared machine afterwards. Only processes started here are
 * ever signalled, always by pid.
 */
const live = new Set<number>();
let hooked = false;

export function registerPid(pid: number | undefined): void {
  if (pid === undefined) return;
  live.add(pid);
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const p of live) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

export function unregisterPid(pid: number | undefined): void {
  if (pid !== undefined) live.delete(pid);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface ManagedChild {
  readonly child: ChildProcess;
  /** The last lines of stdout/stderr, for error messages. */
  readonly tail: string[];
  /** Resolves with the first output line (stdout or stderr) matching `match`. */
  waitForLine(match: (line: string) => boolean, timeoutMs: number): Promise<string>;
  readonly exited: Promise<number | null>;
  /**
   * Graceful stop: SIGTERM to `pid` (default: the child itself; with strace, the traced node
   * process, so that it flushes and strace follows it out), SIGKILL after `graceMs`.
   */
  stop(graceMs?: number, pid?: number): Promise<void>;
}

export function spawnManaged(command: string, args: string[], options: SpawnOptions): ManagedChild {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  registerPid(child.pid);
  const tail: string[] = [];
  const watchers: Array<{ match: (line: string) => boolean; resolve: (line: string) => void }> = [];
  // BENCH_SERVER_LOG=file keeps every server's whole output (e.g. with BENCH_SERVER_NODE_FLAGS=--trace-gc).
  const logFile = process.env['BENCH_SERVER_LOG'];
  const onLine = (line: string): void => {
    if (logFile) appendFileSync(logFile, `${child.pid ?? '?'} ${line}\n`);
    tail.push(line);
    if (tail.length > 50) tail.shift();
    for (let i = watchers.length - 1; i >= 0; i--) {
      if (watchers[i]!.match(line)) {
        watchers[i]!.resolve(line);
        watchers.splice(i, 1);
      }
    }
  };
  // Output is always drained: a server blocked on a full stdout pipe would measure the pipe.
  createInterface({ input: child.stdout! }).on('line', onLine);
  createInterface({ input: child.stderr! }).on('line', onLine);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      unregisterPid(child.pid);
      resolve(code);
    });
    child.once('error', () => resolve(null));
  });

  return {
    child,
    tail,
    exited,
    waitForLine(match, timeoutMs) {
      const existing = tail.find(match);
      if (existing) return Promise.resolve(existing);
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for output of ${command}:\n${tail.join('\n')}`)), timeoutMs);
        watchers.push({
          match,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`${command} exited (${code}) before it was ready:\n${tail.join('\n')}`));
        });
      });
    },
    async stop(graceMs = 15_000, pid?: number) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const target = pid ?? child.pid;
      if (target !== undefined) {
        try {
          process.kill(target, 'SIGTERM');
        } catch {
          // gone already
        }
      }
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), graceMs);
      });
      const outcome = await Promise.race([exited, timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        for (const p of [pid, child.pid]) {
          if (p === undefined) continue;
          try {
            process.kill(p, 'SIGKILL');
          } catch {
            // gone already
          }
        }
        await exited;
      }
    },
  };
}
