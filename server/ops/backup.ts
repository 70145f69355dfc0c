import { access, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import * as Y from 'yjs';
import { isValidId } from '../../shared/domain/index.js';
import { DocStoreLoadError } from '../storage/DocStore.js';
import { listDocDirectory, logFileName } from '../storage/file/docDirectory.js';
import { readLogFile } from '../storage/file/logReader.js';
import { readSnapshotFile } from '../storage/file/snapshotFile.js';
import { readJournalView, type JournalView } from '../storage/journal/journalReader.js';
import { parseMetaData } from '../storage/metaData.js';
import { ArchiveWriter, EntryKind } from './archive.js';

export interface BackupResult {
  file: string;
  documents: number;
  bytes: number;
  /** Documents read again because a concurrent compaction or write moved under the first read. */
  rereads: number;
  /** Things an operator should know (corruption the server would also cut off, retries given up). */
  warnings: string[];
}

/** The backup cannot be made; the message says why. No archive is left behind. */
export class BackupError extends Error {
  readonly code = 'BACKUP_FAILED';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BackupError';
  }
}

/** How often a document is re-read when a concurrent compaction moved its files away, or a write was caught half-way. */
const MAX_ATTEMPTS = 8;
/** The store's own read functions log torn tails; in a live directory a torn tail is normal. */
const quiet = pino({ level: 'silent' });
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Writes a consistent archive of a DATA_DIR while the server may be running on it
 * (docs/RELIABILITY.md, BACKUP-1..BACKUP-4). Strictly read-only on DATA_DIR: it never opens a
 * FileDocStore there (opening one deletes superseded files and truncates torn tails); it reads
 * files with the store's own read functions instead.
 *
 * - meta.json is read first, in one read (the server replaces it by rename, so one read is one
 *   version). Documents are listed after it, and content is written before metadata when a
 *   document is created, so every document the metadata names is in the listing.
 * - Each document: its newest snapshot and the logs of that generation or newer, each log up to
 *   its last intact record (a torn tail is what a log being appended to looks like). That is a
 *   prefix of the document's history. A file deleted by a concurrent compaction between listing
 *   and reading makes us read that document again; so does a result with updates whose
 *   dependencies are missing (a newer log's write landed before an older log's last batch).
 * - The shared journal (`journal/`, JOURNAL-7) is read once, read-only: segments listed, snapshots
 *   read, listed segments read; a document's journal snapshot supersedes its `docs/` directory,
 *   and its journal records follow whichever of the two it has. A segment retired meanwhile, or a
 *   document compacted into the journal after that read, makes us read the journal again.
 * - The document is stored as ONE merged Yjs update.
 */
export async function backupDataDir(dataDir: string, file: string): Promise<BackupResult> {
  const target = path.resolve(file);
  const root = path.resolve(dataDir);
  if (target.startsWith(root + path.sep)) throw new BackupError(`The archive ${target} must not be written inside DATA_DIR (${root}).`);
  if (await exists(target)) throw new BackupError(`${target} already exists; choose a new file name (backups are never overwritten).`);

  const metaBytes = await readMeta(root);
  const docsDir = path.join(root, 'docs');
  const warnings: string[] = [];
  const counters = { rereads: 0 };
  const journalDir = path.join(root, 'journal');
  let journal = await readJournal(journalDir, counters);
  const docIds = [...new Set([...(await listDocuments(docsDir, warnings)), ...journal.snapshots.keys(), ...journal.records.keys()])].sort();

  let writer: ArchiveWriter;
  try {
    writer = await ArchiveWriter.create(target);
  } catch (error) {
    throw new BackupError(`Cannot create the archive next to ${target} (${(error as Error).message}).`, { cause: error });
  }
  try {
    await writer.add(EntryKind.Meta, 'meta.json', metaBytes);
    let documents = 0;
    for (const docId of docIds) {
      let update = await readDocument(path.join(docsDir, docId), docId, warnings, counters, journal);
      if (!journal.snapshots.has(docId) && (await exists(path.join(journalDir, 'snapshots', `${docId}.snap`)))) {
        // Compacted into the journal after our journal read (its directory may be gone): read again.
        journal = await readJournal(journalDir, counters);
        update = await readDocument(path.join(docsDir, docId), docId, warnings, counters, journal);
      }
      if (update === undefined) continue; // nothing stored (its directory vanished or holds no record)
      await writer.add(EntryKind.Document, docId, update);
      documents++;
    }
    warnings.push(...journal.problems);
    const bytes = await writer.finish({ documents, createdAt: new Date().toISOString() });
    return { file: target, documents, bytes, rereads: counters.rereads, warnings };
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

async function readMeta(root: string): Promise<Buffer> {
  const file = path.join(root, 'meta.json');
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new BackupError(`Cannot read ${file} (${(error as Error).message}). Is ${root} a Roundtable DATA_DIR?`, { cause: error });
  }
  try {
    parseMetaData(JSON.parse(bytes.toString('utf8')));
  } catch (error) {
    throw new BackupError(`${file} is not valid Roundtable metadata (${(error as Error).message}); fix it before backing up.`, { cause: error });
  }
  return bytes;
}

async function listDocuments(docsDir: string, warnings: string[]): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(docsDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new BackupError(`Cannot list ${docsDir} (${(error as Error).message}).`, { cause: error });
  }
  const ids = names.filter((name) => isValidId(name)).sort();
  const ignored = names.filter((name) => !isValidId(name));
  if (ignored.length > 0) warnings.push(`ignored entries in ${docsDir} that are not documents: ${ignored.join(', ')}`);
  return ids;
}

