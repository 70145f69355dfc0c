import { open, rm } from 'node:fs/promises';
import path from 'node:path';
import * as Y from 'yjs';
import type { Logger } from '../../logger.js';
import { DocStoreLoadError, type DocStore } from '../DocStore.js';
import { DocStoreClosedError, assertValidDocId } from '../storeErrors.js';
import { openDocumentFiles } from '../file/docLoader.js';
import { DEFAULT_COMPACT_AFTER_BYTES, DEFAULT_RETRY, type DocStoreHealth } from '../file/fileDocStore.js';
import { ensureDirectory, nodeFileIo, type FileIo } from '../file/fileIo.js';
import type { RetryPolicy, UpdateLog } from '../file/updateLog.js';
import { SNAPSHOT_DIR, isBefore, type Position } from './journalFormat.js';
import { scanJournal } from './journalScan.js';
import { readJournalSnapshot, writeJournalSnapshot } from './journalSnapshot.js';
import { JournalWriter } from './journalWriter.js';
import { RecordIndex, type RecordEntry } from './recordIndex.js';

export interface JournalDocStoreOptions {
  /** The journal's directory; the server passes `${DATA_DIR}/journal`. Created on first write. */
  dir: string;
  /** Per-document logs of the file store (`${DATA_DIR}/docs`), read for documents not yet compacted here. */
  legacyDir: string;
  logger: Logger;
  /** Default 1 MiB, as for the file store (STORE-14). */
  compactAfterBytes?: number;
  /** How long the first append of a batch waits for others before the write starts. Default 5 ms. */
  commitWindowMs?: number;
  /** Size at which a segment is sealed. Default 8 MiB. */
  segmentBytes?: number;
  /** Sealed segments may hold this many bytes before the store compacts what keeps the oldest alive. Default 16 MiB. */
  retainBytes?: number;
  retry?: RetryPolicy;
  io?: FileIo;
  idleCloseMs?: number;
  /**
   * Load only: no maintenance, no clean-up of leftover temporary files, no kept copy of a corrupt
   * segment, appends and compactions refused. For tools and tests that look at a data directory without changing it (a stopped
   * server's, or a running one's: the scan reads only complete records).
   */
  readOnly?: boolean;
}

/**
 * 25 ms: long enough that typing in many documents shares a write (many-docs: ~15 % less server
 * CPU than 5 ms in alternating bench runs; 50 ms saved little more), short enough that nobody sees
 * the Saved mark come later. It delays only the acknowledgement, never the broadcast.
 */
export const DEFAULT_COMMIT_WINDOW_MS = 25;
export const DEFAULT_SEGMENT_BYTES = 8 * 1024 * 1024;
export const DEFAULT_RETAIN_BYTES = 16 * 1024 * 1024;

/** What the store knows about one document (all documents with data, loaded or not). */
interface DocState {
  /** Live records (not covered by the snapshot), in position order; `records.fileBytes` is their size. */
  records: RecordIndex;
  snapshot: { boundary: Position; stateBytes: number } | undefined;
  /** Set when the snapshot could not be read at start-up: the document is not served. */
  broken: DocStoreLoadError | undefined;
  /** The per-document file store's directory still holds this document's older content. */
  legacy: boolean;
  legacyBytes: number;
  compactions: number;
  pending: number;
  lastAppend: Promise<void>;
  /** Serialises loads and compactions of the document. */
  lock: Promise<unknown>;
}

interface Journal {
  writer: JournalWriter;
  docs: Map<string, DocState>;
}

/**
 * The embedded DocStore with one write-ahead journal for all documents (docs/STORAGE.md,
 * "Journal", JOURNAL-1..n). Appends of every document go to the current segment through one
 * writer, so many documents' updates share one write and one sync; per-document snapshots
 * (`compact`) record the journal position they cover. Start-up scans the segments into an
 * in-memory index (document → record locations); a load reads the document's snapshot and its
 * live records. Sealed segments are deleted when no document has live records in them; documents
 * that keep an old segment alive are compacted by the store itself.
 */
