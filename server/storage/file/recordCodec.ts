import { crc32 } from 'node:zlib';

/**
 * Byte layout of log and snapshot files (docs/STORAGE.md, "Record format"). Both start with a
 * 16-byte header and hold length-prefixed, CRC32-checked records; a snapshot holds exactly one.
 *
 * The CRC covers the length field as well as the payload: a zero-filled tail (what some
 * filesystems leave after a crash that extended the file but not its data) then fails the check
 * instead of reading as a run of empty records.
 */

export const HEADER_SIZE = 16;
export const RECORD_PREFIX_SIZE = 8;
export const FORMAT_VERSION = 1;
/** Larger appends are refused: a Yjs update of this size is a bug upstream, not an edit. */
export const MAX_RECORD_BYTES = 1 << 30;

/** `journal` / `journal-snapshot`: the shared write-ahead journal (server/storage/journal/). */
export type FileKind = 'log' | 'snapshot' | 'journal' | 'journal-snapshot';

const MAGIC: Record<FileKind, string> = { log: 'RTLG', snapshot: 'RTSN', journal: 'RTJN', 'journal-snapshot': 'RTJS' };

export function encodeHeader(kind: FileKind, generation: number): Buffer {
  const header = Buffer.alloc(HEADER_SIZE);
  header.write(MAGIC[kind], 0, 'latin1');
  header.writeUInt16LE(FORMAT_VERSION, 4);
  header.writeUInt32LE(generation, 8);
  header.writeUInt32LE(crc32(header.subarray(0, 12)), 12);
  return header;
}

/** Why `data` does not start with the expected header, or undefined when it does. */
export function headerProblem(data: Buffer, kind: FileKind, generation: number): string | undefined {
  if (data.length < HEADER_SIZE) return `file is ${data.length} bytes, shorter than its ${HEADER_SIZE}-byte header`;
  if (data.toString('latin1', 0, 4) !== MAGIC[kind]) return `not a Roundtable ${kind} file (bad magic)`;
  if (data.readUInt32LE(12) !== crc32(data.subarray(0, 12))) return 'header checksum mismatch';
  const version = data.readUInt16LE(4);
  if (version !== FORMAT_VERSION) return `unsupported format version ${version}`;
  const stored = data.readUInt32LE(8);
  if (stored !== generation) return `header says generation ${stored}, file name says ${generation}`;
  return undefined;
}

/** True when `data` is what a crash during the header write can leave: a prefix of the header. */
export function isTornHeader(data: Buffer, kind: FileKind, generation: number): boolean {
  return data.length < HEADER_SIZE && encodeHeader(kind, generation).subarray(0, data.length).equals(data);
}

export function encodeRecordPrefix(payload: Uint8Array): Buffer {
  const prefix = Buffer.allocUnsafe(RECORD_PREFIX_SIZE);
  prefix.writeUInt32LE(payload.byteLength, 0);
  prefix.writeUInt32LE(crc32(payload, crc32(prefix.subarray(0, 4))), 4);
  return prefix;
}

export type RecordProblemKind = 'short-prefix' | 'short-payload' | 'checksum';

export interface RecordProblem {
  kind: RecordProblemKind;
  /** Byte offset of the first bad record in the file. */
  offset: number;
  /** Bytes from `offset` to the end of the data, all of which are dropped. */
  droppedBytes: number;
  /**
   * A checksum mismatch followed by an intact record: corruption inside the file rather than a
   * torn final write (a zero-filled or half-written tail has no valid record after it).
   */
  midFile: boolean;
}

export interface RecordScan {
  /** Views into `data` (no copies). */
  records: Buffer[];
  /** Offset just past the last good record. */
  end: number;
  problem?: RecordProblem;
}

/** Reads records from `start` until the end of `data` or the first bad record. */
export function scanRecords(data: Buffer, start: number): RecordScan {
  const records: Buffer[] = [];
  let offset = start;
  while (offset < data.length) {
    let kind: RecordProblemKind | undefined;
    const payloadEnd = offset + RECORD_PREFIX_SIZE + (data.length - offset >= 4 ? data.readUInt32LE(offset) : 0);
    if (data.length - offset < RECORD_PREFIX_SIZE) kind = 'short-prefix';
    else if (payloadEnd > data.length) kind = 'short-payload';
    else if (!isValidRecordAt(data, offset)) kind = 'checksum';
    if (kind !== undefined) {
      const midFile = kind === 'checksum' && isValidRecordAt(data, payloadEnd);
      return { records, end: offset, problem: { kind, offset, droppedBytes: data.length - offset, midFile } };
    }
    records.push(data.subarray(offset + RECORD_PREFIX_SIZE, payloadEnd));
    offset = payloadEnd;
  }
  return { records, end: offset };
}

function isValidRecordAt(data: Buffer, offset: number): boolean {
  if (data.length - offset < RECORD_PREFIX_SIZE) return false;
  const payloadEnd = offset + RECORD_PREFIX_SIZE + data.readUInt32LE(offset);
  if (payloadEnd > data.length) return false;
  const expected = crc32(data.subarray(offset + RECORD_PREFIX_SIZE, payloadEnd), crc32(data.subarray(offset, offset + 4)));
  return data.readUInt32LE(offset + 4) === expected;
}
