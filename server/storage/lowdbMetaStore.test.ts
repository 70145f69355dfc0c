import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LowdbMetaStore } from './lowdbMetaStore.js';
import { MetaStoreCorruptError } from './MetaStore.js';
import { accountStoreContract } from './accountStoreContract.js';
import { META_DATA_VERSION, emptyMetaData } from './metaData.js';
import { documentMeta, group, metaStoreContract, type MetaStoreFixture } from './metaStoreContract.js';

const logger = pino({ level: 'silent' });

async function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'roundtable-meta-'));
}

async function lowdbFixture(): Promise<MetaStoreFixture> {
  const dir = await tempDir();
  const file = path.join(dir, 'meta.json');
  return {
    store: await LowdbMetaStore.open({ file, logger }),
    reopen: () => LowdbMetaStore.open({ file, logger }),
    cleanup: () => fs.rm(dir, { recursive: true, force: true }),
  };
}

metaStoreContract('LowdbMetaStore', lowdbFixture);
accountStoreContract('LowdbMetaStore', lowdbFixture);

describe('LowdbMetaStore on disk', () => {
  let dir: string;
  let file: string;

  beforeEach(async () => {
    dir = await tempDir();
    file = path.join(dir, 'meta.json');
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('META-8: opening with no file creates one with a version field', async () => {
    const store = await LowdbMetaStore.open({ file, logger });
    await store.close();
    expect(JSON.parse(await fs.readFile(file, 'utf8'))).toEqual(emptyMetaData());
    expect(META_DATA_VERSION).toBe(2);
  });

  it('META-21: a version 1 file (groups and documents only) is read, keeps its data and is written as version 2', async () => {
    const v1 = { version: 1, groups: [group('a')], documents: [documentMeta('d1', 'a')] };
    await fs.writeFile(file, JSON.stringify(v1));
    const store = await LowdbMetaStore.open({ file, logger });
    expect(await store.listGroups()).toEqual([group('a')]);
    expect(await store.getDocument('d1')).toEqual(documentMeta('d1', 'a'));
    expect(await store.listUsers()).toEqual([]);
    await store.insert({ groups: [group('b')] });
    await store.close();
    const written = JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, unknown>;
    expect(written).toMatchObject({ version: 2, users: [], memberships: [], sessions: [], tokens: [], invites: [], activity: [] });
    expect((written.groups as unknown[]).length).toBe(2);
  });

  it('META-8: opening creates a missing data directory', async () => {
    const nested = path.join(dir, 'a', 'b', 'meta.json');
    const store = await LowdbMetaStore.open({ file: nested, logger });
    await store.insert({ groups: [group('a')] });
    await store.close();
    expect(JSON.parse(await fs.readFile(nested, 'utf8')).groups).toHaveLength(1);
  });

  const corruptCases: Array<[string, string]> = [
    ['not JSON', '{"version": 1, "groups": ['],
    ['empty', ''],
    ['wrong shape', JSON.stringify({ version: 1, groups: 'none', documents: [] })],
    ['wrong shape in version 2', JSON.stringify({ ...emptyMetaData(), users: [{ id: 'x' }] })],
    ['no version', JSON.stringify({ groups: [], documents: [] })],
    ['a newer version', JSON.stringify({ version: 99, groups: [], documents: [] })],
    ['an invalid stored id', JSON.stringify({ version: 1, groups: [{ id: '../x', name: 'n', description: '', createdAt: 't' }], documents: [] })],
  ];
  for (const [label, content] of corruptCases) {
    it(`META-9: a file that is ${label} throws MetaStoreCorruptError and is left byte-identical`, async () => {
      await fs.writeFile(file, content);
      const before = await fs.readFile(file);
      const error = await LowdbMetaStore.open({ file, logger }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(MetaStoreCorruptError);
      const corrupt = error as MetaStoreCorruptError;
      expect(corrupt.code).toBe('META_CORRUPT');
      expect(corrupt.file).toBe(file);
      expect(corrupt.message).toContain(file);
      expect(corrupt.message).toMatch(/backup/);
      expect(Buffer.compare(await fs.readFile(file), before)).toBe(0);
      expect(await fs.readdir(dir)).toEqual(['meta.json']);
    });
  }

  it('META-10: after many writes no temp file is left and the file parses', async () => {
    const store = await LowdbMetaStore.open({ file, logger });
    await store.insert({ groups: [group('a')] });
    await Promise.all(Array.from({ length: 30 }, (_, i) => store.insert({ documents: [documentMeta(`d${i}`, 'a')] })));
    await store.close();
    expect(await fs.readdir(dir)).toEqual(['meta.json']);
    expect(JSON.parse(await fs.readFile(file, 'utf8')).documents).toHaveLength(30);
  });

  it('META-10: temp files left by a crash are removed on open', async () => {
    await fs.writeFile(path.join(dir, '.meta.json.4242.abcdef.tmp'), '{"half": ');
    await fs.writeFile(path.join(dir, 'unrelated.tmp'), 'keep me');
    const store = await LowdbMetaStore.open({ file, logger });
    await store.close();
    expect((await fs.readdir(dir)).sort()).toEqual(['meta.json', 'unrelated.tmp']);
  });

  it('META-11: a failed write rejects, changes nothing visible, and later writes still work', async () => {
    const store = await LowdbMetaStore.open({ file, logger });
    await store.insert({ groups: [group('a')] });
    // A directory where the file should be makes the rename fail, even for root.
    await fs.rm(file);
    await fs.mkdir(file);
    await expect(store.insert({ groups: [group('b')] })).rejects.toThrow();
    expect(await fs.readdir(dir)).toEqual(['meta.json']);
    await fs.rmdir(file);
    expect((await store.listGroups()).map((g) => g.id)).toEqual(['a']);
    await store.insert({ groups: [group('c')] });
    await store.close();
    const reopened = await LowdbMetaStore.open({ file, logger });
    expect((await reopened.listGroups()).map((g) => g.id)).toEqual(['a', 'c']);
    await reopened.close();
  });

  it('META-5: a change made the moment a write completes is written too (not stranded)', async () => {
    const store = await LowdbMetaStore.open({ file, logger });
    await store.insert({ groups: [group('a')] }).then(() => store.insert({ groups: [group('b')] }));
    await store.insert({ groups: [group('c')] }).then(() => store.insert({ groups: [group('d')] }));
    expect((await store.listGroups()).map((g) => g.id)).toEqual(['a', 'b', 'c', 'd']);
    await store.close();
  });

  it('META-12: calls after close reject', async () => {
    const store = await LowdbMetaStore.open({ file, logger });
    await store.close();
    await expect(store.listGroups()).rejects.toThrow(/closed/);
    await expect(store.insert({ groups: [group('a')] })).rejects.toThrow(/closed/);
  });
});
