import type { LoopDelayReading } from '../servers/loopDelayFile.js';
import type { ChildMessage, DocTarget, ParentMessage, RpcMethod, ServerStat, TraceCounts } from '../types.js';

/**
 * The load generator's handle on the server under test. The server is a sibling process owned
 * by the orchestrator, so every operation is a request over the IPC channel; the orchestrator
 * reads /proc, creates documents, restarts or signals the server and answers.
 */
export interface ServerControl {
  /** Creates (Roundtable: through the REST API) or names `n` fresh documents. */
  docs(n: number): Promise<DocTarget[]>;
  /** Targets for documents created earlier (after a restart the URL changes). */
  targets(docNames: string[]): Promise<DocTarget[]>;
  /**
   * CPU, RSS, peak RSS and disk writes of the server process right now. With `resetPeak` the
   * peak is then reset to the current RSS (Linux `clear_refs`), so that a later reading's peak
   * covers only what happened in between.
   */
  stat(options?: { resetPeak?: boolean }): Promise<ServerStat>;
  /** Asks the server process to run a full GC (bench preload, SIGUSR2), then reads it. */
  gc(): Promise<ServerStat>;
  /**
   * Server-side event-loop delay (`monitorEventLoopDelay` in the bench preload, no server code):
   * `start` begins a reading, `stop` ends it and returns it (null if the process gave none).
   */
  loopDelay(action: 'start' | 'stop'): Promise<LoopDelayReading | null>;
  /** Stops the server gracefully and starts it again on the same data directory. */
  restart(options?: { strace?: boolean; persistence?: boolean }): Promise<void>;
  /** fsync and file-write counts of the traced server between two epoch-ms instants; null when not traced. */
  trace(window: { fromMs: number; toMs: number }): Promise<TraceCounts | null>;
}

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void; timer: NodeJS.Timeout };

export function createIpcControl(timeoutMs = 120_000): ServerControl & { dispatch(message: ParentMessage): void } {
  let nextId = 1;
  const pending = new Map<number, Pending>();

  const call = <T>(method: RpcMethod, ...args: unknown[]): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`rpc ${method} timed out`));
      }, timeoutMs);
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      const message: ChildMessage = { kind: 'rpc', id, method, args };
      process.send!(message);
    });

  return {
    docs: (n) => call('docs', n),
    targets: (names) => call('targets', names),
    stat: (options) => call('stat', options ?? {}),
    gc: () => call('gc'),
    loopDelay: (action) => call('loopDelay', action),
    restart: (options) => call('restart', options ?? {}),
    trace: (window) => call('trace', window),
    dispatch(message: ParentMessage): void {
      if (message.kind !== 'rpc-result') return;
      const entry = pending.get(message.id);
      if (!entry) return;
      pending.delete(message.id);
      clearTimeout(entry.timer);
      if (message.ok) entry.resolve(message.value);
      else entry.reject(new Error(message.error));
    },
  };
}
