import { appendFile, readFile, readdir, stat, truncate } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DocStoreLoadError } from '../DocStore.js';
import { docStoreContract } from '../docStoreContract.js';
import { FileDocStore } from '../file/fileDocStore.js';
import { LEVEL, bytes, type CapturedLog, flipByte, ioError, makeTempDir, spyIo, toArrays, useScratchDir } from '../file/fileStoreTestKit.js';
import { HEADER_SIZE, RECORD_PREFIX_SIZE } from '../file/recordCodec.js';
import { JournalDocStore, type JournalDocStoreOptions } from './journalDocStore.js';

const silent = pino({ level: 'silent' });

docStoreContract('JournalDocStore', async () => {
  const { dir, remove } = await makeTempDir();
  const make = (): JournalDocStore => new JournalDocStore({ dir: path.join(dir, 'journal'), legacyDir: path.join(dir, 'docs'), logger: silent });
  return { store: make(), reopen: async () => make(), cleanup: remove };
});

// Tiny segments: the contract cases roll over and retire segments (self-compaction: JOURNAL-5 below).
docStoreContract('JournalDocStore with 4 kB segments', async () => {
  const { dir, remove } = await makeTempDir();
  const make = (): JournalDocStore =>
    new JournalDocStore({ dir: path.join(dir, 'journal'), legacyDir: path.join(dir, 'docs'), logger: silent, segmentBytes: 4096, commitWindowMs: 0 });
  return { store: make(), reopen: async () => make(), cleanup: remove };
});

