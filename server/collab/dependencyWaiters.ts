import * as Y from 'yjs';

/**
 * Updates Yjs parked because their causal predecessors had not arrived (e.g. a client's edit that
 * overtook the Step2 carrying its offline work). Such an update is neither in the document nor in
 * the log, so it is acknowledged only once a later update completes it: each waiter settles with
 * the durability of the batch that made the document contain it.
 */
export class DependencyWaiters<P> {
  private waiting: Array<{ update: Uint8Array; origin: P; settle: (durable: Promise<void>) => void }> = [];
  private checkScheduled = false;

  /** @param maxPerOrigin parked updates one connection may have at once (more closes it). */
  constructor(private readonly maxPerOrigin: number) {}

  /**
   * Resolves once `update`, just applied to `doc` and still missing dependencies, is in the
   * document and durable. Throws when `origin` already has `maxPerOrigin` updates waiting.
   */
  park(update: Uint8Array, origin: P): Promise<void> {
    const waiting = this.waiting.filter((w) => w.origin === origin).length;
    if (waiting >= this.maxPerOrigin) {
      throw new Error(`more than ${this.maxPerOrigin} updates with missing dependencies`);
    }
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ update, origin, settle: (durable) => durable.then(resolve, reject) });
    });
  }

  /** A closed connection's parked updates will never be acknowledged: stop checking them. */
  forget(origin: P): void {
    this.waiting = this.waiting.filter((w) => w.origin !== origin);
  }

  /**
   * After the document changed: settles, at the end of this tick, the waiters the document now
   * contains, with `durable()` read then (the batch that carries the change).
   */
  scheduleCheck(doc: Y.Doc, durable: () => Promise<void>): void {
    if (this.checkScheduled || this.waiting.length === 0) return;
    this.checkScheduled = true;
    queueMicrotask(() => {
      this.checkScheduled = false;
      const store = doc.store;
      const complete = store.pendingStructs === null && store.pendingDs === null;
      // A snapshot costs O(document): taken once for all waiters, and not at all when nothing is pending.
      const state = complete ? null : Y.snapshot(doc);
      const settledWith = durable();
      this.waiting = this.waiting.filter((waiter) => {
        if (state !== null && !Y.snapshotContainsUpdate(state, waiter.update)) return true;
        waiter.settle(settledWith);
        return false;
      });
    });
  }
}