export class JournalDocStore implements DocStore {
  private journal: Journal | undefined;
  private opening: Promise<Journal> | undefined;
  private closed = false;
  private readonly io: FileIo;
  private readonly logger: Logger;
  private readonly compactAfterBytes: number;
  private readonly retainBytes: number;
  private readonly failing = new Map<UpdateLog, string>();
  /** Documents named in the current failure streak's log lines. */
  private readonly failingDocIds = new Set<string>();
  private lastError: string | undefined;
  private readonly pendingAppends = new Set<Promise<unknown>>();
  private readonly pendingOther = new Set<Promise<unknown>>();
  private maintaining: Promise<void> | undefined;
  /** Calls made before the journal was open that have not run yet: later calls queue behind them. */
  private waitingForOpen = 0;
  private directoryReady: Promise<void> | undefined;
  private snapshotDirReady: Promise<void> | undefined;

  constructor(private readonly options: JournalDocStoreOptions) {
    this.io = options.io ?? nodeFileIo;
    this.logger = options.logger.child({ component: 'docStore' });
    this.compactAfterBytes = options.compactAfterBytes ?? DEFAULT_COMPACT_AFTER_BYTES;
    this.retainBytes = options.retainBytes ?? DEFAULT_RETAIN_BYTES;
  }

  load(docId: string): Promise<Uint8Array[]> {
    return this.track(this.pendingOther, 'load', docId, (journal) => {
      const doc = this.state(journal, docId);
      return this.exclusive(doc, () => this.read(docId, doc, doc.records.entries()));
    });
  }

  append(docId: string, update: Uint8Array): Promise<void> {
    if (this.options.readOnly) return Promise.reject(new Error('the journal was opened read-only'));
    // The hot path: no promise hop once the journal is open.
    if (this.journal !== undefined && this.waitingForOpen === 0 && !this.closed) {
      try {
        assertValidDocId(docId);
        return this.appendTo(this.journal, docId, update);
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return this.track(this.pendingAppends, 'append', docId, (journal) => this.appendTo(journal, docId, update));
  }

  shouldCompact(docId: string): boolean {
    assertValidDocId(docId);
    const doc = this.journal?.docs.get(docId);
    if (doc === undefined || doc.compactions > 0) return false;
    return doc.records.fileBytes > Math.max(this.compactAfterBytes, doc.snapshot?.stateBytes ?? doc.legacyBytes);
  }

  compact(docId: string, snapshot: Uint8Array): Promise<void> {
    if (this.options.readOnly) return Promise.reject(new Error('the journal was opened read-only'));
    return this.track(this.pendingOther, 'compact', docId, (journal) => {
      const doc = this.state(journal, docId);
      // Synchronously, before any await: every record appended so far is before the boundary.
      const boundary = journal.writer.nextPosition();
      doc.compactions += 1;
      return this.exclusive(doc, async () => {
        try {
          await this.writeSnapshot(journal, docId, doc, boundary, snapshot);
        } finally {
          doc.compactions -= 1;
        }
      });
    });
  }

  unload(docId: string): Promise<void> {
    return this.track(this.pendingOther, 'unload', docId, async (journal) => {
      const doc = journal.docs.get(docId);
      if (doc === undefined) return;
      // The index stays (it is what start-up would rebuild); only wait for what was asked.
      await Promise.allSettled([doc.lastAppend, doc.lock]);
    });
  }

  async flush(): Promise<void> {
    await Promise.allSettled([...this.pendingAppends]);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.pendingAppends, ...this.pendingOther]);
    await this.maintaining;
    const journal = this.journal ?? (await this.opening?.catch(() => undefined));
    if (journal) {
      await journal.writer.idle();
      await journal.writer.close();
    }
  }

