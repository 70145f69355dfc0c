import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { MemoryMetaStore } from '../storage/memoryMetaStore.js';
import { documentMeta, group } from '../storage/metaStoreContract.js';
import { EditTimestamps } from './editTimestamps.js';

const logger = pino({ level: 'silent' });
const LATER = new Date('2022-09-09T08:00:00.000Z');

/** A memory store that counts metadata writes of the batch kind and can be made to fail. */
class CountingStore extends MemoryMetaStore {
  batches: number[] = [];
  failing = false;
  override async updateDocuments(...args: Parameters<MemoryMetaStore['updateDocuments']>): ReturnType<MemoryMetaStore['updateDocuments']> {
    if (this.failing) throw new Error('disk full');
    this.batches.push(args[0].length);
    return super.updateDocuments(...args);
  }
}

async function storeWith(ids: string[]): Promise<CountingStore> {
  const store = new CountingStore();
  await store.insert({ groups: [group('g')], documents: ids.map((id) => documentMeta(id, 'g')) });
  return store;
}

describe('EditTimestamps', () => {
  it('writes every edited document in one metadata write per flush, and nothing when nothing was edited', async () => {
    const store = await storeWith(['d1', 'd2', 'd3']);
    const edits = new EditTimestamps(store, logger, 60_000, () => LATER);
    for (let i = 0; i < 100; i++) edits.touch(i % 2 === 0 ? 'd1' : 'd3');
    edits.touch('gone'); // deleted meanwhile: skipped, the others still written
    await edits.flush();
    expect(store.batches).toEqual([3]);
    expect((await store.getDocument('d1'))?.updatedAt).toBe(LATER.toISOString());
    expect((await store.getDocument('d3'))?.updatedAt).toBe(LATER.toISOString());
    expect((await store.getDocument('d2'))?.updatedAt).toBe(documentMeta('d2', 'g').updatedAt);
    await edits.flush();
    await edits.close();
    expect(store.batches).toEqual([3]);
  });

  it('keeps the documents marked when the write fails, and writes them on the next flush', async () => {
    const store = await storeWith(['d1']);
    const edits = new EditTimestamps(store, logger, 60_000, () => LATER);
    store.failing = true;
    edits.touch('d1');
    await edits.flush();
    expect((await store.getDocument('d1'))?.updatedAt).toBe(documentMeta('d1', 'g').updatedAt);
    store.failing = false;
    await edits.close();
    expect(store.batches).toEqual([1]);
    expect((await store.getDocument('d1'))?.updatedAt).toBe(LATER.toISOString());
  });
});
