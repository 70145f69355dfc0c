import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileDocStore } from './fileDocStore.js';
import { nodeFileIo, type FileIo } from './fileIo.js';
import { bytes, captureLogger, fileBytes, ioError, makeTempDir, settle, spyIo, toArrays, waitFor, writeDocFiles } from './fileStoreTestKit.js';

describe('FileDocStore compaction', () => {
  let root: string;
  let remove: () => Promise<void>;
  const stores: FileDocStore[] = [];
  const open = (options: { io?: FileIo; compactAfterBytes?: number } = {}): FileDocStore => {
    const store = new FileDocStore({ dir: root, logger: captureLogger().logger, retry: { initialDelayMs: 5, maxDelayMs: 20 }, ...options });
    stores.push(store);
    return store;
  };
  const files = async (docId: string): Promise<string[]> => (await readdir(path.join(root, docId))).sort();
  const [A, B, C, D, S] = [bytes(0xa), bytes(0xb), bytes(0xc), bytes(0xd), bytes(0x5, 0x5)];

  beforeEach(async () => {
    ({ dir: root, remove } = await makeTempDir());
  });

  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    await remove();
  });

  it('STORE-9: after a compaction only the new generation remains, and later appends follow the snapshot', async () => {
    const store = open();
    await store.append('doc', A);
    await store.append('doc', B);
    await store.compact('doc', S);
    await store.append('doc', C);
    expect(await files('doc')).toEqual(['1.log', '1.snap']);
    expect(toArrays(await store.load('doc'))).toEqual(toArrays([S, C]));
    await store.close();
    expect(toArrays(await open().load('doc'))).toEqual(toArrays([S, C]));
  });

  it('STORE-9: compacting a document that has no files yet creates a loadable snapshot', async () => {
    const store = open();
    await store.compact('empty', S);
    await store.close();
    expect(toArrays(await open().load('empty'))).toEqual(toArrays([S]));
  });

  it('STORE-10: crash before the first snapshot was renamed: both logs load in order, the temp file is removed', async () => {
    await writeDocFiles(path.join(root, 'c1'), {
      '0.log': fileBytes('log', 0, [A, B]),
      '1.log': fileBytes('log', 1, [C]),
      '1.snap.tmp': fileBytes('snapshot', 1, [S]).subarray(0, 20),
    });
    expect(toArrays(await open().load('c1'))).toEqual(toArrays([A, B, C]));
    expect(await files('c1')).toEqual(['0.log', '1.log']);
  });

  it('STORE-10: crash before a later snapshot was renamed: the old snapshot and every newer log load', async () => {
    await writeDocFiles(path.join(root, 'c2'), {
      '1.snap': fileBytes('snapshot', 1, [S]),
      '1.log': fileBytes('log', 1, [A, B]),
      '2.log': fileBytes('log', 2, [C]),
      '2.snap.tmp': fileBytes('snapshot', 2, [S]),
    });
    expect(toArrays(await open().load('c2'))).toEqual(toArrays([S, A, B, C]));
  });

  it('STORE-10: crash after the rename, before old files were deleted: the new snapshot wins and old files go', async () => {
    await writeDocFiles(path.join(root, 'c3'), {
      '0.log': fileBytes('log', 0, [A]),
      '1.snap': fileBytes('snapshot', 1, [bytes(0x1)]),
      '1.log': fileBytes('log', 1, [B]),
      '2.snap': fileBytes('snapshot', 2, [S]),
      '2.log': fileBytes('log', 2, [C, D]),
    });
    const store = open();
    expect(toArrays(await store.load('c3'))).toEqual(toArrays([S, C, D]));
    expect(await files('c3')).toEqual(['2.log', '2.snap']);
    await store.append('c3', A);
    expect(toArrays(await store.load('c3'))).toEqual(toArrays([S, C, D, A]));
  });

  it('STORE-11: a failed snapshot write rejects, keeps the old state, and a later compaction succeeds', async () => {
    let failSnapshot = true;
    const { io } = spyIo({
      sync: async (handle, filePath) => {
        if (failSnapshot && filePath.endsWith('.snap.tmp')) throw ioError('EIO');
        await handle.datasync();
      },
    });
    const store = open({ io, compactAfterBytes: 40 });
    for (const update of [A, B, C, D]) await store.append('retry', update);
    expect(store.shouldCompact('retry')).toBe(true);

    await expect(store.compact('retry', S)).rejects.toThrow(/EIO/);
    await store.append('retry', A);
    expect(await files('retry')).toEqual(['0.log', '1.log']);
    expect(toArrays(await store.load('retry'))).toEqual(toArrays([A, B, C, D, A]));
    expect(store.shouldCompact('retry')).toBe(true);

    failSnapshot = false;
    await store.compact('retry', S);
    expect(await files('retry')).toEqual(['2.snap']);
    expect(store.shouldCompact('retry')).toBe(false);
    await store.close();
    expect(toArrays(await open().load('retry'))).toEqual(toArrays([S]));
  });

  it('STORE-11: a failed directory fsync after the rename keeps the old logs, so either snapshot loads', async () => {
    let failDirectorySync = false;
    const { io } = spyIo({
      syncDirectory: async (dirPath) => {
        if (failDirectorySync) throw ioError('EIO');
        await nodeFileIo.syncDirectory(dirPath);
      },
    });
    const store = open({ io });
    await store.append('dirsync', A);
    failDirectorySync = true;
    await expect(store.compact('dirsync', S)).rejects.toThrow(/EIO/);
    failDirectorySync = false;
    expect(await files('dirsync')).toEqual(['0.log', '1.snap']);
    expect(toArrays(await store.load('dirsync'))).toEqual(toArrays([A]));
    await store.close();
    expect(toArrays(await open().load('dirsync'))).toEqual(toArrays([S]));
  });

  it('STORE-13: an append to the new log is not acknowledged while an older record is not durable', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { io, syncs } = spyIo({
      write: async (handle, filePath, chunks, position) => {
        if (filePath.endsWith('0.log') || filePath.endsWith('.tmp')) await gate;
        return (await handle.writev(chunks, position)).bytesWritten;
      },
    });
    const store = open({ io });
    await store.load('order');
    let firstDone = false;
    let secondDone = false;
    void store.append('order', A).then(() => (firstDone = true));
    const compacted = store.compact('order', S);
    void store.append('order', B).then(() => (secondDone = true));
    try {
      await waitFor(() => syncs.includes('1.log')); // B's own write is durable…
      await settle(10);
      expect([firstDone, secondDone]).toEqual([false, false]); // …but it waits for A
    } finally {
      release();
    }
    await compacted;
    await store.flush();
    expect([firstDone, secondDone]).toEqual([true, true]);
    expect(toArrays(await store.load('order'))).toEqual(toArrays([S, B]));
  });

  it('STORE-14: shouldCompact is false while a compaction of the document is running', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { io } = spyIo({
      write: async (handle, filePath, chunks, position) => {
        if (filePath.endsWith('.tmp')) await gate;
        return (await handle.writev(chunks, position)).bytesWritten;
      },
    });
    const store = open({ io, compactAfterBytes: 10 });
    await store.append('busy', new Uint8Array(100));
    const compacted = store.compact('busy', S);
    try {
      await store.append('busy', new Uint8Array(100));
      expect(store.shouldCompact('busy')).toBe(false);
    } finally {
      release();
    }
    await compacted;
    expect(store.shouldCompact('busy')).toBe(true); // the 100 bytes appended after the switch remain
  });
});
