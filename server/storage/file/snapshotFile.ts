import { open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { DocStoreLoadError } from '../DocStore.js';
import { snapshotFileName, temporarySnapshotFileName } from './docDirectory.js';
import { writeAll, type FileIo } from './fileIo.js';
import { HEADER_SIZE, encodeHeader, encodeRecordPrefix, headerProblem, scanRecords } from './recordCodec.js';

/**
 * Writes snapshot `generation` so that a crash at any point leaves either no snapshot of that
 * generation or a complete one (STORE-9): temp file, fsync, rename over the final name, fsync the
 * directory. Only after the directory fsync may older files be deleted.
 */
export async function writeSnapshotFile(io: FileIo, docDir: string, generation: number, payload: Uint8Array): Promise<void> {
  const temporary = path.join(docDir, temporarySnapshotFileName(generation));
  try {
    const handle = await open(temporary, 'w');
    try {
      await writeAll(io, handle, temporary, [encodeHeader('snapshot', generation), encodeRecordPrefix(payload), payload], 0);
      await io.sync(handle, temporary);
    } finally {
      await handle.close();
    }
    await rename(temporary, path.join(docDir, snapshotFileName(generation)));
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
  await io.syncDirectory(docDir);
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
