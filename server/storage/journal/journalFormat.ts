import { readdir } from 'node:fs/promises';
import { HEADER_SIZE, RECORD_PREFIX_SIZE } from '../file/recordCodec.js';

/**
 * Names and record payloads of the shared journal (docs/STORAGE.md, "Journal"). Segments use the
 * update log's file format (16-byte header with magic `RTJN`, then length + CRC32-prefixed
 * records); only the payload differs: it starts with a varint tag.
 *
 * - tag 0: a declaration. The rest is a document id; it gets the next document number of this
 *   segment (1, 2, …). Written once per document and segment, before its first update there.
 * - tag n ≥ 1: an update of document number n; the rest is the Yjs update, byte for byte.
 *
 * Numbering per segment keeps the per-update overhead at 8 + 1 bytes (a document id in every
 * record would double the bytes written while typing), and a declaration is always in the same
 * segment before its updates, so a torn tail can only ever drop updates along with it.
 */

export const SEGMENT_FILE = /^(0|[1-9]\d{0,9})\.jnl$/;
export const SNAPSHOT_DIR = 'snapshots';
/** A document's snapshot file in SNAPSHOT_DIR; group 1 is the document id. */
export const SNAPSHOT_FILE = /^([a-z0-9][a-z0-9-]*)\.snap$/;
export const segmentFileName = (segment: number): string => `${segment}.jnl`;
export const journalSnapshotName = (docId: string): string => `${docId}.snap`;
export const journalSnapshotTempName = (docId: string): string => `${docId}.snap.tmp`;
export { HEADER_SIZE, RECORD_PREFIX_SIZE };

/** A place in the journal: segment number, then byte offset of a record in it. */
export interface Position {
  segment: number;
  offset: number;
}

export function isBefore(a: Position, b: Position): boolean {
  return a.segment < b.segment || (a.segment === b.segment && a.offset < b.offset);
}

function varintLength(value: number): number {
  let length = 1;
  for (let rest = value >>> 7; rest > 0; rest >>>= 7) length++;
  return length;
}

function writeVarint(target: Uint8Array, value: number): number {
  let index = 0;
  let rest = value;
  while (rest >= 0x80) {
    target[index++] = (rest & 0x7f) | 0x80;
    rest >>>= 7;
  }
  target[index++] = rest;
  return index;
}

export function encodeDeclaration(docId: string): Uint8Array {
  const payload = new Uint8Array(1 + docId.length);
  payload[0] = 0;
  payload.set(Buffer.from(docId, 'latin1'), 1);
  return payload;
}

/** One copy of the update (small: typing updates are ~30 bytes), so the CRC covers the tag too. */
export function encodeUpdate(docNumber: number, update: Uint8Array): { payload: Uint8Array; tagLength: number } {
  const tagLength = varintLength(docNumber);
  const payload = new Uint8Array(tagLength + update.byteLength);
  writeVarint(payload, docNumber);
  payload.set(update, tagLength);
  return { payload, tagLength };
}

export type DecodedRecord = { kind: 'declaration'; docId: string } | { kind: 'update'; docNumber: number; tagLength: number } | { kind: 'invalid' };

export function decodeRecord(payload: Uint8Array): DecodedRecord {
  let value = 0;
  let shift = 0;
  let index = 0;
  for (;;) {
    if (index >= payload.length || shift > 28) return { kind: 'invalid' };
    const byte = payload[index++] ?? 0;
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) break;
  }
  if (value === 0) return { kind: 'declaration', docId: Buffer.from(payload.buffer, payload.byteOffset + index, payload.length - index).toString('latin1') };
  return { kind: 'update', docNumber: value, tagLength: index };
}

/** The names in a journal directory; a directory that does not exist (yet) is empty. */
export async function listJournalDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
