import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { Logger } from '../../logger.js';
import { writeAll, type FileIo } from './fileIo.js';
import { HEADER_SIZE, MAX_RECORD_BYTES, RECORD_PREFIX_SIZE, encodeHeader, encodeRecordPrefix, type FileKind } from './recordCodec.js';

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
  /** The file handle is closed after this long without a write (default IDLE_CLOSE_MS). */
  idleCloseMs?: number;
  /** Header magic of the file: `log` (a document's log, the default) or `journal` (a segment). */
  kind?: FileKind;
  /**
   * How long a batch waits for more appends before its write starts (default 0: the next
   * microtask). The shared journal uses it so that appends of many documents share one write.
   */
  commitWindowMs?: number;
}

/**
 * How long a log keeps its file open after its last write. Opening and closing per batch cost
 * two thread-pool round trips per update (≈ a third of the storage CPU at typing rates); holding
 * the descriptor for a while costs nothing, and closing it eventually keeps the number of open
 * files bounded by the documents written recently, not by the documents loaded.
 */
export const IDLE_CLOSE_MS = 10_000;

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
 * or out of order. The file stays open between batches and is closed once the log has been idle
 * for `idleCloseMs`, or by `close()`/`retire()`.
 *
 * Where the platform has O_DSYNC (FileIo.syncOnWriteFlags) the file is opened with it, and the
 * writev that carries a batch is also its fsync: one system call and one thread-pool job per
 * batch. After a truncation (recovery from a failed write or a torn tail) an explicit fdatasync
 * follows as well, so the shortened length is durable too.
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
  private handle: FileHandle | undefined;
  private lastWriteAt = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly idleCloseMs: number;

  constructor(private readonly options: UpdateLogOptions) {
    this.docId = options.docId;
    this.generation = options.generation;
    this.filePath = options.filePath;
    this.durable = options.existing?.goodLength ?? 0;
    this.fileExists = options.existing !== undefined;
    this.needsTruncate = options.existing !== undefined && options.existing.fileLength > this.durable;
    this.idleCloseMs = options.idleCloseMs ?? IDLE_CLOSE_MS;
  }

  /** True while the log holds an open file handle (for tests and diagnostics). */
  get isOpen(): boolean {
    return this.handle !== undefined;
  }

  /** Bytes of this log, durable or pending: what compaction would reclaim. */
  get size(): number {
    return this.durable + (this.inflight?.bytes ?? 0) + this.queue.bytes;
  }

  /**
   * The file offset the next appended record will start at: records are written in append order
   * right after the header, and a failed write is rewritten at the same offset (STORE-8).
   */
  get nextRecordOffset(): number {
    return (this.durable === 0 ? HEADER_SIZE : 0) + this.size;
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
    const windowMs = this.options.commitWindowMs ?? 0;
    this.pumping ??= (windowMs > 0 ? new Promise<void>((resolve) => setTimeout(resolve, windowMs)) : Promise.resolve()).then(() => this.pump());
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
    await this.closeHandle();
  }

  /**
   * Waits until everything appended so far is durable, then releases the file handle (the
   * document is being unloaded or the store closed). A later append would simply reopen it.
   */
  async close(): Promise<void> {
    while (this.pumping) await this.pumping;
    await this.closeHandle();
  }

  private async pump(): Promise<void> {
    try {
      while (!this.retired && this.queue.bytes > 0) {
        const batch = this.queue;
        this.queue = new Batch();
        this.inflight = batch;
        await this.writeDurably(batch);
        if (this.retired) return; // retire() settles the batches
        this.inflight = undefined;
        batch.settle();
      }
    } finally {
      this.pumping = undefined;
      this.lastWriteAt = Date.now();
      this.armIdleClose();
    }
  }

  /** One timer per idle period, not per batch: it re-arms itself while writes keep coming. */
  private armIdleClose(): void {
    if (this.idleTimer !== undefined || this.handle === undefined || this.retired) return;
    this.idleTimer = setTimeout(this.onIdleTimer, this.idleCloseMs);
    this.idleTimer.unref();
  }

  private readonly onIdleTimer = (): void => {
    this.idleTimer = undefined;
    if (this.handle === undefined) return;
    const idleFor = Date.now() - this.lastWriteAt;
    if (this.pumping !== undefined || idleFor < this.idleCloseMs) {
      this.idleTimer = setTimeout(this.onIdleTimer, Math.max(1, this.idleCloseMs - idleFor));
      this.idleTimer.unref();
      return;
    }
    void this.closeHandle();
  };

  /** Forgets the handle synchronously (a pump starting next opens a fresh one), then closes it. */
  private async closeHandle(): Promise<void> {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => undefined);
  }

  /** Retries until `batch` is durable or the log is retired; never throws. */
  private async writeDurably(batch: Batch): Promise<void> {
    for (;;) {
      try {
        this.handle ??= await this.openFile();
        await this.writeBatch(this.handle, batch);
        if (this.failures > 0) {
          this.options.logger.info({ docId: this.options.docId, file: this.filePath, attempts: this.failures + 1 }, 'update log writes recovered');
          this.options.health.recovered(this);
          this.failures = 0;
        }
        return;
      } catch (error) {
        // Whatever reached the file in the failed attempt is not trusted: cut it off and reopen.
        this.needsTruncate = true;
        await this.closeHandle();
        this.failures += 1;
        if (this.failures === 1) {
          this.options.logger.error(
            { docId: this.options.docId, file: this.filePath, err: error },
            'update log write failed; keeping the updates in memory and retrying',
          );
        }
        this.options.health.failing(this, error);
        if (this.retired) return;
        const { initialDelayMs, maxDelayMs } = this.options.retry;
        await this.sleep(Math.min(maxDelayMs, initialDelayMs * 2 ** Math.min(this.failures - 1, 30)));
        if (this.retired) return;
      }
    }
  }

  private async openFile(): Promise<FileHandle> {
    const extra = this.options.io.syncOnWriteFlags ?? 0;
    if (this.fileExists) return open(this.filePath, constants.O_RDWR | extra);
    await this.options.prepareDirectory();
    // O_EXCL ('wx'): this generation's file was proven absent when the document was opened.
    const handle = await open(this.filePath, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | extra, 0o666);
    this.fileExists = true;
    return handle;
  }

  private async writeBatch(handle: FileHandle, batch: Batch): Promise<void> {
    const { io } = this.options;
    // With O_DSYNC the writev below is durable on return, except that a truncation before it is
    // not covered: then the explicit fdatasync runs as well.
    let syncNeeded = io.syncOnWriteFlags === undefined;
    if (this.needsTruncate) {
      await handle.truncate(this.durable);
      this.needsTruncate = false;
      syncNeeded = true;
    }
    let chunks: readonly Uint8Array[] = batch.chunks;
    if (this.durable === 0) {
      chunks = [encodeHeader(this.options.kind ?? 'log', this.generation), ...chunks];
      // A file whose header is being (re)written may be new: its directory entry must be durable too.
      this.needsDirectorySync = true;
    }
    const written = await writeAll(io, handle, this.filePath, chunks, this.durable);
    if (syncNeeded) await io.sync(handle, this.filePath);
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
