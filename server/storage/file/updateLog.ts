import { open, type FileHandle } from 'node:fs/promises';
import type { Logger } from '../../logger.js';
import { writeAll, type FileIo } from './fileIo.js';
import { MAX_RECORD_BYTES, RECORD_PREFIX_SIZE, encodeHeader, encodeRecordPrefix } from './recordCodec.js';

export interface RetryPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
}

/** Where a log reports write-failure streaks, so the store can answer `health()`. */
export interface WriteHealthSink {
  failing(log: UpdateLog, error: unknown): void;
  recovered(log: UpdateLog): void;
}

export interface UpdateLogOptions {
  docId: string;
  generation: number;
  filePath: string;
  /** The directory holding the file, fsync'd after the file is created. */
  dirPath: string;
  io: FileIo;
  logger: Logger;
  retry: RetryPolicy;
  health: WriteHealthSink;
  /** Set when the file exists: its verified prefix length and its actual length. */
  existing?: { goodLength: number; fileLength: number };
  /** Creates the document directory before the file is first created. */
  prepareDirectory: () => Promise<void>;
}

/** Records waiting for the same write + fsync; they all settle together. */
class Batch {
  /** Alternating record prefix and payload, ready for one writev. */
  readonly chunks: Uint8Array[] = [];
  bytes = 0;
  private resolveDone!: () => void;
  readonly done = new Promise<void>((resolve) => (this.resolveDone = resolve));

  add(update: Uint8Array): void {
    this.chunks.push(encodeRecordPrefix(update), update);
    this.bytes += RECORD_PREFIX_SIZE + update.byteLength;
  }

  payloads(): Uint8Array[] {
    return this.chunks.filter((_, index) => index % 2 === 1);
  }

  settle(): void {
    this.resolveDone();
  }
}

/**
 * One generation of one document's append-only log, with group commit (STORE-7): at most one
 * write + fsync is in flight; everything appended meanwhile waits in `queue` and goes out as the
 * next single writev + fsync. A failed attempt keeps the batch, truncates the file back to the
 * last durable length and retries with backoff (STORE-8), so the file never holds a record twice
 * or out of order. The file handle is held only while there is something to write, so idle
 * documents cost no descriptor.
 */
export class UpdateLog {
  readonly docId: string;
  readonly generation: number;
  readonly filePath: string;
  private queue = new Batch();
  private inflight: Batch | undefined;
  private durable: number;
  private fileExists: boolean;
  /** The file may hold bytes past `durable` (torn tail, failed write) that must go first. */
  private needsTruncate: boolean;
  private needsDirectorySync = false;
  private pumping: Promise<void> | undefined;
  private retired = false;
  private failures = 0;
  private wake: (() => void) | undefined;

  constructor(private readonly options: UpdateLogOptions) {
    this.docId = options.docId;
    this.generation = options.generation;
    this.filePath = options.filePath;
    this.durable = options.existing?.goodLength ?? 0;
    this.fileExists = options.existing !== undefined;
    this.needsTruncate = options.existing !== undefined && options.existing.fileLength > this.durable;
  }

  /** Bytes of this log, durable or pending: what compaction would reclaim. */
  get size(): number {
    return this.durable + (this.inflight?.bytes ?? 0) + this.queue.bytes;
  }

  get durableLength(): number {
    return this.durable;
  }

  get hasPending(): boolean {
    return this.inflight !== undefined || this.queue.bytes > 0;
  }

  /** Payloads accepted but not yet durable, in append order. */
  unsynced(): Uint8Array[] {
    return [...(this.inflight?.payloads() ?? []), ...this.queue.payloads()];
  }