  health(): DocStoreHealth {
    if (this.failing.size === 0) return { ok: true, failingDocuments: 0 };
    let failingDocuments = 0;
    for (const doc of this.journal?.docs.values() ?? []) if (doc.pending > 0) failingDocuments++;
    return { ok: false, failingDocuments, ...(this.lastError === undefined ? {} : { lastError: this.lastError }) };
  }

  /**
   * The segment's writer logs the failure once per streak under the journal's name; operators
   * (and HEALTH-2) need the documents whose edits wait: each is named once per streak, at error.
   */
  private reportFailingDocuments(error: unknown): void {
    for (const [docId, doc] of this.journal?.docs ?? []) {
      if (doc.pending === 0 || this.failingDocIds.has(docId)) continue;
      this.failingDocIds.add(docId);
      this.logger.error({ docId, err: error }, 'update log write failed; keeping the updates in memory and retrying');
    }
  }

  private appendTo(journal: Journal, docId: string, update: Uint8Array): Promise<void> {
    const doc = this.state(journal, docId);
    const { record, done } = journal.writer.append(docId, update, () => this.maintainSoon());
    const id = doc.records.push(record.segment, record.offset, record.dataOffset, record.length, update);
    doc.pending += 1;
    const settled = done.then(() => {
      doc.records.durable(id);
      doc.pending -= 1;
    });
    doc.lastAppend = settled;
    this.pendingAppends.add(settled);
    const forget = (): void => void this.pendingAppends.delete(settled);
    settled.then(forget, forget);
    return settled;
  }

  private state(journal: Journal, docId: string): DocState {
    let doc = journal.docs.get(docId);
    if (doc === undefined) {
      doc = { records: new RecordIndex(), snapshot: undefined, broken: undefined, legacy: false, legacyBytes: 0, compactions: 0, pending: 0, lastAppend: Promise.resolve(), lock: Promise.resolve() };
      journal.docs.set(docId, doc);
    }
    return doc;
  }

  private exclusive<T>(doc: DocState, task: () => Promise<T>): Promise<T> {
    const result = doc.lock.then(task);
    doc.lock = result.catch(() => undefined);
    return result;
  }

  /** Snapshot (or the file store's content), then the given live records, in order. */
  private async read(docId: string, doc: DocState, records: RecordEntry[]): Promise<Uint8Array[]> {
    if (doc.broken) throw doc.broken;
    // `records` was copied when the read started, payloads included: a record that becomes
    // durable meanwhile is still taken from memory.
    const payloads = records.map((ref) => ref.payload);
    const updates: Uint8Array[] = [];
    if (doc.snapshot) {
      updates.push((await readJournalSnapshot(this.snapshotDir, docId)).state);
    } else if (doc.legacy) {
      const legacy = await openDocumentFiles(path.join(this.options.legacyDir, docId), docId, this.logger);
      doc.legacyBytes = legacy.updates.reduce((sum, update) => sum + update.byteLength, 0);
      updates.push(...legacy.updates);
    }
    const fromFiles = await this.readRecords(records.filter((_, index) => payloads[index] === undefined), docId);
    records.forEach((ref, index) => updates.push(payloads[index] ?? (fromFiles.get(ref) as Uint8Array)));
    return updates;
  }

