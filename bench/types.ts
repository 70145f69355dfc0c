/**
 * Types shared by the orchestrator (bench/run.ts) and the load-generator process
 * (bench/loadgen/main.ts). They cross the IPC channel as JSON, so they hold plain data only.
 */

/** The servers under test. Roundtable is ours; the other two are the baselines. */
export type ServerName = 'roundtable' | 'y-websocket' | 'hocuspocus';
export const SERVER_NAMES: readonly ServerName[] = ['roundtable', 'y-websocket', 'hocuspocus'];
export const BASELINES: readonly ServerName[] = ['y-websocket', 'hocuspocus'];

/**
 * Wire framing a client speaks. Roundtable and the reference server speak plain y-websocket
 * (one socket per document, document named by the URL); Hocuspocus prefixes every message with
 * the document name and wants an auth message before sync.
 */
export type Flavour = 'y-websocket' | 'hocuspocus';

/** Everything a client needs to open one document on one server. */
export interface DocTarget {
  flavour: Flavour;
  /** WebSocket URL to open (for Roundtable it already carries `?ack=1`). */
  url: string;
  /** Document name (Hocuspocus framing) or id (Roundtable); informative for y-websocket. */
  docName: string;
  /** The server sends Roundtable's Saved acknowledgements on this socket. */
  acks: boolean;
  /** Extra upgrade-request headers (Roundtable with authentication: the session cookie, Origin). */
  headers?: Record<string, string>;
  /**
   * The account the socket is signed in as (Roundtable). Its presence states carry exactly this
   * `user`, as the real client publishes what /api/me told it; the server stamps it anyway.
   */
  identity?: { id: string; name: string; color: string };
}

/** One reading of the server process, taken by the orchestrator from /proc. */
export interface ServerStat {
  /** Wall clock of the reading (ms, performance.now() of the orchestrator). */
  at: number;
  /** utime + stime of the server process, in seconds. */
  cpuSeconds: number;
  /**
   * utime + stime of its main thread alone (the event loop: JavaScript, and the syscalls made
   * from it, such as socket writes); the rest is V8's and libuv's helper threads.
   */
  mainThreadCpuSeconds: number;
  rssBytes: number;
  /** Peak RSS since the process started (VmHWM). */
  hwmBytes: number;
  /** Bytes the process caused to be sent to the storage layer (/proc/<pid>/io write_bytes). */
  writeBytes: number;
  /** Total size of the files under the server's data directory, null for in-memory servers. */
  dataDirBytes: number | null;
}

/** Counts from `strace` around a server started with tracing (persistence workload only). */
export interface TraceCounts {
  fsyncs: number;
  /** Bytes returned by write-family syscalls on files inside the data directory. */
  fileWriteBytes: number;
  /** Write-family syscalls on files inside the data directory. */
  fileWrites: number;
  /** Those of them on files opened with O_DSYNC/O_SYNC: each is also a data sync, like an fdatasync. */
  syncWrites: number;
}

/** Durations and sizes, resolved from flags/env by bench/config.ts. */
export interface BenchSettings {
  quick: boolean;
  reps: number;
  /** Measured window of the steady-load workloads, seconds. */
  durationS: number;
  /** Warm-up before the measured window, seconds. */
  warmupS: number;
  /** Cold-load samples per repetition (from memory / from disk after a restart). */
  coldSamples: number;
  coldDiskSamples: number;
}

/** A metric value; null when it does not apply (e.g. "from disk" for an in-memory server). */
export type MetricValue = number | null;

/** What one workload produced against one server in one repetition. */
export interface WorkloadRun {
  workload: string;
  server: ServerName;
  rep: number;
  /** False when the numbers must not be trusted (e.g. the load generator was saturated). */
  valid: boolean;
  invalidReasons: string[];
  /** CPU of the load generator over the measured window, as a fraction of one core. */
  loadgenCpu: number;
  metrics: Record<string, MetricValue>;
  /** Socket errors, unexpected closes, sync timeouts, missing deliveries. */
  errors: number;
  /** True when every client (and a fresh verifier) ended with the same state; null if not checked. */
  converged: boolean | null;
  notes: string[];
  wallSeconds: number;
}

/** Orchestrator -> load generator. */
export interface LoadgenJob {
  workload: string;
  server: ServerName;
  rep: number;
  settings: BenchSettings;
  /** Directory for caches (the generated cold-load document). */
  cacheDir: string;
}

export type RpcMethod = 'docs' | 'targets' | 'stat' | 'gc' | 'restart' | 'trace' | 'loopDelay';

export interface RpcRequest {
  kind: 'rpc';
  id: number;
  method: RpcMethod;
  args: unknown[];
}

export type ParentMessage =
  | { kind: 'start'; job: LoadgenJob }
  | { kind: 'rpc-result'; id: number; ok: true; value: unknown }
  | { kind: 'rpc-result'; id: number; ok: false; error: string };

export type ChildMessage = RpcRequest | { kind: 'result'; run: WorkloadRun } | { kind: 'failed'; error: string };
