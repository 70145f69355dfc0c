import path from 'node:path';
import { pino } from 'pino';
import { isValidId } from '../../../shared/domain/index.js';
import { DocStoreLoadError } from '../DocStore.js';
import { readLogFile } from '../file/logReader.js';
import { SEGMENT_FILE, SNAPSHOT_DIR, SNAPSHOT_FILE, listJournalDir, decodeRecord, isBefore, segmentFileName, type Position } from './journalFormat.js';
import { readJournalSnapshot } from './journalSnapshot.js';

export interface JournalView {
  /** Documents with a snapshot in the journal: their file-store directory is superseded. */
  snapshots: Map<string, Uint8Array>;
  /** Live records per document, in order (after the snapshot's boundary). */
  records: Map<string, Uint8Array[]>;
  problems: string[];
}

const quiet = pino({ level: 'silent' });

/**
 * A read-only view of a journal that a running server may be writing (backup, JOURNAL-7): it never
 * deletes, truncates or creates anything. Segments are listed first, then the snapshots read,
 * then the listed segments: each document gets its snapshot plus the records after its boundary,
 * a prefix of its history. A listed segment that vanished was retired by a compaction after the
 * snapshot we read: the caller reads the journal again (ENOENT in the error's cause).
 */
export async function readJournalView(dir: string): Promise<JournalView> {
  const segments = (await listJournalDir(dir))
    .flatMap((name) => {
      const match = SEGMENT_FILE.exec(name)?.[1];
      return match === undefined ? [] : [Number(match)];
    })
    .sort((a, b) => a - b);
  const snapshotDir = path.join(dir, SNAPSHOT_DIR);
  const snapshots = new Map<string, Uint8Array>();
  const boundaries = new Map<string, Position>();
  for (const name of await listJournalDir(snapshotDir)) {
    const docId = SNAPSHOT_FILE.exec(name)?.[1];
    if (docId === undefined || !isValidId(docId)) continue;
    const { boundary, state } = await readJournalSnapshot(snapshotDir, docId);
    snapshots.set(docId, state);
    boundaries.set(docId, boundary);
  }
  const records = new Map<string, Uint8Array[]>();
  const problems: string[] = [];
  for (const segment of segments) {
    const filePath = path.join(dir, segmentFileName(segment));
    const contents = await readLogFile(filePath, segment, 'journal', quiet, undefined, 'journal');
    if (contents.problem?.midFile) problems.push(`journal segment ${segment} is corrupt at byte ${contents.problem.offset}; the archive holds what precedes it, as the server would load`);
    const docIds: string[] = [];
    let offset = contents.records.length > 0 ? 16 : 0;
    for (const record of contents.records) {
      const decoded = decodeRecord(record);
      const at = { segment, offset };
      offset += 8 + record.length;
      if (decoded.kind === 'declaration') docIds.push(decoded.docId);
      if (decoded.kind !== 'update') continue;
      const docId = docIds[decoded.docNumber - 1];
      if (docId === undefined || !isValidId(docId)) continue;
      const boundary = boundaries.get(docId);
      if (boundary && isBefore(at, boundary)) continue;
      const list = records.get(docId) ?? [];
      list.push(record.subarray(decoded.tagLength));
      records.set(docId, list);
    }
  }
  return { snapshots, records, problems };
}

export function isVanished(error: unknown): boolean {
  const cause = error instanceof DocStoreLoadError ? error.cause : error;
  return (cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
