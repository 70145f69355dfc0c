import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DocStore } from './DocStore.js';

export interface DocStoreHarness {
  store: DocStore;
  /** A new store over the same data, as after a restart. Called only after `store.close()`. */
  reopen: () => Promise<DocStore>;
  /** Removes the data (temp directories); called after every store it produced is closed. */
  cleanup: () => Promise<void>;
}

/**
 * The behaviour every DocStore adapter must show (house rule 3; rules in docs/STORAGE.md).
 * The adapter under test must use a compaction threshold of at most 1 MiB.
 */
export function docStoreContract(name: string, makeStore: () => Promise<DocStoreHarness>): void {
  describe(`DocStore contract: ${name}`, () => {
    let harness: DocStoreHarness;
    let open: Set<DocStore>;
    let store: DocStore;

    beforeEach(async () => {
      harness = await makeStore();
      store = harness.store;
      open = new Set([store]);
    });

    afterEach(async () => {
      for (const opened of open) await opened.close();
      await harness.cleanup();
    });

    const reopen = async (): Promise<DocStore> => {
      await store.close();
      open.delete(store);
      store = await harness.reopen();
      open.add(store);
      return store;
    };

    it('STORE-2: a document with nothing stored loads as []', async () => {
      expect(await store.load('never-written')).toEqual([]);
    });

    it('STORE-2: load returns every appended update, byte for byte, in append order', async () => {
      const updates = [bytes(1, 2, 3), bytes(), bytes(4), new Uint8Array(70_000).fill(7), bytes(5, 6)];
      for (const update of updates) await store.append('doc-1', update);
      expect(toArrays(await store.load('doc-1'))).toEqual(toArrays(updates));
      expect(toArrays(await (await reopen()).load('doc-1'))).toEqual(toArrays(updates));
    });

    it('STORE-2: appends issued without awaiting keep their order, and load sees them', async () => {
      const updates = Array.from({ length: 200 }, (_, i) => bytes(i & 0xff, i >> 8));
      const appended = updates.map((update) => store.append('burst', update));
      expect(toArrays(await store.load('burst'))).toEqual(toArrays(updates));
      await Promise.all(appended);
      expect(toArrays(await (await reopen()).load('burst'))).toEqual(toArrays(updates));
    });

    it('STORE-2: documents are isolated from each other', async () => {
      const ids = ['a', 'b-2', 'c-third'];
      const pending: Promise<void>[] = [];
      for (let i = 0; i < 30; i++) {
        for (const [n, id] of ids.entries()) pending.push(store.append(id, bytes(n, i)));
      }
      await Promise.all(pending);
      for (const [n, id] of ids.entries()) {
        expect(toArrays(await store.load(id))).toEqual(Array.from({ length: 30 }, (_, i) => [n, i]));
      }
    });

    it('STORE-1: invalid ids are refused by every method', async () => {
      for (const bad of ['../x', 'A', '', 'a/b', 'x'.repeat(65), 'a.b', '-a']) {
        await expect(store.load(bad)).rejects.toThrow();
        await expect(store.append(bad, bytes(1))).rejects.toThrow();
        await expect(store.compact(bad, bytes(1))).rejects.toThrow();
        await expect(store.unload(bad)).rejects.toThrow();
        expect(() => store.shouldCompact(bad)).toThrow();
      }
      expect(store.shouldCompact('x'.repeat(64))).toBe(false);
    });

    it('STORE-9: compaction keeps the state and the appends made during and after it', async () => {
      const editor = new Editor(store, 'doc-c');
      editor.edit(1, (doc) => doc.getText('title').insert(0, 'Agenda'));
      editor.edit(2, (doc) => doc.getXmlFragment('body').insert(0, [paragraph('first point')]));
      await editor.settled();

      const compacted = store.compact('doc-c', Y.encodeStateAsUpdate(editor.doc));
      editor.edit(1, (doc) => doc.getText('title').insert(6, ' (draft)')); // appended during compaction
      await compacted;
      editor.edit(2, (doc) => doc.getXmlFragment('body').insert(1, [paragraph('second point')]));
      editor.edit(1, (doc) => doc.getText('title').delete(0, 1));
      await editor.settled();

      expect(stateOf(await store.load('doc-c'))).toEqual(stateOf([Y.encodeStateAsUpdate(editor.doc)]));
      expect(stateOf(await (await reopen()).load('doc-c'))).toEqual(stateOf([Y.encodeStateAsUpdate(editor.doc)]));
    });

    it('STORE-9: repeated compactions with appends in between load to the same state', async () => {
      const editor = new Editor(store, 'doc-r');
      for (let round = 0; round < 4; round++) {
        for (let i = 0; i < 10; i++) editor.edit((i % 3) + 1, (doc) => doc.getText('title').insert(0, `${round}.${i} `));
        const compacted = store.compact('doc-r', Y.encodeStateAsUpdate(editor.doc));
        editor.edit(9, (doc) => doc.getXmlFragment('body').insert(0, [paragraph(`round ${round}`)]));
        await compacted;
      }
      await editor.settled();
      const expected = stateOf([Y.encodeStateAsUpdate(editor.doc)]);
      expect(stateOf(await store.load('doc-r'))).toEqual(expected);
      expect(stateOf(await (await reopen()).load('doc-r'))).toEqual(expected);
    });

    it('STORE-14: shouldCompact turns true past the threshold and false after compaction', async () => {
      expect(store.shouldCompact('big')).toBe(false);
      const editor = new Editor(store, 'big');
      for (let i = 0; i < 20; i++) editor.edit(1, (doc) => doc.getText('title').insert(0, 'x'.repeat(64 * 1024)));
      await editor.settled();
      expect(store.shouldCompact('big')).toBe(true);
      await store.compact('big', Y.encodeStateAsUpdate(editor.doc));
      expect(store.shouldCompact('big')).toBe(false);
      expect(stateOf(await store.load('big'))).toEqual(stateOf([Y.encodeStateAsUpdate(editor.doc)]));
    });

    it('STORE-14: after a compaction, shouldCompact waits until the log outgrows the snapshot too', async () => {
      // The snapshot is larger than any threshold the harness may use (at most 1 MiB).
      const snapshot = new Uint8Array(1536 * 1024).fill(3);
      await store.append('large', bytes(1));
      await store.compact('large', snapshot);
      for (let i = 0; i < 20; i++) await store.append('large', new Uint8Array(64 * 1024).fill(i));
      expect(store.shouldCompact('large')).toBe(false); // 1.25 MiB of log < 1.5 MiB of snapshot
      for (let i = 0; i < 5; i++) await store.append('large', new Uint8Array(64 * 1024).fill(i));
      expect(store.shouldCompact('large')).toBe(true);
    });

    it('STORE-15: unload waits for pending appends; the document then loads and takes appends as after a restart', async () => {
      const first = Array.from({ length: 30 }, (_, i) => bytes(i));
      const appended = first.map((update) => store.append('unloaded', update));
      await store.unload('unloaded');
      await Promise.all(appended);
      expect(toArrays(await store.load('unloaded'))).toEqual(toArrays(first));
      await store.append('unloaded', bytes(99));
      expect(toArrays(await store.load('unloaded'))).toEqual(toArrays([...first, bytes(99)]));
      expect(toArrays(await (await reopen()).load('unloaded'))).toEqual(toArrays([...first, bytes(99)]));
    });

    it('STORE-15: calls racing an unload keep their order, and unloading a document never opened is a no-op', async () => {
      await store.unload('never-opened');
      await store.append('racing', bytes(1));
      const unloaded = store.unload('racing');
      const appended = store.append('racing', bytes(2)); // reaches the document after the unload started
      const loaded = store.load('racing');
      await Promise.all([unloaded, appended]);
      expect(toArrays(await loaded)).toEqual([[1], [2]]);
      const editor = new Editor(store, 'racing-state');
      editor.edit(1, (doc) => doc.getText('title').insert(0, 'before'));
      await editor.settled();
      await store.unload('racing-state');
      editor.edit(1, (doc) => doc.getText('title').insert(6, ' and after'));
      await editor.settled();
      expect(stateOf(await (await reopen()).load('racing-state'))).toEqual(stateOf([Y.encodeStateAsUpdate(editor.doc)]));
    });

    it('STORE-12: flush resolves only after every append so far is durable', async () => {
      const done: boolean[] = [];
      for (let i = 0; i < 50; i++) {
        const index = done.push(false) - 1;
        void store.append(i % 2 === 0 ? 'even' : 'odd', bytes(i)).then(() => (done[index] = true));
      }
      await store.flush();
      expect(done.every(Boolean)).toBe(true);
      const reopened = await reopen();
      expect((await reopened.load('even')).length + (await reopened.load('odd')).length).toBe(50);
    });

    it('STORE-12: calls after close reject', async () => {
      await store.append('closing', bytes(1));
      await store.close();
      open.delete(store);
      await expect(store.append('closing', bytes(2))).rejects.toThrow();
      await expect(store.load('closing')).rejects.toThrow();
      await expect(store.unload('closing')).rejects.toThrow();
      store = await harness.reopen();
      open.add(store);
      expect(toArrays(await store.load('closing'))).toEqual([[1]]);
    });
  });
}

