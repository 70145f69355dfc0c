import type { DocTarget, ServerName } from '../types.js';

export interface StartOptions {
  /** Reuse this data directory (restart); by default a fresh temporary one. */
  dataDir?: string;
  /** Run the server under strace (fsync/write counting; Roundtable only). */
  strace?: boolean;
  /**
   * Roundtable only: `false` starts the same build with its documents in memory
   * (roundtableWithoutPersistence.ts), for the CPU of persistence on versus off.
   */
  persistence?: boolean;
}

/** A started server process. */
export interface RunningServer {
  readonly name: ServerName;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** The node process serving (not the strace wrapper): CPU, RSS and signals go here. */
  readonly pid: number;
  /** Persistent data directory, null for the in-memory baselines. */
  readonly dataDir: string | null;
  /** strace output file when started with `strace`. */
  readonly traceFile: string | null;
  /** Where a client opens `docName` (Roundtable: the document id). */
  docTarget(docName: string): DocTarget;
  /** Makes `n` fresh documents ready to open and returns their names (Roundtable: creates them). */
  prepare(n: number): Promise<string[]>;
}

/** Starts and stops one kind of server; one instance serves one workload run. */
export interface BenchServer {
  readonly name: ServerName;
  start(options?: StartOptions): Promise<RunningServer>;
  /** Graceful stop (SIGTERM, then SIGKILL after a grace period). Safe to call twice. */
  stop(): Promise<void>;
}
