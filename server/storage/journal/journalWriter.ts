import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../logger.js';
import type { FileIo } from '../file/fileIo.js';
import { MAX_RECORD_BYTES, RECORD_PREFIX_SIZE } from '../file/recordCodec.js';
import { UpdateLog, type RetryPolicy, type WriteHealthSink } from '../file/updateLog.js';
import { encodeDeclaration, encodeUpdate, segmentFileName, type Position } from './journalFormat.js';

export interface JournalWriterOptions {
  dir: string;
  io: FileIo;
  logger: Logger;
  retry: RetryPolicy;
  health: WriteHealthSink;
  /** A segment is sealed, and appends go to a new one, once it holds this many bytes. */
  segmentBytes: number;
  commitWindowMs: number;
  idleCloseMs?: number;
  /** The first segment number this process may create (greater than any on disk or referenced). */
  firstSegment: number;
  prepareDirectory: () => Promise<void>;
}

/** Where one appended update lives. */
export interface AppendedRecord {
  segment: number;
  /** Offset of the record (its length prefix) in the segment: orders records. */
  offset: number;
  /** Offset and length of the Yjs update inside the file. */
  dataOffset: number;
  length: number;
}

/** A segment file: sealed ones were read at start-up or filled in this process. */
export interface SegmentInfo {
  segment: number;
  bytes: number;
  /** Update records in it that no snapshot covers yet; at 0 (and idle) the file is deleted. */
  live: number;
  log?: UpdateLog;
  /** Document numbers of this segment (only for the segment being written). */
  numbers?: Map<string, number>;
}

/**
 * The single writer of the journal (JOURNAL-2): every document appends to the current segment,
 * one UpdateLog (group commit, O_DSYNC writev, retry with truncation) whose batches gather the
 * appends of every document that arrive within the commit window or while a write is in flight.
 * Record positions are assigned synchronously at append time, which is what lets a compaction
 * name the boundary it covers before awaiting anything.
 */
export class JournalWriter {
  readonly segments = new Map<number, SegmentInfo>();
  private current: SegmentInfo | undefined;
  private nextSegment: number;
  /** Segments sealed in this process that may still have writes in flight. */
  private sealedWriting: SegmentInfo[] = [];

  constructor(private readonly options: JournalWriterOptions) {
    this.nextSegment = options.firstSegment;
  }

  /** Registers a segment found on disk (never written to again: a restart starts a new one). */
  addSealed(segment: number, bytes: number): SegmentInfo {
    const info: SegmentInfo = { segment, bytes, live: 0 };
    this.segments.set(segment, info);
    return info;
  }

  /** Everything appended from now on is at or after this position (a compaction's boundary). */
  nextPosition(): Position {
    if (this.current?.log === undefined) return { segment: this.nextSegment, offset: 0 };
    return { segment: this.current.segment, offset: this.current.log.nextRecordOffset };
  }

  append(docId: string, update: Uint8Array, onRollOver: () => void): { record: AppendedRecord; done: Promise<void> } {
    // Refused before anything is queued or indexed (the tag and a declaration need a few bytes).
    if (update.byteLength > MAX_RECORD_BYTES - 16) throw new RangeError(`update of ${update.byteLength} bytes exceeds the journal's record limit`);
    const current = this.openCurrent();
    const log = current.log as UpdateLog;
    const numbers = current.numbers as Map<string, number>;
    let docNumber = numbers.get(docId);
    if (docNumber === undefined) {
      docNumber = numbers.size + 1;
      numbers.set(docId, docNumber);
      void log.append(encodeDeclaration(docId)); // settles with the update below, in the same or an earlier batch
    }
    const { payload, tagLength } = encodeUpdate(docNumber, update);
    const offset = log.nextRecordOffset;
    const own = log.append(payload);
    const record: AppendedRecord = { segment: current.segment, offset, dataOffset: offset + RECORD_PREFIX_SIZE + tagLength, length: update.byteLength };
    current.live += 1;
    current.bytes = log.nextRecordOffset;
    // STORE-13 across segments: a record is not acknowledged before older segments are durable.
    // Only segments sealed by this process can have pending writes (usually none).
    if (this.sealedWriting.length > 0) this.sealedWriting = this.sealedWriting.filter((info) => info.log?.hasPending);
    const done = this.sealedWriting.length === 0 ? own : Promise.all([own, ...this.sealedWriting.map((info) => (info.log as UpdateLog).idle())]).then(() => undefined);
    if (log.size >= this.options.segmentBytes) {
      this.sealedWriting.push(current);
      this.current = undefined;
      onRollOver();
    }
    return { record, done };
  }

  isCurrent(segment: number): boolean {
    return this.current?.segment === segment;
  }

  /** Resolves once every append so far is durable. */
  async idle(): Promise<void> {
    await Promise.all([...this.segments.values()].map((info) => info.log?.idle()));
  }

  /** Deletes sealed segments that hold no live record and have nothing left to write (JOURNAL-5). */
  async collect(): Promise<void> {
    for (const info of [...this.segments.values()]) {
      if (info === this.current || info.live > 0 || info.log?.hasPending) continue;
      this.segments.delete(info.segment);
      await info.log?.close();
      const filePath = path.join(this.options.dir, segmentFileName(info.segment));
      await rm(filePath, { force: true }).catch((error: unknown) =>
        this.options.logger.warn({ file: filePath, err: error }, 'could not delete a retired journal segment'),
      );
    }
  }

  /** Sealed segments, oldest first. */
  sealed(): SegmentInfo[] {
    return [...this.segments.values()].filter((info) => info !== this.current).sort((a, b) => a.segment - b.segment);
  }

  async close(): Promise<void> {
    await Promise.all([...this.segments.values()].map((info) => info.log?.close()));
  }

  private openCurrent(): SegmentInfo {
    if (this.current) return this.current;
    const segment = this.nextSegment++;
    const { dir, io, logger, retry, health, idleCloseMs, commitWindowMs, prepareDirectory } = this.options;
    const log = new UpdateLog({
      docId: 'journal',
      generation: segment,
      filePath: path.join(dir, segmentFileName(segment)),
      dirPath: dir,
      io,
      logger,
      retry,
      health,
      prepareDirectory,
      kind: 'journal',
      commitWindowMs,
      ...(idleCloseMs === undefined ? {} : { idleCloseMs }),
    });
    const info: SegmentInfo = { segment, bytes: 0, live: 0, log, numbers: new Map() };
    this.segments.set(segment, info);
    this.current = info;
    return info;
  }
}
