import { isBefore, type Position } from './journalFormat.js';

/** One live record as a read needs it; built only for the document being read. */
export interface RecordEntry {
  segment: number;
  offset: number;
  dataOffset: number;
  length: number;
  /** The update itself while it is not durable yet (the file does not have it). */
  payload: Uint8Array | undefined;
}

const FIELDS = 4;

/**
 * The live records of one document, in position order, packed four 32-bit numbers per record
 * (segment, record offset, update offset, update length): 16 bytes each instead of an object of
 * ~80, because the index covers every document with records in the journal, loaded or not.
 * Records are appended at the end and covered ones leave from the front (compaction).
 */
export class RecordIndex {
  private data = new Uint32Array(8 * FIELDS);
  /** Index (in records) of the first live record in `data`, and one past the last. */
  private head = 0;
  private tail = 0;
  /** Record id of data[0]: ids stay stable while the array is compacted. */
  private base = 0;
  /** Updates not yet durable, by record id. */
  private readonly pending = new Map<number, Uint8Array>();
  /** Bytes these records take in the segments (prefix, tag and update). */
  fileBytes = 0;

  get length(): number {
    return this.tail - this.head;
  }

  /** Segment of the oldest live record, or undefined when there is none. */
  firstSegment(): number | undefined {
    return this.length === 0 ? undefined : this.data[this.head * FIELDS];
  }

  /** Adds a record at the end; returns its id (for `durable`). */
  push(segment: number, offset: number, dataOffset: number, length: number, payload?: Uint8Array): number {
    if (this.tail * FIELDS === this.data.length) this.makeRoom();
    const at = this.tail * FIELDS;
    this.data[at] = segment;
    this.data[at + 1] = offset;
    this.data[at + 2] = dataOffset;
    this.data[at + 3] = length;
    const id = this.base + this.tail++;
    if (payload) this.pending.set(id, payload);
    this.fileBytes += dataOffset - offset + length;
    return id;
  }

  /** The record is on disk now: a read takes it from the file. */
  durable(id: number): void {
    this.pending.delete(id);
  }

  /** A copy of the live records (with the payloads of those not yet durable), oldest first. */
  entries(): RecordEntry[] {
    const entries: RecordEntry[] = [];
    for (let index = this.head; index < this.tail; index++) {
      const at = index * FIELDS;
      entries.push({
        segment: this.data[at] as number,
        offset: this.data[at + 1] as number,
        dataOffset: this.data[at + 2] as number,
        length: this.data[at + 3] as number,
        payload: this.pending.get(this.base + index),
      });
    }
    return entries;
  }

  /** Drops the records before `boundary` (a snapshot covers them), reporting each one's segment. */
  dropBefore(boundary: Position, dropped: (segment: number) => void): void {
    while (this.head < this.tail) {
      const at = this.head * FIELDS;
      const segment = this.data[at] as number;
      if (!isBefore({ segment, offset: this.data[at + 1] as number }, boundary)) break;
      this.fileBytes -= (this.data[at + 2] as number) - (this.data[at + 1] as number) + (this.data[at + 3] as number);
      this.pending.delete(this.base + this.head);
      this.head++;
      dropped(segment);
    }
    if (this.head === this.tail && this.data.length > 8 * FIELDS) {
      // Everything is covered: give the memory of a long run of records back.
      this.base += this.tail;
      this.head = this.tail = 0;
      this.data = new Uint32Array(8 * FIELDS);
    }
  }

  /** Moves the live records to the front when at least half is dropped; otherwise doubles. */
  private makeRoom(): void {
    const live = this.length;
    if (this.head >= live) {
      this.data.copyWithin(0, this.head * FIELDS, this.tail * FIELDS);
    } else {
      const grown = new Uint32Array(this.data.length * 2);
      grown.set(this.data.subarray(this.head * FIELDS, this.tail * FIELDS));
      this.data = grown;
    }
    this.base += this.head;
    this.head = 0;
    this.tail = live;
  }
}
