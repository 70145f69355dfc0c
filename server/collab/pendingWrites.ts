import type { DocStore } from '../storage/DocStore.js';

/**
 * The DocStore as the sync server sees it, counting the appends of each document that are not
 * durable yet. Nothing else changes: every call goes straight through. It exists so that a
 * shutdown that cannot flush in time (a failing disk retries forever) can say which documents
 * hold edits that are not on disk, instead of hanging or exiting silently.
 */
export class PendingWrites implements DocStore {
  private readonly pending = new Map<string, number>();

  constructor(private readonly store: DocStore) {}

  /** Documents with appends not yet durable, and how many each, most first. */
  unflushed(): Array<{ docId: string; pendingUpdates: number }> {
    return [...this.pending].map(([docId, pendingUpdates]) => ({ docId, pendingUpdates })).sort((a, b) => b.pendingUpdates - a.pendingUpdates);
  }

  load(docId: string): Promise<Uint8Array[]> {
    return this.store.load(docId);
  }

  append(docId: string, update: Uint8Array): Promise<void> {
    this.pending.set(docId, (this.pending.get(docId) ?? 0) + 1);
    const appended = this.store.append(docId, update);
    const settle = (): void => {
      const left = (this.pending.get(docId) ?? 1) - 1;
      if (left > 0) this.pending.set(docId, left);
      else this.pending.delete(docId);
    };
    // A separate branch that swallows nothing: the caller still sees the rejection on `appended`.
    appended.then(settle, settle);
    return appended;
  }

  shouldCompact(docId: string): boolean {
    return this.store.shouldCompact(docId);
  }

  compact(docId: string, snapshot: Uint8Array): Promise<void> {
    return this.store.compact(docId, snapshot);
  }

  unload(docId: string): Promise<void> {
    return this.store.unload(docId);
  }

  flush(): Promise<void> {
    return this.store.flush();
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
