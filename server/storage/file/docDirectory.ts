import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { assertValidDocId } from '../storeErrors.js';

/**
 * File naming inside one document's directory (`<root>/<docId>/`). Ids cannot contain dots, and
 * generation numbers are plain decimals, so every name below parses unambiguously.
 */

const LOG = /^(0|[1-9]\d{0,9})\.log$/;
const SNAPSHOT = /^(0|[1-9]\d{0,9})\.snap$/;
const TEMPORARY = /^(0|[1-9]\d{0,9})\.snap\.tmp$/;
/** Copies kept for an operator after mid-file corruption was cut off; never read back. */
const PRESERVED = /\.corrupt-\d+$/;

/** The only place a document id becomes part of a path; it is checked here once more. */
export function docDirectory(root: string, docId: string): string {
  assertValidDocId(docId);
  return path.join(root, docId);
}

export const logFileName = (generation: number): string => `${generation}.log`;
export const snapshotFileName = (generation: number): string => `${generation}.snap`;
export const temporarySnapshotFileName = (generation: number): string => `${generation}.snap.tmp`;
export const preservedCopyName = (fileName: string, now: number): string => `${fileName}.corrupt-${now}`;

export interface DocDirectoryListing {
  /** Generations, ascending. */
  logs: number[];
  snapshots: number[];
  temporary: string[];
  unknown: string[];
}

/** The document's files, or undefined when it has no directory (nothing was ever stored). */
export async function listDocDirectory(dirPath: string): Promise<DocDirectoryListing | undefined> {
  let names: string[];
  try {
    names = await readdir(dirPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const listing: DocDirectoryListing = { logs: [], snapshots: [], temporary: [], unknown: [] };
  for (const name of names) {
    const log = LOG.exec(name)?.[1];
    const snapshot = SNAPSHOT.exec(name)?.[1];
    if (log !== undefined) listing.logs.push(Number(log));
    else if (snapshot !== undefined) listing.snapshots.push(Number(snapshot));
    else if (TEMPORARY.test(name)) listing.temporary.push(name);
    else if (!PRESERVED.test(name)) listing.unknown.push(name);
  }
  listing.logs.sort((a, b) => a - b);
  listing.snapshots.sort((a, b) => a - b);
  return listing;
}
