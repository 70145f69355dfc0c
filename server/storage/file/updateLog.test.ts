import { constants } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileDocStore } from './fileDocStore.js';
import type { FileIo } from './fileIo.js';
import { LEVEL, bytes, type CapturedLog, fileBytes, ioError, openFilesUnder, settle, spyIo, toArrays, useScratchDir } from './fileStoreTestKit.js';

describe('FileDocStore writes (update log)', () => {
  let root: string;
  let capture: CapturedLog;
  const stores: FileDocStore[] = [];
  const open = (io?: FileIo, idleCloseMs?: number): FileDocStore => {
    const store = new FileDocStore({ dir: root, logger: capture.logger, retry: { initialDelayMs: 10, maxDelayMs: 40 }, io, idleCloseMs });
    stores.push(store);
    return store;
  };
  const logSyncs = (syncs: string[]): number => syncs.filter((name) => name.endsWith('.log')).length;

  useScratchDir(stores, (dir, captured) => {
    root = dir;
    capture = captured;
  });

  it('STORE-7: 100 appends made in one tick share one write and one fsync', async () => {
    const spy = spyIo();
    const store = open(spy.io);
    await store.load('tick');
    await Promise.all(Array.from({ length: 100 }, (_, i) => store.append('tick', bytes(i))));
    expect(logSyncs(spy.syncs)).toBe(1);
    expect(spy.writes).toEqual(['0.log']);
  });

  it('STORE-7: appends arriving while an fsync is in flight are batched into the next one', async () => {
    const spy = spyIo({
      sync: async (handle) => {
        await settle(5); // a slow disk
        await handle.datasync();
      },
    });
    const store = open(spy.io);
    await store.load('stream');
    const appended: Promise<void>[] = [];
    for (let i = 0; i < 100; i++) {
      appended.push(store.append('stream', bytes(i)));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(appended);
    expect(logSyncs(spy.syncs)).toBeLessThan(25);
    await store.close();
    expect(toArrays(await open().load('stream'))).toEqual(Array.from({ length: 100 }, (_, i) => [i]));
  });

  it('STORE-7: an append resolves only after the fsync covering its record, and documents do not wait for each other', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const spy = spyIo({
      sync: async (handle, filePath) => {
        if (filePath.includes(`${path.sep}slow${path.sep}`)) await gate;
        await handle.datasync();
      },
    });
    const store = open(spy.io);
    let slowDone = false;
    const slow = store.append('slow', bytes(1)).then(() => (slowDone = true));
    try {
      await store.append('fast', bytes(2)); // resolves while 'slow' is still in its fsync
      await settle(20);
      expect(spy.writes).toContain('0.log');
      expect(slowDone).toBe(false);
    } finally {
      release();
    }
    await slow;
    expect(slowDone).toBe(true);
  });

  it('STORE-8: a failing write keeps appends pending, is logged once, retried, and the file holds each record once', async () => {
    let failing = true;
    let attempts = 0;
    let thirdAttempt!: () => void;
    const reachedThirdAttempt = new Promise<void>((resolve) => (thirdAttempt = resolve));
    const spy = spyIo({
      write: async (handle, filePath, chunks, position) => {
        if (++attempts === 3) thirdAttempt();
        if (failing) {
          // Half of the first chunk reaches the file before the error: a partial write.
          const first = chunks[0] ?? new Uint8Array();
          await handle.write(first.subarray(0, Math.ceil(first.length / 2)), 0, undefined, position);
          throw ioError('EIO');
        }
        return (await handle.writev(chunks, position)).bytesWritten;
      },
    });
    const store = open(spy.io);
    const updates = [bytes(1, 2, 3), bytes(4, 5), bytes(6)];
    let done = false;
    const appended = Promise.all(updates.map((update) => store.append('flaky', update))).then(() => (done = true));

    await reachedThirdAttempt;
    expect(done).toBe(false);
    expect(store.health()).toEqual({ ok: false, failingDocuments: 1, lastError: expect.stringContaining('EIO') });
    failing = false;

    await appended;
    expect(store.health()).toEqual({ ok: true, failingDocuments: 0 });
    expect(capture.at(LEVEL.error)).toHaveLength(1);
    expect(capture.at(LEVEL.info)).toEqual([expect.objectContaining({ attempts, docId: 'flaky' })]);
    expect(await readFile(path.join(root, 'flaky', '0.log'))).toEqual(fileBytes('log', 0, updates));
  });

  it('STORE-8: a failing fsync is retried and the batch rewritten, with nothing duplicated', async () => {
    let failuresLeft = 2;
    const spy = spyIo({
      sync: async (handle) => {
        if (failuresLeft > 0) {
          failuresLeft -= 1;
          throw ioError('ENOSPC');
        }
        await handle.datasync();
      },
    });
    const store = open(spy.io);
    await store.append('nospace', bytes(1));
    const second = store.append('nospace', bytes(2));
    const third = store.append('nospace', bytes(3));
    await Promise.all([second, third]);
    expect(await readFile(path.join(root, 'nospace', '0.log'))).toEqual(fileBytes('log', 0, [bytes(1), bytes(2), bytes(3)]));
    expect(capture.at(LEVEL.error)).toHaveLength(1);
  });

  it('STORE-12: close waits for appends that are still being retried', async () => {
    let failuresLeft = 2;
    const spy = spyIo({
      write: async (handle, filePath, chunks, position) => {
        if (failuresLeft-- > 0) throw ioError('EIO');
        return (await handle.writev(chunks, position)).bytesWritten;
      },
    });
    const store = open(spy.io);
    void store.append('closing', bytes(9));
    await store.close();
    await expect(store.append('closing', bytes(10))).rejects.toMatchObject({ code: 'DOC_STORE_CLOSED' });
    expect(toArrays(await open().load('closing'))).toEqual([[9]]);
  });

  it('STORE-7: a new document directory and log file are made durable with directory fsyncs', async () => {
    const spy = spyIo();
    const store = open(spy.io);
    await store.append('newdoc', bytes(1));
    expect(spy.dirSyncs).toEqual(expect.arrayContaining([root, path.join(root, 'newdoc')]));
    const before = spy.dirSyncs.length;
    await store.append('newdoc', bytes(2));
    expect(spy.dirSyncs.length).toBe(before);
  });

  it('STORE-7: with O_DSYNC a batch is one write and needs no separate fsync; after a truncation it gets one', async () => {
    let failOnce = true;
    const spy = spyIo({
      syncOnWriteFlags: constants.O_DSYNC,
      write: async (handle, _filePath, chunks, position) => {
        if (failOnce) {
          failOnce = false;
          throw ioError('EIO');
        }
        return (await handle.writev(chunks, position)).bytesWritten;
      },
    });
    const store = open(spy.io);
    await store.load('dsync');
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.append('dsync', bytes(i)))); // fails once, then truncates
    expect(logSyncs(spy.syncs)).toBe(1);
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.append('dsync', bytes(50 + i))));
    await store.append('dsync', bytes(100));
    expect(logSyncs(spy.syncs)).toBe(1); // plain appends: the O_DSYNC write is the fsync
    await store.close();
    expect(toArrays(await open().load('dsync'))).toEqual(Array.from({ length: 101 }, (_, i) => [i]));
  });

  it('STORE-15: a log keeps its file open between writes, closes it when idle, and unload closes it', async () => {
    const store = open(undefined, 50);
    const dir = path.join(root, 'handles');
    await store.append('handles', bytes(1));
    await store.append('handles', bytes(2));
    const openNow = await openFilesUnder(dir);
    if (openNow === null) return; // no /proc: nothing to look at on this platform
    expect(openNow).toEqual([path.join(dir, '0.log')]);
    for (let i = 0; i < 500 && (await openFilesUnder(dir))?.length !== 0; i++) await settle(10);
    expect(await openFilesUnder(dir)).toEqual([]); // closed after 50 ms without a write
    await store.append('handles', bytes(3)); // reopened on demand
    expect(await openFilesUnder(dir)).toEqual([path.join(dir, '0.log')]);
    await store.unload('handles');
    expect(await openFilesUnder(dir)).toEqual([]);
    expect(toArrays(await store.load('handles'))).toEqual([[1], [2], [3]]);
  });
});
