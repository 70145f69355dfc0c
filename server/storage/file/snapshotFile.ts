import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DocStoreLoadError } from '../DocStore.js';
import { snapshotFileName, temporarySnapshotFileName } from './docDirectory.js';
import { replaceFileDurably, type FileIo } from './fileIo.js';
import { HEADER_SIZE, encodeHeader, encodeRecordPrefix, headerProblem, scanRecords } from './recordCodec.js';

/**
 * Writes snapshot `generation` so that a crash at any point leaves either no snapshot of that
 * generation or a complete one (STORE-9): temp file, fsync, rename over the final name, fsync the
 * directory. Only after the directory fsync may older files be deleted.
 */
export async function writeSnapshotFile(io: FileIo, docDir: string, generation: number, payload: Uint8Array): Promise<void> {
  const chunks = [encodeHeader('snapshot', generation), encodeRecordPrefix(payload), payload];
  await replaceFileDurably(io, docDir, snapshotFileName(generation), temporarySnapshotFileName(generation), chunks);
}

/** The snapshot's payload; anything but one intact record rejects (STORE-6: never served as empty). */
export async function readSnapshotFile(docDir: string, generation: number, docId: string): Promise<Buffer> {
  const filePath = path.join(docDir, snapshotFileName(generation));
  let data: Buffer;
  try {
    data = await readFile(filePath);
  } catch (error) {
    throw new DocStoreLoadError(docId, `cannot read snapshot ${filePath}: ${String(error)}`, { cause: error });
  }
  const bad = headerProblem(data, 'snapshot', generation);
  if (bad !== undefined) throw new DocStoreLoadError(docId, `snapshot ${filePath} is unreadable: ${bad}`);
  const scan = scanRecords(data, HEADER_SIZE);
  const payload = scan.records[0];
  if (scan.problem || scan.records.length !== 1 || payload === undefined) {
    const detail = scan.problem ? `${scan.problem.kind} at byte ${scan.problem.offset}` : `${scan.records.length} records`;
    throw new DocStoreLoadError(docId, `snapshot ${filePath} is corrupt: ${detail}`);
  }
  return payload;
}