  /** One open per segment, one read per run of nearby records (gaps up to 64 kB are read through). */
  private async readRecords(records: RecordEntry[], docId: string): Promise<Map<RecordEntry, Uint8Array>> {
    const found = new Map<RecordEntry, Uint8Array>();
    const bySegment = new Map<number, RecordEntry[]>();
    for (const ref of records) {
      const list = bySegment.get(ref.segment);
      if (list) list.push(ref);
      else bySegment.set(ref.segment, [ref]);
    }
    for (const [segment, refs] of bySegment) {
      const filePath = path.join(this.options.dir, `${segment}.jnl`);
      try {
        const handle = await open(filePath, 'r');
        try {
          for (let start = 0; start < refs.length; ) {
            let end = start + 1;
            const first = refs[start] as RecordEntry;
            let last = first;
            while (end < refs.length && (refs[end] as RecordEntry).dataOffset - (last.dataOffset + last.length) <= 65_536) last = refs[end++] as RecordEntry;
            const from = first.dataOffset;
            const buffer = Buffer.allocUnsafe(last.dataOffset + last.length - from);
            const { bytesRead } = await handle.read(buffer, 0, buffer.length, from);
            if (bytesRead !== buffer.length) throw new Error(`short read at ${from} (${bytesRead} of ${buffer.length} bytes)`);
            for (let i = start; i < end; i++) {
              const ref = refs[i] as RecordEntry;
              found.set(ref, buffer.subarray(ref.dataOffset - from, ref.dataOffset - from + ref.length));
            }
            start = end;
          }
        } finally {
          await handle.close();
        }
      } catch (error) {
        throw new DocStoreLoadError(docId, `cannot read journal segment ${filePath}: ${String(error)}`, { cause: error });
      }
    }
    return found;
  }

  private get snapshotDir(): string {
    return path.join(this.options.dir, SNAPSHOT_DIR);
  }

  /**
   * JOURNAL-4: the snapshot is durable (temp, fsync, rename, directory fsync) before anything it
   * covers is forgotten; then the covered records leave the index, the file store's directory of
   * the document is deleted, and segments left without live records are deleted.
   */
  private async writeSnapshot(journal: Journal, docId: string, doc: DocState, boundary: Position, state: Uint8Array): Promise<void> {
    try {
      await this.prepareDirectory();
      this.snapshotDirReady ??= ensureDirectory(this.io, this.snapshotDir).catch((error: unknown) => {
        this.snapshotDirReady = undefined;
        throw error;
      });
      await this.snapshotDirReady;
      await writeJournalSnapshot(this.io, this.snapshotDir, docId, boundary, state);
    } catch (error) {
      this.logger.error({ docId, err: error }, 'compaction failed; keeping the journal records');
      throw error;
    }
    doc.snapshot = { boundary, stateBytes: state.byteLength };
    doc.broken = undefined;
    doc.records.dropBefore(boundary, (segmentNumber) => {
      const segment = journal.writer.segments.get(segmentNumber);
      if (segment) segment.live -= 1;
    });
    if (doc.legacy) {
      doc.legacy = false;
      await rm(path.join(this.options.legacyDir, docId), { recursive: true, force: true }).catch((error: unknown) =>
        this.logger.warn({ docId, err: error }, 'could not delete the superseded document directory'),
      );
    }
    await journal.writer.collect();
  }

  private prepareDirectory(): Promise<void> {
    this.directoryReady ??= ensureDirectory(this.io, this.options.dir).catch((error: unknown) => {
      this.directoryReady = undefined;
      throw error;
    });
    return this.directoryReady;
  }

