import * as Y from 'yjs';

/**
 * Applies a document's stored records (DocStore.load: a snapshot first when there is one, then
 * the log after it) to `doc`. The first record is applied on its own, because merging a snapshot
 * with the records after it would decode and re-encode the whole document once more; the rest
 * are merged first, since applying one update instead of thousands is much faster. Returns the
 * bytes applied: the first record and the merged rest (null when there was at most one record).
 */
export function applyStoredRecords(doc: Y.Doc, [first, ...rest]: readonly Uint8Array[], origin?: unknown): { first: Uint8Array | undefined; tail: Uint8Array | null } {
  if (first === undefined) return { first, tail: null };
  Y.applyUpdate(doc, first, origin);
  const tail = rest.length === 0 ? null : rest.length === 1 ? rest[0]! : Y.mergeUpdates(rest);
  if (tail !== null) Y.applyUpdate(doc, tail, origin);
  return { first, tail };
}

/**
 * The compacted snapshot of stored records: the document they build, encoded as one update with
 * deleted content garbage-collected (unlike `Y.mergeUpdates`, which keeps it). Made in the load
 * worker for a Room's compaction (COMPACT-1), so the main thread never encodes a large document.
 *
 * Should the records hold structs or deletions whose dependencies are missing (Yjs keeps them
 * aside as pending), they are merged into the snapshot as they are: a compaction must never drop
 * stored bytes, and they integrate once what they wait for arrives, as they would from the log.
 */
export function snapshotOfRecords(records: readonly Uint8Array[]): Uint8Array {
  const doc = new Y.Doc();
  try {
    applyStoredRecords(doc, records);
    const state = Y.encodeStateAsUpdate(doc);
    const { pendingStructs, pendingDs } = doc.store;
    if (pendingStructs === null && pendingDs === null) return state;
    return Y.mergeUpdates([state, ...(pendingStructs ? [pendingStructs.update] : []), ...(pendingDs ? [pendingDs] : [])]);
  } finally {
    doc.destroy();
  }
}
