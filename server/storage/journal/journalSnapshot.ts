import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { DocStoreLoadError } from '../DocStore.js';
import { replaceFileDurably, type FileIo } from '../file/fileIo.js';
import { HEADER_SIZE, RECORD_PREFIX_SIZE, encodeHeader, encodeRecordPrefix, headerProblem, scanRecords } from '../file/recordCodec.js';
import { journalSnapshotName, journalSnapshotTempName, type Position } from './journalFormat.js';

/**
 * A document's snapshot in the journal (JOURNAL-4): `snapshots/<docId>.snap`, header `RTJS`, then
 * exactly two records: the boundary (8 bytes: segment u32, offset u32 — every record of the
 * document before it is covered) and the encoded state. The boundary has its own CRC, so start-up
 * reads and verifies only the first 32 bytes of each snapshot, never the state.
 */

const BOUNDARY_BYTES = 8;
/** Bytes of a snapshot file besides the state: header, two record prefixes, the boundary. */
export const SNAPSHOT_OVERHEAD = HEADER_SIZE + 2 * RECORD_PREFIX_SIZE + BOUNDARY_BYTES;

function encodeBoundary(boundary: Position): Buffer {
  const bytes = Buffer.alloc(BOUNDARY_BYTES);
  bytes.writeUInt32LE(boundary.segment, 0);
  bytes.writeUInt32LE(boundary.offset, 4);
  return bytes;
}

/** temp + fsync + rename + directory fsync, as for the per-document snapshots (STORE-9). */
export async function writeJournalSnapshot(io: FileIo, dir: string, docId: string, boundary: Position, state: Uint8Array): Promise<void> {
  const boundaryBytes = encodeBoundary(boundary);
  const chunks = [encodeHeader('journal-snapshot', 0), encodeRecordPrefix(boundaryBytes), boundaryBytes, encodeRecordPrefix(state), state];
  await replaceFileDurably(io, dir, journalSnapshotName(docId), journalSnapshotTempName(docId), chunks);
}

function parse(data: Buffer, docId: string, filePath: string, whole: boolean): { boundary: Position; state?: Buffer } {
  const bad = headerProblem(data.subarray(0, HEADER_SIZE), 'journal-snapshot', 0);
  if (bad !== undefined) throw new DocStoreLoadError(docId, `snapshot ${filePath} is unreadable: ${bad}`);
  const scan = scanRecords(whole ? data : data.subarray(0, SNAPSHOT_OVERHEAD - RECORD_PREFIX_SIZE), HEADER_SIZE);
  const [boundary, state] = scan.records;
  const expected = whole ? 2 : 1;
  if (scan.problem || scan.records.length !== expected || boundary?.length !== BOUNDARY_BYTES) {
    const detail = scan.problem ? `${scan.problem.kind} at byte ${scan.problem.offset}` : `${scan.records.length} records`;
    throw new DocStoreLoadError(docId, `snapshot ${filePath} is corrupt: ${detail}`);
  }
  return { boundary: { segment: boundary.readUInt32LE(0), offset: boundary.readUInt32LE(4) }, ...(state ? { state } : {}) };
}

/** Boundary and size, from the first bytes only (start-up); a bad header or boundary rejects. */
export async function readSnapshotBoundary(dir: string, docId: string): Promise<{ boundary: Position; stateBytes: number }> {
  const filePath = path.join(dir, journalSnapshotName(docId));
  try {
    const handle = await open(filePath, 'r');
    try {
      const { size } = await handle.stat();
      const head = Buffer.alloc(Math.min(size, SNAPSHOT_OVERHEAD - RECORD_PREFIX_SIZE));
      await handle.read(head, 0, head.length, 0);
      return { boundary: parse(head, docId, filePath, false).boundary, stateBytes: Math.max(0, size - SNAPSHOT_OVERHEAD) };
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof DocStoreLoadError) throw error;
    throw new DocStoreLoadError(docId, `cannot read snapshot ${filePath}: ${String(error)}`, { cause: error });
  }
}

/** The whole snapshot, every CRC checked; anything but the two intact records rejects (STORE-6). */
export async function readJournalSnapshot(dir: string, docId: string): Promise<{ boundary: Position; state: Buffer }> {
  const filePath = path.join(dir, journalSnapshotName(docId));
  let data: Buffer;
  try {
    data = await readFile(filePath);
  } catch (error) {
    throw new DocStoreLoadError(docId, `cannot read snapshot ${filePath}: ${String(error)}`, { cause: error });
  }
  const { boundary, state } = parse(data, docId, filePath, true);
  if (state === undefined) throw new DocStoreLoadError(docId, `snapshot ${filePath} has no state`);
  return { boundary, state };
}
