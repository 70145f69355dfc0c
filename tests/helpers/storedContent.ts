import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import * as Y from 'yjs';
import { loadConfig } from '../../server/config.js';
import { createDocStore } from '../../server/storage/createDocStore.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** Enough of a ServerProcess to find its data and its store settings. */
export interface DataDirOwner {
  dataDir: string;
  env?: Record<string, string>;
}

/** What the store holds for one document, as loading it yields. */
export interface StoredContent {
  /** Every record the store loads for the document, in order, hex: a snapshot first if there is one. */
  records: string[];
  /** The merged document (Room.load merges the same way): its state vector and full update, hex. */
  stateVector: string;
  state: string;
}

/**
 * Reads what is stored through the store the server is configured with (DOC_STORE and the rest
 * of `env`, as the server process gets it), so a test says "the stored document did (not)
 * change" without knowing a storage format. Opened read-only: the journal neither maintains nor
 * cleans up. Meant for a stopped server; on a running one it sees only complete records.
 */
export async function storedContents(owner: DataDirOwner, docIds: string[]): Promise<Map<string, StoredContent>> {
  const config = loadConfig({ ...owner.env, DATA_DIR: owner.dataDir });
  const store = createDocStore(config, pino({ level: 'silent' }), undefined, { readOnly: true });
  const contents = new Map<string, StoredContent>();
  try {
    for (const docId of docIds) {
      const records = await store.load(docId);
      const doc = new Y.Doc();
      if (records.length > 0) Y.applyUpdate(doc, Y.mergeUpdates(records));
      contents.set(docId, { records: records.map(hex), stateVector: hex(Y.encodeStateVector(doc)), state: hex(Y.encodeStateAsUpdate(doc)) });
      doc.destroy();
    }
  } finally {
    await store.close();
  }
  return contents;
}

export async function storedContent(owner: DataDirOwner, docId: string): Promise<StoredContent> {
  return (await storedContents(owner, [docId])).get(docId)!;
}

/** The loaded documents themselves, merged like Room.load does. */
export async function storedDocs(owner: DataDirOwner, docIds: string[]): Promise<Map<string, Y.Doc>> {
  const docs = new Map<string, Y.Doc>();
  for (const [docId, content] of await storedContents(owner, docIds)) {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Buffer.from(content.state, 'hex'));
    docs.set(docId, doc);
  }
  return docs;
}

/**
 * Whether the store has compacted the document into a snapshot yet (STORE-14 / JOURNAL-4): a
 * `.snap` in its `docs/<id>/` directory (file store) or `journal/snapshots/<id>.snap` (journal).
 */
export async function hasSnapshot(owner: DataDirOwner, docId: string): Promise<boolean> {
  const { dataDir, storage } = loadConfig({ ...owner.env, DATA_DIR: owner.dataDir });
  const [dir, wanted] = storage.docStore === 'file' ? [path.join(dataDir, 'docs', docId), (name: string) => name.endsWith('.snap')] : [path.join(dataDir, 'journal', 'snapshots'), (name: string) => name === `${docId}.snap`];
  try {
    return (await readdir(dir)).some(wanted);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
