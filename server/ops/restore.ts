import { access, mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import * as Y from 'yjs';
import { loadConfig, type Config } from '../config.js';
import { createDocStore } from '../storage/createDocStore.js';
import { acquireDataDirLock } from '../storage/dataDirLock.js';
import { EntryKind, readArchive, verifyArchive } from './archive.js';

export interface RestoreResult {
  dataDir: string;
  documents: number;
  createdAt: string;
}

/** The restore was refused or failed; the message says why and what to do. */
export class RestoreError extends Error {
  readonly code = 'RESTORE_FAILED';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RestoreError';
  }
}

/**
 * Restores an archive into an EMPTY data directory (docs/RELIABILITY.md, BACKUP-5..BACKUP-7):
 *
 * 1. Refuses a directory that holds anything, so a restore can never overwrite live data.
 * 2. Reads and checks the whole archive (every checksum, the end entry) before writing anything.
 * 3. Writes every document through the store the server will use (DOC_STORE: the shared journal
 *    by default, or the per-document files), append then close (durable), so the files are
 *    exactly what the server itself would have written.
 * 4. Writes meta.json last (temp file, fsync, rename, fsync directory), as the server creates
 *    content before the metadata that points at it: an interrupted restore leaves no metadata
 *    naming a document whose content is missing.
 * 5. Reads every document back through a fresh store of that kind and compares its state vector.
 *
 * The server must not be started on the directory until the restore has finished.
 */
export async function restoreDataDir(
  file: string,
  dataDir: string,
  logger: Logger = pino({ level: 'silent' }),
  options: { docStore?: Config['storage']['docStore'] } = {},
): Promise<RestoreResult> {
  const root = path.resolve(dataDir);
  await assertEmpty(root);
  const summary = await verifyArchive(file);

  await mkdir(root, { recursive: true });
  // Held for the whole restore, so a server cannot start on the directory half-way through.
  const release = await acquireDataDirLock(root, 'cli');
  try {
    // The store the server builds from DATA_DIR and DOC_STORE (its default unless told).
    const config = loadConfig({ DATA_DIR: root, ...(options.docStore ? { DOC_STORE: options.docStore } : {}) });
    return await restoreInto(config, file, summary.createdAt, logger);
  } finally {
    await release();
  }
}

async function restoreInto(config: Config, file: string, createdAt: string, logger: Logger): Promise<RestoreResult> {
  const root = config.dataDir;
  const store = createDocStore(config, logger);
  const expected = new Map<string, string>();
  let meta: Uint8Array | undefined;
  try {
    for await (const entry of readArchive(file)) {
      if (entry.kind === EntryKind.Meta) meta = entry.payload.slice();
      if (entry.kind !== EntryKind.Document) continue;
      // Copied: the store writes the buffer as is, after this loop has moved on.
      await store.append(entry.name, entry.payload.slice());
      expected.set(entry.name, stateVectorOf([entry.payload]));
    }
  } finally {
    await store.close();
  }
  if (meta === undefined) throw new RestoreError(`${file} holds no meta.json`);

  await checkDocuments(config, expected);
  await writeDurably(path.join(root, 'meta.json'), meta);
  return { dataDir: root, documents: expected.size, createdAt };
}

async function assertEmpty(root: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new RestoreError(`Cannot read ${root} (${(error as Error).message}).`, { cause: error });
  }
  if (names.length > 0) {
    throw new RestoreError(
      `${root} is not empty (${names.length} entr${names.length === 1 ? 'y' : 'ies'}, e.g. ${names.slice(0, 3).join(', ')}). ` +
        'Restore only into an empty or new directory, so that nothing is overwritten; then point DATA_DIR at it.',
    );
  }
}

function stateVectorOf(updates: Uint8Array[]): string {
  const doc = new Y.Doc();
  try {
    for (const update of updates) Y.applyUpdate(doc, update);
    return Buffer.from(Y.encodeStateVector(doc)).toString('hex');
  } finally {
    doc.destroy();
  }
}

/** Reads every restored document back from disk, as the server will. */
async function checkDocuments(config: Config, expected: Map<string, string>): Promise<void> {
  const store = createDocStore(config, pino({ level: 'silent' }), undefined, { readOnly: true });
  try {
    for (const [docId, vector] of expected) {
      const loaded = stateVectorOf(await store.load(docId));
      if (loaded !== vector) throw new RestoreError(`Document ${docId} does not read back as it was written; the target disk may be failing.`);
    }
  } finally {
    await store.close();
  }
}

/** meta.json the way the server writes it: temp file, fsync, rename, fsync the directory. */
async function writeDurably(file: string, bytes: Uint8Array): Promise<void> {
  const dir = path.dirname(file);
  const temporary = path.join(dir, `.${path.basename(file)}.${process.pid}.restore.tmp`);
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  // A server started on the directory meanwhile would have seeded its own workspace.
  if (await exists(file)) {
    await rm(temporary, { force: true });
    throw new RestoreError(`${file} appeared while restoring: was a server started on ${dir}? Stop it, empty the directory and restore again.`);
  }
  await rename(temporary, file);
  const handleDir = await open(dir, 'r');
  try {
    await handleDir.sync();
  } finally {
    await handleDir.close();
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
