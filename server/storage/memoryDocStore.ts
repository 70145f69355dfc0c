import type { DocStore } from './DocStore.js';
import { DocStoreClosedError, assertValidDocId } from './storeErrors.js';

export interface MemoryDocStoreOptions {
  /** `shouldCompact` turns true once a document has this many bytes since its last compaction. Default 1 MiB. */
  compactAfterBytes?: number;
  /**
   * The "disk": pass the same map to a new store to simulate a restart (the contract's reopen).
   * Defaults to a fresh map.
   */
  data?: Map<string, Uint8Array[]>;
}

/**
 * The reference adapter: the simplest thing that passes `docStoreContract`. Everything is
 * "durable" as soon as it is in the map, so appends resolve immediately. Updates are copied in
 * and out so that a test mutating a buffer cannot change what was stored, as with a real disk.
 */
export class MemoryDocStore implements DocStore {
  private readonly data: Map<string, Uint8Array[]>;
  private readonly bytesSinceCompaction = new Map<string, number>();
  private readonly snapshotBytes = new Map<string, number>();
  private readonly compactAfterBytes: number;
  private closed = false;

  constructor(options: MemoryDocStoreOptions = {}) {
    this.data = options.data ?? new Map();
    this.compactAfterBytes = options.compactAfterBytes ?? 1024 * 1024;
  }

  async load(docId: string): Promise<Uint8Array[]> {
    this.check(docId, 'load');
    return (this.data.get(docId) ?? []).map((update) => update.slice());
  }

  async append(docId: string, update: Uint8Array): Promise<void> {
    this.check(docId, 'append');
    const updates = this.data.get(docId) ?? [];
    updates.push(update.slice());
    this.data.set(docId, updates);
    this.bytesSinceCompaction.set(docId, (this.bytesSinceCompaction.get(docId) ?? 0) + update.byteLength);
  }

  shouldCompact(docId: string): boolean {
    assertValidDocId(docId);
    const threshold = Math.max(this.compactAfterBytes, this.snapshotBytes.get(docId) ?? 0);
    return (this.bytesSinceCompaction.get(docId) ?? 0) > threshold;
  }

  async compact(docId: string, snapshot: Uint8Array): Promise<void> {
    this.check(docId, 'compact');
    // Synchronous up to here, so no append can fall between the caller's encode and this swap.
    this.data.set(docId, [snapshot.slice()]);
    this.bytesSinceCompaction.set(docId, 0);
    this.snapshotBytes.set(docId, snapshot.byteLength);
  }

  async unload(docId: string): Promise<void> {
    this.check(docId, 'unload');
    // Nothing is held per document beyond the "disk" itself.
  }

  async flush(): Promise<void> {
    // Nothing is ever pending.
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private check(docId: string, operation: string): void {
    assertValidDocId(docId);
    if (this.closed) throw new DocStoreClosedError(operation);
  }
}