/** The document as one merged update, or undefined when nothing is stored for it. */
/**
 * The shared journal (JOURNAL-7), read again when a segment it listed was retired meanwhile: that
 * happens only after a compaction newer than the snapshot we read.
 */
async function readJournal(journalDir: string, counters: { rereads: number }): Promise<JournalView> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await readJournalView(journalDir);
    } catch (error) {
      if (!vanished(error) || attempt >= MAX_ATTEMPTS) throw new BackupError(`Cannot read the journal in ${journalDir}: ${(error as Error).message}`, { cause: error });
      counters.rereads++;
    }
  }
}

/**
 * A document: its journal snapshot, or else what the per-document file store holds for it, then
 * its journal records after that snapshot.
 */
async function readDocument(docDir: string, docId: string, warnings: string[], counters: { rereads: number }, journal: JournalView): Promise<Uint8Array | undefined> {
  for (let attempt = 1; ; attempt++) {
    if (attempt > 1) counters.rereads++;
    let updates: Uint8Array[];
    const problems: string[] = [];
    try {
      const snapshot = journal.snapshots.get(docId);
      updates = [...(snapshot ? [snapshot] : await readDocumentFiles(docDir, docId, problems)), ...(journal.records.get(docId) ?? [])];
    } catch (error) {
      if (!vanished(error) || attempt >= MAX_ATTEMPTS) {
        throw new BackupError(`Cannot read document ${docId}: ${(error as Error).message}`, { cause: error });
      }
      continue; // a compaction replaced the files we listed: list again
    }
    if (updates.length === 0) return undefined;
    const merged = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
    if (!hasMissingDependencies(merged) || attempt >= MAX_ATTEMPTS) {
      if (attempt >= MAX_ATTEMPTS && hasMissingDependencies(merged)) {
        warnings.push(`document ${docId}: some stored updates depend on updates that are not on disk; they are kept as they are`);
      }
      warnings.push(...problems);
      return merged;
    }
    // An older log's last batch is still being written: give the group commit a moment.
    await sleep(20 * attempt);
  }
}

/** The newest snapshot, then every log of its generation or newer, in order (as docLoader reads them, minus its clean-ups). */
async function readDocumentFiles(docDir: string, docId: string, problems: string[]): Promise<Uint8Array[]> {
  const listing = await listDocDirectory(docDir);
  if (listing === undefined) return [];
  const snapshotGeneration = listing.snapshots.at(-1);
  const updates: Uint8Array[] = [];
  if (snapshotGeneration !== undefined) updates.push(await readSnapshotFile(docDir, snapshotGeneration, docId));
  for (const generation of listing.logs) {
    if (snapshotGeneration !== undefined && generation < snapshotGeneration) continue;
    const contents = await readLogFile(path.join(docDir, logFileName(generation)), generation, docId, quiet);
    updates.push(...contents.records);
    if (contents.problem?.midFile) {
      problems.push(`document ${docId}: log ${generation} is corrupt at byte ${contents.problem.offset}; the archive holds what precedes it, as the server would load`);
    }
  }
  return updates;
}

function vanished(error: unknown): boolean {
  const cause = error instanceof DocStoreLoadError ? error.cause : error;
  return (cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

function hasMissingDependencies(update: Uint8Array): boolean {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, update);
    return doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
  } finally {
    doc.destroy();
  }
}
