/**
 * Storage of document content (Yjs updates). Small on purpose: every adapter (the embedded
 * update log today, PostgreSQL later) must pass `docStoreContract.ts`.
 *
 * Document ids reaching a DocStore have been checked with `isValidId` by the caller; adapters
 * check again and refuse anything else, because ids become file names.
 */
export interface DocStore {
  /**
   * Everything stored for a document, in the order it was appended (a compacted snapshot comes
   * first). A document with nothing stored yields []. A torn or corrupt tail record is dropped
   * and logged, and everything before it is returned. Any other unreadable data rejects with a
   * `DocStoreLoadError`: the caller must then refuse to serve the document, never treat it as
   * empty.
   */
  load(docId: string): Promise<Uint8Array[]>;

  /**
   * Appends one update. Resolves once it is durable (fsync'd); appends that arrive while a write
   * is in flight share the next fsync (group commit). A failed write keeps the update in memory
   * and is retried; the promise stays pending until the update is durable.
   */
  append(docId: string, update: Uint8Array): Promise<void>;

  /**
   * True when the document's log has grown enough that its owner should call `compact`: past the
   * adapter's threshold and past the size of the last snapshot (which bounds the bytes written per
   * byte of update, compaction included, at about 2).
   */
  shouldCompact(docId: string): boolean;

  /**
   * Replaces everything appended so far for the document with `snapshot`, which must contain all
   * of it (the caller encodes its in-memory Y.Doc synchronously before calling). Appends made
   * after the call started are kept. Crash-safe: at every instant either the old or the new
   * state loads.
   */
  compact(docId: string, snapshot: Uint8Array): Promise<void>;

  /**
   * The document's owner has dropped it from memory: the adapter may release what it holds for
   * it (file handles, buffers). Waits for everything already asked of the document; a later call
   * about the document works as after a restart. Releasing a document that is not open is a no-op.
   */
  unload(docId: string): Promise<void>;

  /** Resolves when everything appended so far, for every document, is durable. */
  flush(): Promise<void>;

  /** Flushes, then releases file handles. No call is valid afterwards. */
  close(): Promise<void>;
}

/** Stored content exists but cannot be read; the document must not be served. */
export class DocStoreLoadError extends Error {
  readonly code = 'DOC_LOAD_FAILED';
  constructor(
    readonly docId: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DocStoreLoadError';
  }
}
