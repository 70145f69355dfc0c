import type { Logger } from '../../logger.js';
import type { DocStore } from '../DocStore.js';
import { DocStoreClosedError, assertValidDocId } from '../storeErrors.js';
import { FileDocument, type DocumentContext } from './fileDocument.js';
import { nodeFileIo, type FileIo } from './fileIo.js';
import type { RetryPolicy, UpdateLog } from './updateLog.js';

export interface FileDocStoreOptions {
  /** Where documents live; the server passes `${DATA_DIR}/docs`. Created on first write. */
  dir: string;
  logger: Logger;
  /** `shouldCompact` turns true once a document's logs exceed this many bytes. Default 1 MiB. */
  compactAfterBytes?: number;
  /** Backoff of failed writes. Default 50 ms doubling to 2 s. */
  retry?: RetryPolicy;
  /** Test seam for writes and fsyncs; defaults to node:fs. */
  io?: FileIo;
  /** How long a log's file stays open after its last write. Default 10 s (IDLE_CLOSE_MS). */
  idleCloseMs?: number;
}

export type DocStoreHealth = {
  ok: boolean;
  failingDocuments: number;
  lastError?: string;
};

export const DEFAULT_COMPACT_AFTER_BYTES = 1024 * 1024;
export const DEFAULT_RETRY: RetryPolicy = { initialDelayMs: 50, maxDelayMs: 2000 };

type Operation = (document: FileDocument, initial: Uint8Array[] | undefined) => Promise<unknown>;

interface Entry {
  document?: FileDocument;
  /** Calls that arrived while the document was being opened, run in arrival order once it is. */
  waiting: { run: Operation; resolve: (value: unknown) => void; reject: (error: unknown) => void }[];
  /** Settles once the open finished and the waiting calls were started (undefined: it failed). */
  opened: Promise<FileDocument | undefined>;
}

/**
 * The embedded DocStore: one directory per document holding generation-numbered update logs and
 * snapshots (docs/STORAGE.md). Documents are opened on first use; calls made while a document is
 * opening queue up in order, so an append can never overtake an earlier append or compact().
 */
export class FileDocStore implements DocStore {
  private readonly entries = new Map<string, Entry>();
  /** Documents being unloaded: a new open of the same document waits until its files are closed. */
  private readonly unloading = new Map<string, Promise<void>>();
  private readonly pendingAppends = new Set<Promise<unknown>>();
  private readonly pendingOther = new Set<Promise<unknown>>();
  private readonly failing = new Map<UpdateLog, string>();
  private lastError: string | undefined;
  private closed = false;
  private readonly context: DocumentContext;
  private readonly compactAfterBytes: number;

  constructor(options: FileDocStoreOptions) {
    this.compactAfterBytes = options.compactAfterBytes ?? DEFAULT_COMPACT_AFTER_BYTES;
    const logger = options.logger.child({ component: 'docStore' });
    this.context = {
      root: options.dir,
      io: options.io ?? nodeFileIo,
      logger,
      retry: options.retry ?? DEFAULT_RETRY,
      idleCloseMs: options.idleCloseMs,
      health: {
        failing: (log, error) => {
          this.failing.set(log, log.docId);
          this.lastError = error instanceof Error ? error.message : String(error);
        },
        recovered: (log) => void this.failing.delete(log),
      },
    };
  }

  load(docId: string): Promise<Uint8Array[]> {
    return this.track(this.pendingOther, 'load', docId, (document, initial) => (initial ? Promise.resolve(initial) : document.read()));
  }

  append(docId: string, update: Uint8Array): Promise<void> {
    return this.track(this.pendingAppends, 'append', docId, (document) => document.append(update));
  }

  /** False for a document not opened in this process: nothing was appended to it here. */
  shouldCompact(docId: string): boolean {
    assertValidDocId(docId);
    return this.entries.get(docId)?.document?.shouldCompact(this.compactAfterBytes) ?? false;
  }

