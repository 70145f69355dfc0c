import * as Y from 'yjs';
import type { DocStore } from '../../../server/storage/DocStore.js';

type Operation =
  | { kind: 'append'; docId: string; update: Uint8Array; resolve: () => void }
  | { kind: 'compact'; docId: string; snapshot: Uint8Array; resolve: () => void };

/**
 * The simulated disk: what survives a simulated server crash. `mirror` holds every durable update
 * of each document applied to a Y.Doc, so a test can ask "is this update durable?" cheaply.
 */
export class SimDisk {
  readonly records = new Map<string, Uint8Array[]>();
  readonly mirrors = new Map<string, Y.Doc>();

  mirror(docId: string): Y.Doc {
    let doc = this.mirrors.get(docId);
    if (!doc) {
      doc = new Y.Doc();
      this.mirrors.set(docId, doc);
    }
    return doc;
  }

  /** True when `update` (structs and deletions) is contained in the durable state. */
  contains(docId: string, update: Uint8Array): boolean {
    return Y.snapshotContainsUpdate(Y.snapshot(this.mirror(docId)), update);
  }

  destroy(): void {
    for (const doc of this.mirrors.values()) doc.destroy();
  }
}

/**
 * A DocStore whose slowness is decided by the simulation instead of a clock: loads and fsyncs
 * stay pending until the network driver calls `tick()`. That lets a seeded schedule reproduce
 * the interleavings a real disk produces (a room loading while frames arrive, acks held back by a
 * slow group commit, a crash with appends in flight) without sleeps.
 *
 * It follows the DocStore contract: load sees appends not yet durable (STORE-2); appends and
 * compactions become durable in call order (STORE-7, STORE-9, STORE-13); `crash()` forgets
 * everything not yet durable, as SIGKILL does to a real process.
 */
export class SimStore implements DocStore {
  private pending: Operation[] = [];
  private loads: (() => void)[] = [];
  private readonly bytesSinceCompaction = new Map<string, number>();
  private dead = false;
  /** How often the Hub (re)loaded a room and the Room compacted, to show a run exercised both. */
  loadsServed = 0;
  compactions = 0;

  constructor(
    private readonly disk: SimDisk,
    private readonly compactAfterBytes: number,
  ) {}

  get pendingLoads(): number {
    return this.loads.length;
  }

  get pendingWrites(): number {
    return this.pending.length;
  }

  load(docId: string): Promise<Uint8Array[]> {
    return new Promise((resolve) => {
      this.loads.push(() => resolve(this.view(docId)));
    });
  }

  append(docId: string, update: Uint8Array): Promise<void> {
    this.bytesSinceCompaction.set(docId, (this.bytesSinceCompaction.get(docId) ?? 0) + update.byteLength);
    return new Promise((resolve) => {
      this.pending.push({ kind: 'append', docId, update: update.slice(), resolve });
    });
  }

  shouldCompact(docId: string): boolean {
    return (this.bytesSinceCompaction.get(docId) ?? 0) > this.compactAfterBytes;
  }

  compact(docId: string, snapshot: Uint8Array): Promise<void> {
    // Reset at call time, like FileDocStore's synchronous switch to a new generation.
    this.bytesSinceCompaction.set(docId, 0);
    return new Promise((resolve) => {
      this.pending.push({ kind: 'compact', docId, snapshot: snapshot.slice(), resolve });
    });
  }

  async unload(): Promise<void> {
    // Nothing is held per document: the simulated disk is all there is.
  }

  async flush(): Promise<void> {
    while (this.pending.length > 0) this.tick('fsync');
  }

  async close(): Promise<void> {
    await this.flush();
  }

  /** Finishes the oldest pending load, or makes every pending write durable (one group commit). */
  tick(what: 'load' | 'fsync'): void {
    if (this.dead) return;
    if (what === 'load') {
      const load = this.loads.shift();
      if (load) this.loadsServed++;
      load?.();
      return;
    }
    const batch = this.pending;
    this.pending = [];
    for (const operation of batch) {
      const records = this.disk.records.get(operation.docId) ?? [];
      if (operation.kind === 'append') {
        records.push(operation.update);
        Y.applyUpdate(this.disk.mirror(operation.docId), operation.update);
      } else {
        // The snapshot replaces every record before it; later appends stay (STORE-9).
        this.compactions++;
        records.length = 0;
        records.push(operation.snapshot);
        Y.applyUpdate(this.disk.mirror(operation.docId), operation.snapshot);
      }
      this.disk.records.set(operation.docId, records);
    }
    for (const operation of batch) operation.resolve();
  }

  /** The process died: pending loads and writes never complete, nothing more reaches the disk. */
  crash(): void {
    this.dead = true;
    this.pending = [];
    this.loads = [];
  }

  /** Durable records followed by pending ones, as FileDocStore.load returns them (STORE-2). */
  private view(docId: string): Uint8Array[] {
    const records = [...(this.disk.records.get(docId) ?? [])];
    for (const operation of this.pending) {
      if (operation.docId !== docId) continue;
      if (operation.kind === 'append') records.push(operation.update);
      else records.splice(0, records.length, operation.snapshot);
    }
    return records.map((record) => record.slice());
  }
}
