import { appendFile, readFile, readdir, rename, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { DocStoreLoadError } from '../DocStore.js';
import { docStoreContract } from '../docStoreContract.js';
import { FileDocStore } from './fileDocStore.js';
import { LEVEL, bytes, type CapturedLog, fileBytes, flipByte, makeTempDir, toArrays, useScratchDir, writeDocFiles } from './fileStoreTestKit.js';
import { HEADER_SIZE, RECORD_PREFIX_SIZE } from './recordCodec.js';

docStoreContract('FileDocStore', async () => {
  const { dir, remove } = await makeTempDir();
  const make = (): FileDocStore => new FileDocStore({ dir: path.join(dir, 'docs'), logger: pino({ level: 'silent' }) });
  return { store: make(), reopen: async () => make(), cleanup: remove };
});

describe('FileDocStore recovery on load', () => {
  let root: string;
  let capture: CapturedLog;
  const stores: FileDocStore[] = [];
  const open = (): FileDocStore => {
    const store = new FileDocStore({ dir: root, logger: capture.logger });
    stores.push(store);
    return store;
  };
  const logPath = (docId: string, generation = 0): string => path.join(root, docId, `${generation}.log`);
  const records = [bytes(1, 1, 1), bytes(2, 2), bytes(3, 3, 3, 3)];
  const fileSize = (payloads: Uint8Array[]): number => HEADER_SIZE + payloads.reduce((sum, p) => sum + RECORD_PREFIX_SIZE + p.length, 0);

  async function storeRecords(docId: string): Promise<void> {
    const store = open();
    for (const record of records) await store.append(docId, record);
    await store.close();
  }

  useScratchDir(stores, (dir, captured) => {
    root = dir;
    capture = captured;
  });

  it('STORE-3: a torn tail record (short payload) is dropped, earlier records kept, a warning logged', async () => {
    await storeRecords('torn');
    await truncate(logPath('torn'), fileSize(records) - 2);
    expect(toArrays(await open().load('torn'))).toEqual(toArrays(records.slice(0, 2)));
    expect(capture.at(LEVEL.warn)).toEqual([expect.objectContaining({ docId: 'torn', kind: 'short-payload', offset: fileSize(records.slice(0, 2)) })]);
    expect(capture.at(LEVEL.error)).toEqual([]);
  });

  it('STORE-3: a torn length prefix at the tail is dropped', async () => {
    await storeRecords('prefix');
    await appendFile(logPath('prefix'), bytes(9, 0, 0));
    expect(toArrays(await open().load('prefix'))).toEqual(toArrays(records));
    expect(capture.at(LEVEL.warn)).toEqual([expect.objectContaining({ kind: 'short-prefix' })]);
  });

  it('STORE-3: a checksum mismatch in the last record drops that record', async () => {
    await storeRecords('flip');
    const data = await readFile(logPath('flip'));
    flipByte(data, data.length - 1);
    await writeFile(logPath('flip'), data);
    expect(toArrays(await open().load('flip'))).toEqual(toArrays(records.slice(0, 2)));
    expect(capture.at(LEVEL.warn)).toEqual([expect.objectContaining({ kind: 'checksum' })]);
  });

  it('STORE-3: garbage and zero-filled tails are dropped as torn writes', async () => {
    await storeRecords('garbage');
    await appendFile(logPath('garbage'), Buffer.from('garbage!'.repeat(8)));
    expect(toArrays(await open().load('garbage'))).toEqual(toArrays(records));
    await storeRecords('zeros');
    await appendFile(logPath('zeros'), Buffer.alloc(4096));
    expect(toArrays(await open().load('zeros'))).toEqual(toArrays(records));
    expect(capture.at(LEVEL.warn)).toHaveLength(2);
    expect(capture.at(LEVEL.error)).toEqual([]);
  });

  it('STORE-3: a log whose header was torn loads as empty and takes new appends', async () => {
    await writeDocFiles(path.join(root, 'fresh'), { '0.log': fileBytes('log', 0, []).subarray(0, 5) });
    const store = open();
    expect(await store.load('fresh')).toEqual([]);
    await store.append('fresh', bytes(7));
    await store.close();
    expect(toArrays(await open().load('fresh'))).toEqual([[7]]);
    expect((await stat(logPath('fresh'))).size).toBe(fileSize([bytes(7)]));
  });

  it('STORE-4: a checksum mismatch followed by valid records drops everything from it, logs an error with the offset and keeps a copy', async () => {
    await storeRecords('middle');
    const data = await readFile(logPath('middle'));
    const secondPayload = fileSize(records.slice(0, 1)) + RECORD_PREFIX_SIZE;
    flipByte(data, secondPayload);
    await writeFile(logPath('middle'), data);

    const store = open();
    expect(toArrays(await store.load('middle'))).toEqual(toArrays(records.slice(0, 1)));
    const [error] = capture.at(LEVEL.error);
    expect(error).toMatchObject({ docId: 'middle', offset: fileSize(records.slice(0, 1)), kind: 'checksum' });
    const names = await readdir(path.join(root, 'middle'));
    const copy = names.find((name) => name.startsWith('0.log.corrupt-'));
    expect(copy).toBeDefined();
    expect(await readFile(path.join(root, 'middle', copy ?? ''))).toEqual(data);

    await store.append('middle', bytes(4));
    await store.close();
    expect(toArrays(await open().load('middle'))).toEqual([[1, 1, 1], [4]]);
  });

  it('STORE-5: appends after a dropped torn tail go right after the last good record', async () => {
    await storeRecords('resume');
    await truncate(logPath('resume'), fileSize(records) - 1);
    const store = open();
    await store.load('resume');
    await store.append('resume', bytes(8, 8));
    expect(toArrays(await store.load('resume'))).toEqual([...toArrays(records.slice(0, 2)), [8, 8]]);
    await store.close();
    expect(toArrays(await open().load('resume'))).toEqual([...toArrays(records.slice(0, 2)), [8, 8]]);
    expect((await stat(logPath('resume'))).size).toBe(fileSize([...records.slice(0, 2), bytes(8, 8)]));
  });

  it('STORE-5: an append without a prior load also cuts the torn tail first', async () => {
    await storeRecords('blind');
    await appendFile(logPath('blind'), Buffer.from('half a record'));
    const store = open();
    await store.append('blind', bytes(5));
    await store.close();
    expect(toArrays(await open().load('blind'))).toEqual([...toArrays(records), [5]]);
    expect((await stat(logPath('blind'))).size).toBe(fileSize([...records, bytes(5)]));
  });

  it('STORE-6: a foreign file in place of a log rejects with DocStoreLoadError and is left untouched', async () => {
    const foreign = Buffer.from('{"this": "is not an update log at all"}');
    await writeDocFiles(path.join(root, 'foreign'), { '0.log': foreign });
    const store = open();
    const failure = store.load('foreign');
    await expect(failure).rejects.toBeInstanceOf(DocStoreLoadError);
    await expect(failure).rejects.toMatchObject({ code: 'DOC_LOAD_FAILED', docId: 'foreign' });
    await expect(store.append('foreign', bytes(1))).rejects.toBeInstanceOf(DocStoreLoadError);
    expect(await readFile(logPath('foreign'))).toEqual(foreign);
  });

  it('STORE-6: a log whose header names another generation rejects', async () => {
    await storeRecords('renamed');
    await rename(logPath('renamed', 0), logPath('renamed', 1));
    await expect(open().load('renamed')).rejects.toThrow(/generation 0/);
  });

  it('STORE-6: a corrupt or truncated snapshot rejects with DocStoreLoadError and nothing is deleted', async () => {
    const store = open();
    await store.append('snap', bytes(1));
    await store.compact('snap', bytes(1, 2, 3, 4, 5, 6));
    await store.append('snap', bytes(7));
    await store.close();
    const snapshot = path.join(root, 'snap', '1.snap');
    const good = await readFile(snapshot);
    const names = (await readdir(path.join(root, 'snap'))).sort();

    const flipped = Buffer.from(good);
    flipByte(flipped, flipped.length - 2, 1);
    await writeFile(snapshot, flipped);
    await expect(open().load('snap')).rejects.toBeInstanceOf(DocStoreLoadError);

    await writeFile(snapshot, good.subarray(0, good.length - 1));
    await expect(open().load('snap')).rejects.toBeInstanceOf(DocStoreLoadError);
    expect((await readdir(path.join(root, 'snap'))).sort()).toEqual(names);

    await writeFile(snapshot, good);
    expect(toArrays(await open().load('snap'))).toEqual([[1, 2, 3, 4, 5, 6], [7]]);
  });

  it('STORE-1: the id is checked again before it becomes a path', async () => {
    const store = open();
    await expect(store.load('../escape')).rejects.toMatchObject({ code: 'INVALID_DOC_ID' });
    await expect(store.append('..', bytes(1))).rejects.toMatchObject({ code: 'INVALID_DOC_ID' });
    expect(await readdir(root)).toEqual([]);
  });
});