describe('JournalDocStore', () => {
  let root: string;
  let capture: CapturedLog;
  const stores: JournalDocStore[] = [];
  const journalDir = (): string => path.join(root, 'journal');
  const open = (options: Partial<JournalDocStoreOptions> = {}): JournalDocStore => {
    const store = new JournalDocStore({ dir: journalDir(), legacyDir: path.join(root, 'docs'), logger: capture.logger, retry: { initialDelayMs: 5, maxDelayMs: 20 }, ...options });
    stores.push(store);
    return store;
  };
  const segments = async (): Promise<string[]> => (await readdir(journalDir())).filter((name) => name.endsWith('.jnl')).sort((a, b) => parseInt(a) - parseInt(b));

  useScratchDir(stores, (dir, captured) => {
    root = dir;
    capture = captured;
  });

  it('JOURNAL-1: appends of many documents go to one file, and each loads back its own updates', async () => {
    const store = open();
    const pending: Promise<void>[] = [];
    for (let i = 0; i < 20; i++) for (const id of ['a', 'b', 'c']) pending.push(store.append(id, bytes(i, id.charCodeAt(0))));
    await Promise.all(pending);
    expect(await segments()).toEqual(['0.jnl']);
    await store.close();
    const reopened = open();
    for (const id of ['a', 'b', 'c']) expect(toArrays(await reopened.load(id))).toEqual(Array.from({ length: 20 }, (_, i) => [i, id.charCodeAt(0)]));
  });

  it('JOURNAL-2: appends of different documents made within the commit window share one write and one sync', async () => {
    const spy = spyIo();
    const store = open({ io: spy.io, commitWindowMs: 5 });
    await store.load('x'); // open the journal
    await Promise.all(Array.from({ length: 30 }, (_, i) => store.append(`doc-${i}`, bytes(i))));
    expect(spy.writes.filter((file) => file.endsWith('.jnl'))).toHaveLength(1);
    expect(spy.syncs.filter((file) => file.endsWith('.jnl'))).toHaveLength(1); // spyIo has no O_DSYNC: write + fdatasync
  });

  it('JOURNAL-3: a restart starts a new segment and reads the old ones; a torn tail is dropped with a warning', async () => {
    const store = open();
    for (const value of [1, 2, 3]) await store.append('torn', bytes(value, value));
    await store.close();
    const segment = path.join(journalDir(), '0.jnl');
    await truncate(segment, (await stat(segment)).size - 1);
    const reopened = open();
    expect(toArrays(await reopened.load('torn'))).toEqual([[1, 1], [2, 2]]);
    expect(capture.at(LEVEL.warn).some((line) => line.msg.includes('torn tail'))).toBe(true);
    await reopened.append('torn', bytes(4));
    expect(await segments()).toEqual(['0.jnl', '1.jnl']);
    await reopened.close();
    expect(toArrays(await open().load('torn'))).toEqual([[1, 1], [2, 2], [4]]);
  });

  it('JOURNAL-3: corruption inside a segment drops everything from the bad record on, logs an error and keeps a copy', async () => {
    const store = open();
    for (const value of [1, 2, 3]) await store.append('mid', bytes(value, value, value));
    await store.close();
    const segment = path.join(journalDir(), '0.jnl');
    const data = await readFile(segment);
    // Records: declaration (8 + 4), then updates of 8 + 1 + 3 bytes; break the second update.
    flipByte(data, HEADER_SIZE + RECORD_PREFIX_SIZE + 4 + (RECORD_PREFIX_SIZE + 4) + RECORD_PREFIX_SIZE + 2);
    await appendFile(segment, Buffer.alloc(0));
    await import('node:fs/promises').then((fs) => fs.writeFile(segment, data));
    expect(toArrays(await open().load('mid'))).toEqual([[1, 1, 1]]);
    expect(capture.at(LEVEL.error).some((line) => line.msg.includes('corrupt in the middle'))).toBe(true);
    expect((await readdir(journalDir())).some((name) => name.startsWith('0.jnl.corrupt-'))).toBe(true);
  });

  it('JOURNAL-3: a segment with a bad header rejects with DocStoreLoadError and changes nothing', async () => {
    const store = open();
    await store.append('hdr', bytes(1));
    await store.close();
    const segment = path.join(journalDir(), '0.jnl');
    const data = await readFile(segment);
    flipByte(data, 0);
    await import('node:fs/promises').then((fs) => fs.writeFile(segment, data));
    const reopened = open();
    await expect(reopened.load('hdr')).rejects.toBeInstanceOf(DocStoreLoadError);
    await expect(reopened.append('hdr', bytes(2))).rejects.toBeInstanceOf(DocStoreLoadError);
    expect(await readFile(segment)).toEqual(data);
    expect(await segments()).toEqual(['0.jnl']);
  });

  it('JOURNAL-4: a snapshot covers the records before its boundary; later records and a restart keep the state', async () => {
    const store = open();
    await store.append('snap', bytes(1));
    await store.append('other', bytes(7));
    const compacted = store.compact('snap', bytes(9, 9));
    const after = store.append('snap', bytes(2)); // after the boundary
    await Promise.all([compacted, after]);
    expect(toArrays(await store.load('snap'))).toEqual([[9, 9], [2]]);
    await store.close();
    const reopened = open();
    expect(toArrays(await reopened.load('snap'))).toEqual([[9, 9], [2]]);
    expect(toArrays(await reopened.load('other'))).toEqual([[7]]);
  });

  it('JOURNAL-4: an unreadable snapshot rejects the document with DocStoreLoadError, other documents still load', async () => {
    const store = open();
    await store.append('bad', bytes(1));
    await store.compact('bad', bytes(5));
    await store.append('good', bytes(2));
    await store.close();
    const file = path.join(journalDir(), 'snapshots', 'bad.snap');
    const data = await readFile(file);
    flipByte(data, data.length - 1);
    await import('node:fs/promises').then((fs) => fs.writeFile(file, data));
    const reopened = open();
    await expect(reopened.load('bad')).rejects.toBeInstanceOf(DocStoreLoadError);
    expect(toArrays(await reopened.load('good'))).toEqual([[2]]);
  });

  it('JOURNAL-5: sealed segments whose records are all covered are deleted; a document that keeps one alive is compacted by the store', async () => {
    const store = open({ segmentBytes: 1024, retainBytes: 2048, commitWindowMs: 0 });
    // "idle" writes once into the first segment and is never compacted by its owner.
    const idle = new Y.Doc();
    idle.on('update', (update: Uint8Array) => void store.append('idle', update));
    idle.getText('t').insert(0, 'written once');
    const busy = new Y.Doc();
    busy.on('update', (update: Uint8Array) => void store.append('busy', update));
    for (let i = 0; i < 200; i++) busy.getText('t').insert(0, `line ${i} `);
    await store.flush();
    await expect.poll(async () => (await segments()).includes('0.jnl')).toBe(false);
    expect((await readdir(path.join(journalDir(), 'snapshots'))).sort()).toContain('idle.snap');
    await store.close();
    const reopened = open();
    const check = async (id: string, expected: Y.Doc): Promise<void> => {
      const doc = new Y.Doc();
      for (const update of await reopened.load(id)) Y.applyUpdate(doc, update);
      expect(doc.getText('t').toString()).toBe(expected.getText('t').toString());
    };
    await check('idle', idle);
    await check('busy', busy);
  });

  it('JOURNAL-9: a read-only open loads everything and changes nothing, though maintenance and clean-up would', async () => {
    // Written without retirement, so that a normal open with a small retainBytes would compact and delete.
    const writer = open({ segmentBytes: 1024, retainBytes: 1 << 30, commitWindowMs: 0 });
    const docs = ['a', 'b'].map((id) => {
      const doc = new Y.Doc();
      doc.on('update', (update: Uint8Array) => void writer.append(id, update));
      for (let i = 0; i < 100; i++) doc.getText('t').insert(0, `${id} line ${i} `);
      return { id, doc };
    });
    await writer.flush();
    await writer.compact('a', Y.encodeStateAsUpdate(docs[0]!.doc));
    await writer.close();
    await appendFile(path.join(journalDir(), 'snapshots', 'b.snap.tmp'), 'left over by a crash');
    const listing = async (): Promise<string[]> => {
      const names = await readdir(journalDir(), { recursive: true });
      return (await Promise.all(names.map(async (name) => `${name} ${(await stat(path.join(journalDir(), name))).size}`))).sort();
    };
    const before = await listing();
    expect((await segments()).length).toBeGreaterThan(2);

    const reader = open({ segmentBytes: 1024, retainBytes: 2048, readOnly: true });
    for (const { id, doc } of docs) {
      const loaded = new Y.Doc();
      for (const update of await reader.load(id)) Y.applyUpdate(loaded, update);
      expect(loaded.getText('t').toString()).toBe(doc.getText('t').toString());
    }
    await expect(reader.append('a', bytes(1))).rejects.toThrow(/read-only/);
    await expect(reader.compact('a', bytes(1))).rejects.toThrow(/read-only/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await reader.close();
    expect(await listing()).toEqual(before);
  });

  it('JOURNAL-6: documents written by the per-document file store load, take appends, and move to the journal on compaction', async () => {
    const legacy = new FileDocStore({ dir: path.join(root, 'docs'), logger: silent });
    await legacy.append('old', bytes(1));
    await legacy.compact('old', bytes(1, 1));
    await legacy.append('old', bytes(2));
    await legacy.append('old-2', bytes(3));
    await legacy.close();

    const store = open();
    expect(toArrays(await store.load('old'))).toEqual([[1, 1], [2]]);
    await store.append('old', bytes(4));
    expect(toArrays(await store.load('old'))).toEqual([[1, 1], [2], [4]]);
    await store.close();
    const reopened = open();
    expect(toArrays(await reopened.load('old'))).toEqual([[1, 1], [2], [4]]);
    expect(toArrays(await reopened.load('old-2'))).toEqual([[3]]);
    await reopened.compact('old', bytes(8));
    expect(await readdir(path.join(root, 'docs'))).toEqual(['old-2']);
    await reopened.append('old', bytes(5));
    await reopened.close();
    expect(toArrays(await open().load('old'))).toEqual([[8], [5]]);
  });

  it('JOURNAL-2: while journal writes fail, appends stay pending, each waiting document is logged once and counted by health; then everything lands once', async () => {
    let failuresLeft = 4;
    const spy = spyIo({
      write: async (handle, _filePath, chunks, position) => {
        if (failuresLeft > 0) {
          failuresLeft--;
          throw ioError('ENOSPC');
        }
        return (await handle.writev(chunks, position)).bytesWritten;
      },
    });
    const store = open({ io: spy.io, commitWindowMs: 0 });
    await store.load('x');
    const appended = [store.append('full-a', bytes(1)), store.append('full-b', bytes(2)), store.append('full-a', bytes(3))];
    await expect.poll(() => store.health().ok).toBe(false);
    expect(store.health()).toMatchObject({ ok: false, failingDocuments: 2 });
    await Promise.all(appended);
    expect(store.health()).toEqual({ ok: true, failingDocuments: 0 });
    const named = capture.at(LEVEL.error).filter((line) => line.msg.startsWith('update log write failed')).map((line) => line.docId);
    expect(named.filter((id) => id === 'full-a')).toHaveLength(1);
    expect(named.filter((id) => id === 'full-b')).toHaveLength(1);
    await store.close();
    const reopened = open();
    expect(toArrays(await reopened.load('full-a'))).toEqual([[1], [3]]);
    expect(toArrays(await reopened.load('full-b'))).toEqual([[2]]);
  });
});