  compact(docId: string, snapshot: Uint8Array): Promise<void> {
    return this.track(this.pendingOther, 'compact', docId, (document) => document.compact(snapshot));
  }

  /**
   * Forgets the open document: waits for everything already asked of it, closes its files and
   * drops its in-memory state (STORE-15). The Hub calls it when a room leaves memory, so the store
   * holds state and descriptors only for loaded documents. A later call opens it again from disk.
   */
  unload(docId: string): Promise<void> {
    return invoke(async () => {
      assertValidDocId(docId);
      if (this.closed) throw new DocStoreClosedError('unload');
      const entry = this.entries.get(docId);
      if (entry === undefined) return this.unloading.get(docId);
      this.entries.delete(docId);
      const unloaded = entry.opened
        .then((document) => document?.close())
        .catch((error: unknown) => this.context.logger.warn({ docId, err: error }, 'unloading a document failed'))
        .finally(() => {
          if (this.unloading.get(docId) === unloaded) this.unloading.delete(docId);
        });
      this.unloading.set(docId, unloaded);
      return unloaded;
    });
  }

  async flush(): Promise<void> {
    await Promise.allSettled([...this.pendingAppends]);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.pendingAppends, ...this.pendingOther, ...this.unloading.values()]);
    await Promise.all([...this.entries.values()].map((entry) => entry.document?.close()));
    this.entries.clear();
  }

  /** For /healthz: documents whose writes are failing right now (they keep retrying). */
  health(): DocStoreHealth {
    const failingDocuments = new Set(this.failing.values()).size;
    if (failingDocuments === 0) return { ok: true, failingDocuments };
    return { ok: false, failingDocuments, ...(this.lastError === undefined ? {} : { lastError: this.lastError }) };
  }

  private track<T>(set: Set<Promise<unknown>>, operation: string, docId: string, run: (document: FileDocument, initial: Uint8Array[] | undefined) => Promise<T>): Promise<T> {
    const result = invoke(() => {
      assertValidDocId(docId);
      if (this.closed) throw new DocStoreClosedError(operation);
      return this.withDocument(docId, run);
    });
    set.add(result);
    const forget = (): void => void set.delete(result);
    result.then(forget, forget);
    return result;
  }

  private withDocument<T>(docId: string, run: (document: FileDocument, initial: Uint8Array[] | undefined) => Promise<T>): Promise<T> {
    let entry = this.entries.get(docId);
    if (entry?.document) return run(entry.document, undefined);
    if (entry === undefined) {
      entry = this.open(docId);
      this.entries.set(docId, entry);
    }
    const waiting = entry.waiting;
    return new Promise<T>((resolve, reject) => {
      waiting.push({ run, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  private open(docId: string): Entry {
    // An unload of the same document still closing its files must finish first: the new open
    // reads the files' lengths, which the old writer may still be changing.
    const previous = this.unloading.get(docId) ?? Promise.resolve();
    const entry: Entry = {
      waiting: [],
      opened: previous.then(() => FileDocument.open(this.context, docId)).then(
        ({ document, updates }) => {
          entry.document = document;
          const waiting = entry.waiting;
          entry.waiting = [];
          // Synchronously, in arrival order: each append enqueues its record before the next call runs.
          waiting.forEach((call, index) => {
            invoke(() => call.run(document, index === 0 ? updates : undefined)).then(call.resolve, call.reject);
          });
          return document;
        },
        (error: unknown) => {
          // Forget the entry so a later call reads the files again (an operator may have fixed them).
          if (this.entries.get(docId) === entry) this.entries.delete(docId);
          for (const call of entry.waiting) call.reject(error);
          return undefined;
        },
      ),
    };
    return entry;
  }
}

/** Turns a synchronous throw into a rejection, so one bad call cannot break the waiting queue. */
function invoke<T>(run: () => Promise<T>): Promise<T> {
  try {
    return run();
  } catch (error) {
    return Promise.reject(error);
  }
}
