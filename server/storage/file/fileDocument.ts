import path from 'node:path';
import type { Logger } from '../../logger.js';
import { docDirectory, listDocDirectory, logFileName } from './docDirectory.js';
import { openDocumentFiles, removeSuperseded, type OpenedLog } from './docLoader.js';
import { ensureDirectory, type FileIo } from './fileIo.js';
import { readLogFile } from './logReader.js';
import { readSnapshotFile, writeSnapshotFile } from './snapshotFile.js';
import { UpdateLog, type RetryPolicy, type WriteHealthSink } from './updateLog.js';

export interface DocumentContext {
  root: string;
  io: FileIo;
  logger: Logger;
  retry: RetryPolicy;
  health: WriteHealthSink;
  /** How long an idle log keeps its file open (UpdateLog's IDLE_CLOSE_MS by default). */
  idleCloseMs?: number;
}

/**
 * One open document: its live logs (ascending generation; appends go to the last) and its
 * snapshot generation. Generations make compaction crash-safe (STORE-9, STORE-10): snapshot G
 * holds everything appended to logs older than G, so load = newest snapshot + logs >= it.
 */
export class FileDocument {
  private logs: UpdateLog[];
  private snapshotGeneration: number | undefined;
  /** Payload bytes of the newest snapshot: compaction waits until the logs outgrow it. */
  private snapshotBytes: number;
  private compactions = 0;
  /** Serialises compaction and reads of the files, which must not see a half-done compaction. */
  private lock: Promise<unknown> = Promise.resolve();
  private directoryReady: Promise<void> | undefined;

  private constructor(
    private readonly context: DocumentContext,
    private readonly docId: string,
    private readonly dir: string,
    snapshotGeneration: number | undefined,
    snapshotBytes: number,
    opened: OpenedLog[],
  ) {
    this.snapshotGeneration = snapshotGeneration;
    this.snapshotBytes = snapshotBytes;
    this.logs = opened.map((log) => this.createLog(log.generation, log));
    const last = this.logs.at(-1);
    if (last === undefined || last.generation < (snapshotGeneration ?? 0)) {
      this.logs.push(this.createLog(snapshotGeneration ?? 0));
    }
  }

  static async open(context: DocumentContext, docId: string): Promise<{ document: FileDocument; updates: Uint8Array[] }> {
    const dir = docDirectory(context.root, docId);
    const opened = await openDocumentFiles(dir, docId, context.logger);
    const snapshotBytes = opened.snapshotGeneration === undefined ? 0 : (opened.updates[0]?.byteLength ?? 0);
    const document = new FileDocument(context, docId, dir, opened.snapshotGeneration, snapshotBytes, opened.logs);
    return { document, updates: opened.updates };
  }

  private get current(): UpdateLog {
    const log = this.logs.at(-1);
    if (log === undefined) throw new Error('a document always has a current log');
    return log;
  }

  /**
   * A record must not be acknowledged before the records appended ahead of it are durable
   * (STORE-13). Within one log batches go out in order; across generations (during or after a
   * failed compaction) the older logs are awaited explicitly.
   */
  append(update: Uint8Array): Promise<void> {
    const own = this.current.append(update);
    if (this.logs.length === 1) return own;
    const older = this.logs.slice(0, -1).filter((log) => log.hasPending);
    if (older.length === 0) return own;
    return Promise.all([own, ...older.map((log) => log.idle())]).then(() => undefined);
  }

  /**
   * True once the live logs exceed both the threshold and the newest snapshot. A compaction
   * writes the whole document; waiting until at least as many log bytes have accumulated bounds
   * the bytes written per byte of update at about 2 (log + snapshot), even for large documents
   * (STORE-14), where a fixed threshold would rewrite a 3 MB document every 1 MiB of typing.
   */
  shouldCompact(thresholdBytes: number): boolean {
    if (this.compactions > 0) return false;
    return this.logs.reduce((sum, log) => sum + log.size, 0) > Math.max(thresholdBytes, this.snapshotBytes);
  }

  /**
   * The switch to a new generation happens synchronously, before the first await: every append
   * after this call lands in the new log, which the snapshot does not replace.
   */
  compact(snapshot: Uint8Array): Promise<void> {
    const generation = this.current.generation + 1;
    this.logs.push(this.createLog(generation));
    this.compactions += 1;
    return this.exclusive(async () => {
      try {
        await this.prepareDirectory();
        await writeSnapshotFile(this.context.io, this.dir, generation, snapshot);
      } catch (error) {
        // STORE-11: older logs stay live and readable; the next compact() call tries again.
        this.context.logger.error({ docId: this.docId, generation, err: error }, 'compaction failed; keeping the update logs');
        throw error;
      } finally {
        this.compactions -= 1;
      }
      this.snapshotGeneration = generation;
      this.snapshotBytes = snapshot.byteLength;
      const superseded = this.logs.filter((log) => log.generation < generation);
      this.logs = this.logs.filter((log) => log.generation >= generation);
      await Promise.all(superseded.map((log) => log.retire()));
      await this.removeSuperseded(generation);
    });
  }

  /**
   * Everything appended so far: the durable prefix of each file (bounded, so concurrent appends
   * are not mistaken for a torn tail) followed by that log's not-yet-durable records.
   */
  read(): Promise<Uint8Array[]> {
    return this.exclusive(async () => {
      const snapshotGeneration = this.snapshotGeneration;
      const views = this.logs.map((log) => ({ log, durable: log.durableLength, unsynced: log.unsynced() }));
      const updates: Uint8Array[] = [];
      if (snapshotGeneration !== undefined) updates.push(await readSnapshotFile(this.dir, snapshotGeneration, this.docId));
      for (const { log, durable, unsynced } of views) {
        if (durable > 0) {
          const contents = await readLogFile(log.filePath, log.generation, this.docId, this.context.logger, durable);
          for (const record of contents.records) updates.push(record);
        }
        for (const record of unsynced) updates.push(record);
      }
      return updates;
    });
  }

  /** Waits for pending appends and a running compaction, then releases the logs' file handles. */
  async close(): Promise<void> {
    await Promise.all(this.logs.map((log) => log.idle()));
    await this.lock;
    await Promise.all(this.logs.map((log) => log.close()));
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = this.lock.then(task);
    this.lock = result.catch(() => undefined);
    return result;
  }

  private createLog(generation: number, existing?: OpenedLog): UpdateLog {
    return new UpdateLog({
      docId: this.docId,
      generation,
      filePath: path.join(this.dir, logFileName(generation)),
      dirPath: this.dir,
      io: this.context.io,
      logger: this.context.logger,
      retry: this.context.retry,
      health: this.context.health,
      idleCloseMs: this.context.idleCloseMs,
      existing,
      prepareDirectory: () => this.prepareDirectory(),
    });
  }

  /** Memoised on success only, so a failed mkdir/fsync is retried by the next write. */
  private prepareDirectory(): Promise<void> {
    this.directoryReady ??= ensureDirectory(this.context.io, this.dir).catch((error: unknown) => {
      this.directoryReady = undefined;
      throw error;
    });
    return this.directoryReady;
  }

  private async removeSuperseded(generation: number): Promise<void> {
    try {
      const listing = await listDocDirectory(this.dir);
      if (listing) await removeSuperseded(this.dir, this.docId, listing, generation, this.context.logger);
    } catch (error) {
      this.context.logger.warn({ docId: this.docId, err: error }, 'could not list superseded files');
    }
  }
}
