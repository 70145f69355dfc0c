import { rm } from 'node:fs/promises';
import path from 'node:path';
import { isValidId } from '../../../shared/domain/index.js';
import type { Logger } from '../../logger.js';
import { DocStoreLoadError } from '../DocStore.js';
import { preserveCopy } from '../file/docLoader.js';
import { readLogFile } from '../file/logReader.js';
import { HEADER_SIZE, RECORD_PREFIX_SIZE } from '../file/recordCodec.js';
import { SEGMENT_FILE, SNAPSHOT_DIR, SNAPSHOT_FILE, listJournalDir, decodeRecord, segmentFileName, type Position } from './journalFormat.js';
import { readSnapshotBoundary } from './journalSnapshot.js';

export interface ScannedRecord {
  docId: string;
  segment: number;
  offset: number;
  dataOffset: number;
  length: number;
  fileBytes: number;
}

export interface ScannedSegment {
  segment: number;
  bytes: number;
  records: ScannedRecord[];
}

export interface JournalScan {
  /** Ascending. */
  segments: ScannedSegment[];
  snapshots: Map<string, { boundary: Position; stateBytes: number } | DocStoreLoadError>;
  /** Greatest segment number on disk or named by a snapshot boundary (-1: none). */
  maxSegment: number;
  /** Documents that still have a directory written by the per-document file store. */
  legacy: Set<string>;
}

const TEMPORARY = /\.snap\.tmp$/;

/**
 * Start-up (JOURNAL-3): every snapshot's boundary (32 bytes each), then every segment, oldest
 * first, into records with their locations. Torn tails and mid-file corruption are handled as in
 * a document's log (STORE-3, STORE-4, with the file kept); a segment with a bad header rejects
 * the whole scan with DocStoreLoadError (STORE-6), since it may hold any document's records.
 */
/** `readOnly`: write nothing (no removal of temporary snapshots, no kept copy of a corrupt segment). */
export async function scanJournal(dir: string, legacyDir: string, logger: Logger, options: { readOnly: boolean } = { readOnly: false }): Promise<JournalScan> {
  let names: string[];
  let snapshotNames: string[];
  let legacyNames: string[];
  const snapshotDir = path.join(dir, SNAPSHOT_DIR);
  try {
    [names, snapshotNames, legacyNames] = await Promise.all([listJournalDir(dir), listJournalDir(snapshotDir), listJournalDir(legacyDir)]);
  } catch (error) {
    throw new DocStoreLoadError('journal', `cannot list ${dir}: ${String(error)}`, { cause: error });
  }
  let maxSegment = -1;
  const snapshots: JournalScan['snapshots'] = new Map();
  for (const name of snapshotNames) {
    if (TEMPORARY.test(name)) {
      if (!options.readOnly) await rm(path.join(snapshotDir, name), { force: true }).catch(() => undefined);
      continue;
    }
    const docId = SNAPSHOT_FILE.exec(name)?.[1];
    if (docId === undefined || !isValidId(docId)) continue;
    try {
      const snapshot = await readSnapshotBoundary(snapshotDir, docId);
      snapshots.set(docId, snapshot);
      maxSegment = Math.max(maxSegment, snapshot.boundary.segment);
    } catch (error) {
      logger.error({ docId, err: error }, 'journal snapshot is unreadable; the document will not be served');
      snapshots.set(docId, error as DocStoreLoadError);
    }
  }

  const segmentNumbers = names.flatMap((name) => {
    const match = SEGMENT_FILE.exec(name)?.[1];
    return match === undefined ? [] : [Number(match)];
  });
  segmentNumbers.sort((a, b) => a - b);
  const segments: ScannedSegment[] = [];
  for (const segment of segmentNumbers) {
    maxSegment = Math.max(maxSegment, segment);
    const filePath = path.join(dir, segmentFileName(segment));
    const contents = await readLogFile(filePath, segment, 'journal', logger, undefined, 'journal');
    if (contents.problem?.midFile && !options.readOnly) await preserveCopy(filePath, 'journal', logger);
    const scanned: ScannedSegment = { segment, bytes: contents.fileLength, records: [] };
    const docIds: string[] = [];
    let offset = HEADER_SIZE;
    for (const record of contents.records) {
      const decoded = decodeRecord(record);
      if (decoded.kind === 'declaration') docIds.push(decoded.docId);
      else if (decoded.kind === 'update') {
        const docId = docIds[decoded.docNumber - 1];
        if (docId === undefined || !isValidId(docId)) {
          logger.error({ file: filePath, offset }, 'journal record names an undeclared document; skipping it');
        } else {
          const fileBytes = RECORD_PREFIX_SIZE + record.length;
          scanned.records.push({
            docId,
            segment,
            offset,
            dataOffset: offset + RECORD_PREFIX_SIZE + decoded.tagLength,
            length: record.length - decoded.tagLength,
            fileBytes,
          });
        }
      } else logger.error({ file: filePath, offset }, 'journal record has an invalid tag; skipping it');
      offset += RECORD_PREFIX_SIZE + record.length;
    }
    segments.push(scanned);
  }
  const legacy = new Set(legacyNames.filter((name) => isValidId(name)));
  return { segments, snapshots, maxSegment, legacy };
}
