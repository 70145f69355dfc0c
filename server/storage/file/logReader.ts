import { readFile } from 'node:fs/promises';
import type { Logger } from '../../logger.js';
import { DocStoreLoadError } from '../DocStore.js';
import { HEADER_SIZE, headerProblem, isTornHeader, scanRecords, type FileKind, type RecordProblem } from './recordCodec.js';

export interface LogContents {
  records: Buffer[];
  /** Length of the verified prefix (header + good records); 0 when even the header is torn. */
  goodLength: number;
  fileLength: number;
  problem?: RecordProblem;
}

/**
 * Reads one update log. A torn tail is dropped and logged (STORE-3, STORE-4); a file that is not
 * one of our logs rejects with `DocStoreLoadError` (STORE-6), because returning fewer updates than
 * were stored would let the caller overwrite the document.
 *
 * `limit` bounds the read to bytes known durable, so a log that is being appended to concurrently
 * is never mistaken for one with a torn tail.
 */
export async function readLogFile(
  filePath: string,
  generation: number,
  docId: string,
  logger: Logger,
  limit?: number,
  kind: FileKind = 'log',
): Promise<LogContents> {
  let file: Buffer;
  try {
    file = await readFile(filePath);
  } catch (error) {
    throw new DocStoreLoadError(docId, `cannot read update log ${filePath}: ${String(error)}`, { cause: error });
  }
  const data = limit === undefined ? file : file.subarray(0, limit);
  if (isTornHeader(data, kind, generation)) {
    if (data.length > 0) logger.warn({ docId, file: filePath, bytes: data.length }, 'update log has a torn header; treating it as empty');
    return { records: [], goodLength: 0, fileLength: file.length };
  }
  const bad = headerProblem(data, kind, generation);
  if (bad !== undefined) throw new DocStoreLoadError(docId, `update log ${filePath} is unreadable: ${bad}`);

  const scan = scanRecords(data, HEADER_SIZE);
  if (scan.problem) reportProblem(logger, docId, filePath, scan.problem);
  return { records: scan.records, goodLength: scan.end, fileLength: file.length, problem: scan.problem };
}

function reportProblem(logger: Logger, docId: string, filePath: string, problem: RecordProblem): void {
  const fields = { docId, file: filePath, offset: problem.offset, droppedBytes: problem.droppedBytes, kind: problem.kind };
  if (problem.midFile) {
    logger.error(fields, 'update log is corrupt in the middle; dropping everything from the first bad record');
  } else {
    logger.warn(fields, 'dropping a torn tail record from the update log');
  }
}
