import { copyFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../logger.js';
import { DocStoreLoadError } from '../DocStore.js';
import {
  listDocDirectory,
  logFileName,
  preservedCopyName,
  snapshotFileName,
  type DocDirectoryListing,
} from './docDirectory.js';
import { readLogFile } from './logReader.js';
import { readSnapshotFile } from './snapshotFile.js';

export interface OpenedLog {
  generation: number;
  goodLength: number;
  fileLength: number;
}

export interface OpenedDocument {
  snapshotGeneration: number | undefined;
  /** Live logs (generation >= the snapshot's), ascending. */
  logs: OpenedLog[];
  updates: Uint8Array[];
}

/**
 * First read of a document in this process: the newest snapshot, then every log of the same or a
 * newer generation, in order (STORE-10). Older generations and temp files are what an interrupted
 * compaction leaves behind; they are deleted only after everything live was read successfully.
 */
export async function openDocumentFiles(docDir: string, docId: string, logger: Logger): Promise<OpenedDocument> {
  let listing: DocDirectoryListing | undefined;
  try {
    listing = await listDocDirectory(docDir);
  } catch (error) {
    throw new DocStoreLoadError(docId, `cannot list ${docDir}: ${String(error)}`, { cause: error });
  }
  if (listing === undefined) return { snapshotGeneration: undefined, logs: [], updates: [] };
  if (listing.unknown.length > 0) logger.warn({ docId, files: listing.unknown }, 'ignoring unknown files in document directory');

  // The newest snapshot only: falling back to an older one could silently miss logs already deleted.
  const snapshotGeneration = listing.snapshots.at(-1);
  const updates: Uint8Array[] = [];
  if (snapshotGeneration !== undefined) updates.push(await readSnapshotFile(docDir, snapshotGeneration, docId));

  const logs: OpenedLog[] = [];
  for (const generation of listing.logs) {
    if (snapshotGeneration !== undefined && generation < snapshotGeneration) continue;
    const filePath = path.join(docDir, logFileName(generation));
    const contents = await readLogFile(filePath, generation, docId, logger);
    for (const record of contents.records) updates.push(record);
    if (contents.problem?.midFile) await preserveCopy(filePath, docId, logger);
    logs.push({ generation, goodLength: contents.goodLength, fileLength: contents.fileLength });
  }

  await removeSuperseded(docDir, docId, listing, snapshotGeneration, logger);
  return { snapshotGeneration, logs, updates };
}

/**
 * Mid-file corruption is cut off like a torn tail, but the valid records after it might still
 * matter to an operator; keep the whole file before the next append truncates it.
 */
export async function preserveCopy(filePath: string, docId: string, logger: Logger): Promise<void> {
  const copy = path.join(path.dirname(filePath), preservedCopyName(path.basename(filePath), Date.now()));
  try {
    await copyFile(filePath, copy);
    logger.error({ docId, file: filePath, copy }, 'kept a copy of the corrupt update log');
  } catch (error) {
    logger.error({ docId, file: filePath, err: error }, 'could not keep a copy of the corrupt update log');
  }
}

/** Deletes files older than the snapshot, and temp files; failures only cost disk space. */
export async function removeSuperseded(
  docDir: string,
  docId: string,
  listing: DocDirectoryListing,
  snapshotGeneration: number | undefined,
  logger: Logger,
): Promise<void> {
  const names = [...listing.temporary];
  if (snapshotGeneration !== undefined) {
    for (const generation of listing.logs) if (generation < snapshotGeneration) names.push(logFileName(generation));
    for (const generation of listing.snapshots) if (generation < snapshotGeneration) names.push(snapshotFileName(generation));
  }
  for (const name of names) {
    try {
      await rm(path.join(docDir, name), { force: true });
    } catch (error) {
      logger.warn({ docId, file: name, err: error }, 'could not delete a superseded file');
    }
  }
}
