import * as Y from 'yjs';
import type { IndexeddbPersistence } from 'y-indexeddb';

/** How long received updates wait to be written to this device's copy together. */
export const REMOTE_WRITE_DELAY_MS = 250;
/** A received update at least this big (e.g. the document's first Step2) is written at once. */
export const REMOTE_WRITE_AT_ONCE_BYTES = 4096;

/**
 * Writes what others typed to this device's copy (IndexedDB) in batches, and this person's own
 * edits at once, as y-indexeddb always did.
 *
 * Why: y-indexeddb opens one IndexedDB transaction per Y.Doc update, on the main thread, inside
 * the update. With ten people typing that was ~50 transactions per second for remote keystrokes
 * alone, ~0.5 ms each, and after 500 stored updates a full re-encoding of the document whenever
 * typing paused (issue 5). Others' updates are already durable on the server — the copy on this
 * device holds them only to show the document offline — so they are merged
 * (`Y.mergeUpdates`) and written once per REMOTE_WRITE_DELAY_MS, or at once when big, and when
 * the page is hidden or closed (best effort: the browser aborts IndexedDB transactions of a
 * page being unloaded, so others' keystrokes of the last 250 ms may be missing from the copy
 * after a reload; the server sends them again on the next connection). This person's own edits
 * exist nowhere else until the server acknowledges them, so they are written exactly as
 * before (E2E-3).
 *
 * @param isRemote whether an update's transaction origin is another person's change (the provider).
 * @returns stop: writes what is waiting (unless `discard`, for a copy about to be deleted) and
 *   stops batching; to call before the persistence is destroyed.
 */
export function batchRemoteWrites(
  persistence: IndexeddbPersistence,
  ydoc: Y.Doc,
  isRemote: (origin: unknown) => boolean,
): (options?: { discard?: boolean }) => void {
  const store = persistence._storeUpdate;
  ydoc.off('update', store);
  let pending: Uint8Array[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    // A destroyed persistence has closed its database: nothing can be written any more.
    if (pending.length === 0 || persistence._destroyed) return;
    const merged = pending.length === 1 ? pending[0]! : Y.mergeUpdates(pending);
    pending = [];
    // Any origin but the persistence itself is stored.
    store(merged, null);
  };
  const onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (!isRemote(origin)) {
      store(update, origin);
      return;
    }
    pending.push(update);
    if (update.byteLength >= REMOTE_WRITE_AT_ONCE_BYTES) flush();
    else timer ??= setTimeout(flush, REMOTE_WRITE_DELAY_MS);
  };
  const onHide = (): void => {
    if (document.visibilityState === 'hidden') flush();
  };
  ydoc.on('update', onUpdate);
  // Absent in unit tests (Node).
  const page = typeof window === 'undefined' ? null : window;
  page?.addEventListener('pagehide', flush);
  page?.document.addEventListener('visibilitychange', onHide);
  return ({ discard = false } = {}) => {
    if (discard) pending = [];
    flush();
    ydoc.off('update', onUpdate);
    page?.removeEventListener('pagehide', flush);
    page?.document.removeEventListener('visibilitychange', onHide);
  };
}