/** A Yjs editor whose every update is appended to the store, like a Room does. */
class Editor {
  readonly doc = new Y.Doc();
  private readonly appended: Promise<void>[] = [];
  private readonly clients = new Map<number, Y.Doc>();

  constructor(
    private readonly store: DocStore,
    private readonly docId: string,
  ) {
    this.doc.on('update', (update: Uint8Array) => this.appended.push(this.store.append(this.docId, update)));
  }

  /** Edits as client `clientId` (several clients make the state vector non-trivial). */
  edit(clientId: number, change: (doc: Y.Doc) => void): void {
    let client = this.clients.get(clientId);
    if (!client) {
      client = new Y.Doc();
      client.clientID = clientId;
      this.clients.set(clientId, client);
    }
    Y.applyUpdate(client, Y.encodeStateAsUpdate(this.doc, Y.encodeStateVector(client)));
    const before = Y.encodeStateVector(this.doc);
    change(client);
    Y.applyUpdate(this.doc, Y.encodeStateAsUpdate(client, before));
  }

  async settled(): Promise<void> {
    await Promise.all(this.appended);
  }
}

function paragraph(text: string): Y.XmlElement {
  const element = new Y.XmlElement('paragraph');
  element.insert(0, [new Y.XmlText(text)]);
  return element;
}

/** What a user would see, plus the state vector (encodings of equal states may differ). */
function stateOf(updates: Uint8Array[]): { title: string; body: string; stateVector: [number, number][] } {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  const stateVector = [...Y.decodeStateVector(Y.encodeStateVector(doc)).entries()].sort(([a], [b]) => a - b);
  return { title: doc.getText('title').toString(), body: doc.getXmlFragment('body').toString(), stateVector };
}

function bytes(...values: number[]): Uint8Array {
  return Uint8Array.from(values);
}

function toArrays(updates: Uint8Array[]): number[][] {
  return updates.map((update) => Array.from(update));
}
