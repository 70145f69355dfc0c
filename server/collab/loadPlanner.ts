import { Worker } from 'node:worker_threads';
import * as Y from 'yjs';
import { snapshotOfRecords } from './storedRecords.js';
import { DEFAULT_SLICE_LIMITS, planLoad, type SliceLimits, type SyncPlan } from './updateSlices.js';

/**
 * Turns a document's stored records into a LoadPlan (updateSlices.ts): calls `onSync` with the
 * sync part as soon as it is decoded, and resolves with the slices.
 */
export type LoadPlanner = (records: readonly Uint8Array[], onSync: (sync: SyncPlan) => void) => Promise<Uint8Array[]>;

/** Merges updates into one (Y.mergeUpdates), off the event loop when it can. */
export type UpdateMerger = (updates: readonly Uint8Array[]) => Promise<Uint8Array>;

/** Builds a compacted snapshot of a document's stored records (snapshotOfRecords), off the event loop when it can. */
export type RecordSnapshotter = (records: readonly Uint8Array[]) => Promise<Uint8Array>;

export interface PlanRequest {
  id: number;
  /** `plan`: a LoadPlan of the records; `merge`: the records merged into one update; `snapshot`: their compacted snapshot. */
  kind: 'plan' | 'merge' | 'snapshot';
  records: readonly Uint8Array[];
  limits: SliceLimits;
}

export type PlanReply =
  | { id: number; sync: SyncPlan }
  | { id: number; slices: Uint8Array[] }
  /** The answer to `merge` and to `snapshot`: one update. */
  | { id: number; single: Uint8Array }
  | { id: number; error: string };

interface Waiter {
  kind: PlanRequest['kind'];
  records: readonly Uint8Array[];
  onSync: (sync: SyncPlan) => void;
  synced: boolean;
  resolve: (result: Uint8Array[]) => void;
  reject: (error: Error) => void;
}

/** A worker with nothing to do for this long is stopped; the next large load starts a new one (~30 ms). */
const IDLE_WORKER_MS = 30_000;

/**
 * Plans loads in one shared worker thread (loadWorker.ts), so that decoding a large document
 * (~250 ms for 2.7 MB with a cold JIT) and cutting it into slices never blocks the event loop;
 * merges a large document's updates there too (Room's FullStateAnswer), and builds the
 * snapshots of Room compactions (COMPACT-1).
 * Requests are served in order. The worker holds no state between requests, is started on the
 * first large load, stopped when idle and does not keep the process alive. Should it fail to
 * start or die, the load is planned in-process instead (a stall, as before this existed, but
 * never a failed load because of the worker).
 */
export class WorkerLoadPlanner {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiter>();
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly onWorkerError: (error: Error) => void,
    private readonly limits: SliceLimits = DEFAULT_SLICE_LIMITS,
  ) {}

  readonly plan: LoadPlanner = (records, onSync) => this.request('plan', records, onSync);

  readonly merge: UpdateMerger = async (updates) => (await this.request('merge', updates, () => {}))[0]!;

  readonly snapshot: RecordSnapshotter = async (records) => (await this.request('snapshot', records, () => {}))[0]!;

  private request(kind: PlanRequest['kind'], records: readonly Uint8Array[], onSync: (sync: SyncPlan) => void): Promise<Uint8Array[]> {
    const id = this.nextId++;
    return new Promise<Uint8Array[]>((resolve, reject) => {
      this.waiting.set(id, { kind, records, onSync, synced: false, resolve, reject });
      if (this.idleTimer) clearTimeout(this.idleTimer);
      this.idleTimer = null;
      let worker: Worker;
      try {
        worker = this.start();
      } catch (error) {
        this.fallBack(error);
        return;
      }
      // Copied, not transferred: the room answers Step2 from these bytes while the worker works.
      const request: PlanRequest = { id, kind, records, limits: this.limits };
      worker.postMessage(request);
    });
  }

  /** Stops the worker (tests, shutdown); pending plans are made in-process. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (worker) {
      worker.removeAllListeners();
      await worker.terminate();
    }
    this.fallBack(null);
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./loadWorker.js', import.meta.url));
    worker.unref();
    worker.on('message', (reply: PlanReply) => {
      const waiter = this.waiting.get(reply.id);
      if (!waiter) return;
      if ('sync' in reply) {
        waiter.synced = true;
        waiter.onSync(reply.sync);
        return;
      }
      this.waiting.delete(reply.id);
      if ('slices' in reply) waiter.resolve(reply.slices);
      else if ('single' in reply) waiter.resolve([reply.single]);
      else waiter.reject(new Error(reply.error));
      if (this.waiting.size === 0) this.scheduleIdleStop();
    });
    worker.on('error', (error) => this.fallBack(error));
    worker.on('exit', () => {
      if (this.worker === worker) this.fallBack(new Error('the load worker exited'));
    });
    this.worker = worker;
    return worker;
  }

  /** Plans every waiting load in-process (the worker is gone or could not start). */
  private fallBack(error: unknown): void {
    if (error !== null) this.onWorkerError(error instanceof Error ? error : new Error(String(error)));
    const worker = this.worker;
    this.worker = null;
    if (worker) {
      worker.removeAllListeners();
      void worker.terminate();
    }
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const waiter of waiting) {
      try {
        if (waiter.kind === 'merge') waiter.resolve([Y.mergeUpdates(waiter.records as Uint8Array[])]);
        else if (waiter.kind === 'snapshot') waiter.resolve([snapshotOfRecords(waiter.records)]);
        else waiter.resolve(planLoad(waiter.records, this.limits, waiter.synced ? undefined : waiter.onSync).slices);
      } catch (planError) {
        waiter.reject(planError instanceof Error ? planError : new Error(String(planError)));
      }
    }
  }

  private scheduleIdleStop(): void {
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      const worker = this.worker;
      if (!worker || this.waiting.size > 0) return;
      this.worker = null;
      worker.removeAllListeners();
      void worker.terminate();
    }, IDLE_WORKER_MS);
    this.idleTimer.unref();
  }
}

/** Merges in-process: for tests. */
export const mergeInProcess: UpdateMerger = (updates) => Promise.resolve(Y.mergeUpdates(updates as Uint8Array[]));

/** Builds snapshots in-process: for tests. */
export const snapshotInProcess: RecordSnapshotter = (records) => Promise.resolve(snapshotOfRecords(records));

/** Plans in-process: for tests and small documents, where a worker round trip costs more than it saves. */
export const planInProcess: LoadPlanner = (records, onSync) => Promise.resolve(planLoad(records, DEFAULT_SLICE_LIMITS, onSync).slices);