  /**
   * Keeps a reference to `update` (no copy) until it is durable; callers hand over fresh Yjs
   * updates and never mutate them.
   */
  append(update: Uint8Array): Promise<void> {
    if (this.retired) return Promise.reject(new Error(`update log ${this.filePath} is retired`));
    if (update.byteLength > MAX_RECORD_BYTES) {
      return Promise.reject(new RangeError(`update of ${update.byteLength} bytes exceeds ${MAX_RECORD_BYTES}`));
    }
    const batch = this.queue;
    batch.add(update);
    // Start on a microtask, not now: appends made in the same tick then share the first fsync.
    this.pumping ??= Promise.resolve().then(() => this.pump());
    return batch.done;
  }

  /** Resolves when everything appended so far is durable (or covered by a snapshot). */
  idle(): Promise<void> {
    if (this.queue.bytes > 0) return this.queue.done;
    return this.inflight?.done ?? Promise.resolve();
  }

  /**
   * Called once a snapshot covering every record of this log is durable: pending records need no
   * write any more, so their appends resolve and a failing retry loop stops.
   */
  async retire(): Promise<void> {
    this.retired = true;
    this.wake?.();
    await this.pumping;
    this.inflight?.settle();
    this.queue.settle();
    if (this.failures > 0) this.options.health.recovered(this);
  }

  private async pump(): Promise<void> {
    let handle: FileHandle | undefined;
    try {
      while (!this.retired && this.queue.bytes > 0) {
        const batch = this.queue;
        this.queue = new Batch();
        this.inflight = batch;
        handle = await this.writeDurably(batch, handle);
        if (this.retired) return; // retire() settles the batches
        this.inflight = undefined;
        batch.settle();
      }
    } finally {
      this.pumping = undefined;
      await handle?.close().catch(() => undefined);
    }
  }

  /** Retries until `batch` is durable or the log is retired; never throws. */
  private async writeDurably(batch: Batch, current: FileHandle | undefined): Promise<FileHandle | undefined> {
    let handle = current;
    for (;;) {
      try {
        handle ??= await this.openFile();
        await this.writeBatch(handle, batch);
        if (this.failures > 0) {
          this.options.logger.info({ docId: this.options.docId, file: this.filePath, attempts: this.failures + 1 }, 'update log writes recovered');
          this.options.health.recovered(this);
          this.failures = 0;
        }
        return handle;
      } catch (error) {
        // Whatever reached the file in the failed attempt is not trusted: cut it off and reopen.
        this.needsTruncate = true;
        await handle?.close().catch(() => undefined);
        handle = undefined;
        this.failures += 1;
        if (this.failures === 1) {
          this.options.logger.error(
            { docId: this.options.docId, file: this.filePath, err: error },
            'update log write failed; keeping the updates in memory and retrying',
          );
        }
        this.options.health.failing(this, error);
        if (this.retired) return undefined;
        const { initialDelayMs, maxDelayMs } = this.options.retry;
        await this.sleep(Math.min(maxDelayMs, initialDelayMs * 2 ** Math.min(this.failures - 1, 30)));
        if (this.retired) return undefined;
      }
    }
  }

  private async openFile(): Promise<FileHandle> {
    if (this.fileExists) return open(this.filePath, 'r+');
    await this.options.prepareDirectory();
    // 'wx': this generation's file was proven absent when the document was opened.
    const handle = await open(this.filePath, 'wx');
    this.fileExists = true;
    return handle;
  }

  private async writeBatch(handle: FileHandle, batch: Batch): Promise<void> {
    const { io } = this.options;
    if (this.needsTruncate) {
      await handle.truncate(this.durable);
      this.needsTruncate = false;
    }
    let chunks: readonly Uint8Array[] = batch.chunks;
    if (this.durable === 0) {
      chunks = [encodeHeader('log', this.generation), ...chunks];
      // A file whose header is being (re)written may be new: its directory entry must be durable too.
      this.needsDirectorySync = true;
    }
    const written = await writeAll(io, handle, this.filePath, chunks, this.durable);
    await io.sync(handle, this.filePath);
    if (this.needsDirectorySync) {
      await io.syncDirectory(this.options.dirPath);
      this.needsDirectorySync = false;
    }
    this.durable += written;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
