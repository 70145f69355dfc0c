import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DocumentMeta, Group } from '../../shared/domain/index.js';
import type { MetaStore } from './MetaStore.js';

/**
 * The behaviour every MetaStore adapter must show (house rule 3: one contract, many adapters).
 * Each adapter's test file calls this with a factory; `reopen` closes nothing itself — the suite
 * closes the store first, then reopens over the same backing data.
 */
export interface MetaStoreFixture {
  store: MetaStore;
  reopen: () => Promise<MetaStore>;
  cleanup: () => Promise<void>;
}

const T0 = '2022-09-08T10:00:00.000Z';

export function group(id: string, name = `WG ${id}`): Group {
  return { id, name, description: `Description of ${name}`, createdAt: T0 };
}

export function documentMeta(id: string, groupId: string, overrides: Partial<DocumentMeta> = {}): DocumentMeta {
  return {
    id,
    groupId,
    kind: 'follow-up',
    title: `Follow-up ${id}`,
    state: 'draft',
    meeting: { date: '2022-09-08', type: 'group-meeting', place: 'online' },
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function metaStoreContract(name: string, makeStore: () => Promise<MetaStoreFixture>): void {
  describe(`MetaStore contract: ${name}`, () => {
    let fixture: MetaStoreFixture;
    let store: MetaStore;

    beforeEach(async () => {
      fixture = await makeStore();
      store = fixture.store;
    });
    afterEach(async () => {
      await store.close();
      await fixture.cleanup();
    });

    it('META-1: a new store is empty, and what is inserted can be listed and fetched', async () => {
      expect(await store.listGroups()).toEqual([]);
      const g = group('digital-transition');
      const d = documentMeta('doc-1', g.id);
      await store.insert({ groups: [g], documents: [d] });
      expect(await store.listGroups()).toEqual([g]);
      expect(await store.getGroup(g.id)).toEqual(g);
      expect(await store.getDocument(d.id)).toEqual(d);
      expect(await store.getGroup('nope')).toBeUndefined();
      expect(await store.getDocument('nope')).toBeUndefined();
    });

    it('META-1: groups and documents can be inserted separately, in insertion order', async () => {
      await store.insert({ groups: [group('a'), group('b')] });
      await store.insert({ documents: [documentMeta('d1', 'a')] });
      await store.insert({ documents: [documentMeta('d2', 'a', { kind: 'report', meeting: undefined })] });
      expect((await store.listGroups()).map((g) => g.id)).toEqual(['a', 'b']);
      expect((await store.listDocuments('a')).map((d) => d.id)).toEqual(['d1', 'd2']);
    });

    it('META-2: listDocuments returns only the documents of that group', async () => {
      await store.insert({
        groups: [group('a'), group('b'), group('c')],
        documents: [documentMeta('d1', 'a'), documentMeta('d2', 'b'), documentMeta('d3', 'a')],
      });
      expect((await store.listDocuments('a')).map((d) => d.id).sort()).toEqual(['d1', 'd3']);
      expect((await store.listDocuments('b')).map((d) => d.id)).toEqual(['d2']);
      expect(await store.listDocuments('c')).toEqual([]);
      expect(await store.listDocuments('unknown')).toEqual([]);
    });

    it('META-3: updateDocument applies the patch and returns the updated document', async () => {
      await store.insert({ groups: [group('a')], documents: [documentMeta('d1', 'a')] });
      const later = '2022-09-09T08:00:00.000Z';
      const meeting = { date: '2022-09-07', type: 'preliminary' as const, place: 'Brussels' };
      const updated = await store.updateDocument('d1', { title: 'Renamed', meeting, updatedAt: later });
      const expected = documentMeta('d1', 'a', { title: 'Renamed', meeting, updatedAt: later });
      expect(updated).toEqual(expected);
      expect(await store.getDocument('d1')).toEqual(expected);
      // A key given as undefined keeps the stored value.
      expect(await store.updateDocument('d1', { title: undefined, state: 'review' })).toEqual({ ...expected, state: 'review' });
    });

    it('META-3: updateDocument of an unknown id resolves to undefined and changes nothing', async () => {
      await store.insert({ groups: [group('a')], documents: [documentMeta('d1', 'a')] });
      expect(await store.updateDocument('missing', { title: 'x' })).toBeUndefined();
      expect(await store.getDocument('missing')).toBeUndefined();
      expect(await store.getDocument('d1')).toEqual(documentMeta('d1', 'a'));
    });

    it('META-3: updateDocuments applies every patch at once and skips unknown ids', async () => {
      await store.insert({ groups: [group('a')], documents: [documentMeta('d1', 'a'), documentMeta('d2', 'a'), documentMeta('d3', 'a')] });
      const later = '2022-09-09T08:00:00.000Z';
      const updated = await store.updateDocuments([
        { documentId: 'd1', patch: { updatedAt: later } },
        { documentId: 'missing', patch: { updatedAt: later } },
        { documentId: 'd3', patch: { updatedAt: later, title: 'Third' } },
      ]);
      expect(updated).toEqual([documentMeta('d1', 'a', { updatedAt: later }), undefined, documentMeta('d3', 'a', { updatedAt: later, title: 'Third' })]);
      expect(await store.getDocument('d2')).toEqual(documentMeta('d2', 'a'));
      expect(await store.getDocument('missing')).toBeUndefined();
      expect(await store.updateDocuments([])).toEqual([]);
      expect(await store.updateDocuments([{ documentId: 'missing', patch: { title: 'x' } }])).toEqual([undefined]);
      await store.close();
      store = await fixture.reopen();
      expect((await store.listDocuments('a')).map((d) => [d.id, d.updatedAt])).toEqual([
        ['d1', later],
        ['d2', documentMeta('d2', 'a').updatedAt],
        ['d3', later],
      ]);
    });

    it('META-4: a batch with an id that already exists is refused as a whole', async () => {
      await store.insert({ groups: [group('a')], documents: [documentMeta('d1', 'a')] });
      await expect(store.insert({ groups: [group('b'), group('a')] })).rejects.toThrow(/already exists/);
      await expect(store.insert({ groups: [group('c')], documents: [documentMeta('d2', 'c'), documentMeta('d1', 'c')] })).rejects.toThrow(
        /already exists/,
      );
      expect((await store.listGroups()).map((g) => g.id)).toEqual(['a']);
      expect(await store.getDocument('d2')).toBeUndefined();
    });

    it('META-4: duplicate ids inside one batch, invalid ids and unknown groups are refused', async () => {
      await expect(store.insert({ groups: [group('a'), group('a')] })).rejects.toThrow(/already exists/);
      await expect(store.insert({ groups: [group('b')], documents: [documentMeta('d', 'b'), documentMeta('d', 'b')] })).rejects.toThrow();
      await expect(store.insert({ groups: [group('../etc')] })).rejects.toThrow(/not a valid id/);
      await expect(store.insert({ groups: [group('c')], documents: [documentMeta('d', 'nowhere')] })).rejects.toThrow(/unknown group/);
      expect(await store.listGroups()).toEqual([]);
      expect(await store.getDocument('d')).toBeUndefined();
    });

    it('META-5: concurrent writes all succeed and none is lost', async () => {
      await store.insert({ groups: [group('a')] });
      const ids = Array.from({ length: 20 }, (_, i) => `d${i}`);
      await Promise.all([
        ...ids.map((id) => store.insert({ documents: [documentMeta(id, 'a')] })),
        store.insert({ groups: [group('a')] }).catch(() => 'refused'),
      ]);
      await Promise.all(ids.map((id, i) => store.updateDocument(id, { title: `T${i}` })));
      const docs = await store.listDocuments('a');
      expect(docs.map((d) => d.id).sort()).toEqual([...ids].sort());
      expect(docs.every((d) => d.title === `T${d.id.slice(1)}`)).toBe(true);
    });

    it('META-6: returned objects are copies; mutating them does not change the store', async () => {
      const g = group('a');
      const d = documentMeta('d1', 'a');
      await store.insert({ groups: [g], documents: [d] });
      g.name = 'changed after insert';
      d.meeting!.place = 'changed after insert';
      (await store.listGroups())[0]!.name = 'mutated';
      (await store.getDocument('d1'))!.meeting!.place = 'mutated';
      (await store.listDocuments('a'))[0]!.title = 'mutated';
      (await store.updateDocument('d1', { state: 'review' }))!.title = 'mutated';
      expect(await store.getGroup('a')).toEqual(group('a'));
      expect(await store.getDocument('d1')).toEqual(documentMeta('d1', 'a', { state: 'review' }));
    });

    it('META-7: after close and reopen, everything written before is there', async () => {
      await store.insert({ groups: [group('a'), group('b')], documents: [documentMeta('d1', 'a'), documentMeta('d2', 'b')] });
      await store.updateDocument('d2', { title: 'Patched', state: 'final' });
      await store.close();
      store = await fixture.reopen();
      expect((await store.listGroups()).map((g) => g.id)).toEqual(['a', 'b']);
      expect(await store.getDocument('d1')).toEqual(documentMeta('d1', 'a'));
      expect(await store.getDocument('d2')).toEqual(documentMeta('d2', 'b', { title: 'Patched', state: 'final' }));
      expect((await store.listDocuments('b')).map((d) => d.id)).toEqual(['d2']);
    });
  });
}