  /**
   * JOURNAL-5: while sealed segments hold more than `retainBytes`, the documents with live records
   * in the oldest are compacted by the store (snapshot + records merged with Y.mergeUpdates), one
   * at a time and after the current event-loop turn, so the journal stays bounded even for
   * documents nobody edits any more.
   */
  private maintainSoon(): void {
    if (this.maintaining || this.closed || this.options.readOnly) return;
    this.maintaining = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.maintain())
      .catch((error: unknown) => this.logger.error({ err: error }, 'retiring old journal segments failed; retrying after the next roll-over'))
      .finally(() => (this.maintaining = undefined));
  }

  private async maintain(): Promise<void> {
    const journal = this.journal;
    if (journal === undefined) return;
    await journal.writer.collect();
    for (;;) {
      const sealed = journal.writer.sealed();
      const oldest = sealed[0];
      if (this.closed || oldest === undefined || sealed.reduce((sum, info) => sum + info.bytes, 0) <= this.retainBytes) return;
      const holders = [...journal.docs.entries()].filter(([, doc]) => doc.records.firstSegment() === oldest.segment);
      if (holders.length === 0 && oldest.live > 0) throw new Error(`segment ${oldest.segment} has live records but no document holds them`);
      for (const [docId, doc] of holders) {
        if (this.closed) return;
        await this.exclusive(doc, async () => {
          const boundary = journal.writer.nextPosition();
          const updates = await this.read(docId, doc, doc.records.entries());
          doc.compactions += 1;
          try {
            await this.writeSnapshot(journal, docId, doc, boundary, Y.mergeUpdates(updates));
          } finally {
            doc.compactions -= 1;
          }
        });
      }
      await journal.writer.collect();
      if (journal.writer.segments.has(oldest.segment)) return; // still being written to; try after the next roll-over
    }
  }

  private openJournal(): Promise<Journal> {
    this.opening ??= this.scan().then(
      (journal) => {
        this.journal = journal;
        this.maintainSoon();
        return journal;
      },
      (error: unknown) => {
        this.opening = undefined; // the next call reads the files again (an operator may have fixed them)
        throw error;
      },
    );
    return this.opening;
  }

  private async scan(): Promise<Journal> {
    const scanned = await scanJournal(this.options.dir, this.options.legacyDir, this.logger, { readOnly: this.options.readOnly === true });
    const writer = new JournalWriter({
      dir: this.options.dir,
      io: this.io,
      logger: this.logger,
      retry: this.options.retry ?? DEFAULT_RETRY,
      health: {
        failing: (log, error) => {
          this.failing.set(log, log.docId);
          this.lastError = error instanceof Error ? error.message : String(error);
          this.reportFailingDocuments(error);
        },
        recovered: (log) => {
          this.failing.delete(log);
          if (this.failing.size > 0) return;
          for (const docId of this.failingDocIds) this.logger.info({ docId }, 'update log writes recovered');
          this.failingDocIds.clear();
        },
      },
      segmentBytes: this.options.segmentBytes ?? DEFAULT_SEGMENT_BYTES,
      commitWindowMs: this.options.commitWindowMs ?? DEFAULT_COMMIT_WINDOW_MS,
      ...(this.options.idleCloseMs === undefined ? {} : { idleCloseMs: this.options.idleCloseMs }),
      firstSegment: scanned.maxSegment + 1,
      prepareDirectory: () => this.prepareDirectory(),
    });
    const journal: Journal = { writer, docs: new Map() };
    for (const [docId, snapshot] of scanned.snapshots) {
      const doc = this.state(journal, docId);
      if (snapshot instanceof DocStoreLoadError) doc.broken = snapshot;
      else doc.snapshot = snapshot;
    }
    // The file store's directory is ignored once the journal has a snapshot of the document.
    for (const docId of scanned.legacy) {
      const doc = this.state(journal, docId);
      if (doc.snapshot === undefined && doc.broken === undefined) doc.legacy = true;
    }
    for (const segment of scanned.segments) {
      const info = writer.addSealed(segment.segment, segment.bytes);
      for (const record of segment.records) {
        const doc = this.state(journal, record.docId);
        if (doc.snapshot && isBefore(record, doc.snapshot.boundary)) continue;
        doc.records.push(record.segment, record.offset, record.dataOffset, record.length);
        info.live += 1;
      }
    }
    return journal;
  }

  private track<T>(set: Set<Promise<unknown>>, operation: string, docId: string, run: (journal: Journal) => Promise<T>): Promise<T> {
    let result: Promise<T>;
    try {
      assertValidDocId(docId);
      if (this.closed) throw new DocStoreClosedError(operation);
      if (this.journal && this.waitingForOpen === 0) result = run(this.journal);
      else {
        this.waitingForOpen += 1;
        result = this.openJournal().then(
          (journal) => {
            this.waitingForOpen -= 1;
            return run(journal);
          },
          (error: unknown) => {
            this.waitingForOpen -= 1;
            throw error;
          },
        );
      }
    } catch (error) {
      result = Promise.reject(error);
    }
    set.add(result);
    const forget = (): void => void set.delete(result);
    result.then(forget, forget);
    return result;
  }
}
