import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SyncMessageType } from '../../shared/protocol/index.js';
import { mergeInProcess, type RecordSnapshotter } from './loadPlanner.js';
import { Room } from './Room.js';
import { FakePeer, nextTurn, settled } from './roomTestKit.js';
import { GatedDocStore } from './gatedDocStoreTestKit.js';
import { snapshotOfRecords } from './storedRecords.js';

const logger = pino({ level: 'silent' });
const DOC = 'doc-compacted';

/** A snapshotter (the load worker, in the server) that answers when the test lets it, and records what it was given. */
function heldSnapshotter(): { snapshotter: RecordSnapshotter; calls: Uint8Array[][]; release: () => void; fail: (error: Error) => void } {
  const calls: Uint8Array[][] = [];
  let go!: () => void;
  let stop!: (error: Error) => void;
  const gate = new Promise<void>((resolve, reject) => {
    go = resolve;
    stop = reject;
  });
  gate.catch(() => undefined);
  const snapshotter: RecordSnapshotter = async (records) => {
    calls.push([...records]);
    await gate;
    return snapshotOfRecords(records);
  };
  return { snapshotter, calls, release: go, fail: stop };
}

/** A room on a store that wants compaction after 1 KiB (by default), a writer and a reader, and an editor whose edits the writer sends. */
async function setUp(snapshotter: RecordSnapshotter, compactAfterBytes = 1024, compactSnapshotTimeoutMs?: number) {
  const store = new GatedDocStore({ compactAfterBytes });
  const room = new Room({ docId: DOC, store, logger, snapshotter, merger: mergeInProcess, compactSnapshotTimeoutMs });
  await room.load();
  const writer = new FakePeer();
  const reader = new FakePeer();
  room.addPeer(writer);
  room.addPeer(reader);
  const editor = new Y.Doc();
  const text = editor.getText('t');
  let last: Uint8Array | null = null;
  editor.on('update', (update: Uint8Array) => (last = update));
  const edit = (change: () => void): Promise<void> => {
    change();
    return room.applyUpdate(last!, writer);
  };
  return { store, room, reader, text, edit };
}

describe('compaction of a room', () => {
  it('COMPACT-1: the snapshot is built off the event loop from the stored records; edits meanwhile are broadcast at once, appended and acknowledged after it', async () => {
    const held = heldSnapshotter();
    const { store, room, reader, text, edit } = await setUp(held.snapshotter);
    for (let i = 0; i < 100 && held.calls.length === 0; i++) {
      // Not awaited: once the compaction has begun, acknowledgements wait for it.
      void edit(() => text.insert(0, `${i} `.padEnd(64, '.')));
      // Deleted content is what a compaction sheds.
      if (i % 2 === 1) void edit(() => text.delete(0, 32));
      await nextTurn();
      await nextTurn();
    }
    expect(held.calls.length).toBe(1);
    const storedBefore = await store.load(DOC);
    expect(held.calls[0]).toEqual(storedBefore);

    const sentBefore = reader.sent.length;
    const during = edit(() => text.insert(0, 'typed while compacting '));
    const duringState = settled(during);
    await nextTurn();
    await nextTurn();
    expect(reader.sent.length).toBe(sentBefore + 1);
    expect(duringState.done).toBe(false);
    expect(await store.load(DOC)).toEqual(storedBefore);

    held.release();
    await during;
    await room.whenDurable();
    const stored = await store.load(DOC);
    expect(stored.length).toBe(2);
    expect(stored[0]).toEqual(snapshotOfRecords(storedBefore));
    expect(stored[0]!.byteLength).toBeLessThan(storedBefore.reduce((sum, record) => sum + record.byteLength, 0));
    const reloaded = new Y.Doc();
    for (const record of stored) Y.applyUpdate(reloaded, record);
    expect(reloaded.getText('t').toString()).toBe(text.toString());
    expect(room.doc.getText('t').toString()).toBe(text.toString());
    expect(held.calls.length).toBe(1);
    room.destroy();
  });

  it('COMPACT-1: when the snapshot cannot be made, the held edits are appended and acknowledged, the log is kept, and the next attempt waits', async () => {
    const held = heldSnapshotter();
    const { store, room, text, edit } = await setUp(held.snapshotter);
    for (let i = 0; i < 100 && held.calls.length === 0; i++) {
      void edit(() => text.insert(0, `${i} `.padEnd(64, '.')));
      await nextTurn();
      await nextTurn();
    }
    expect(held.calls.length).toBe(1);
    const storedBefore = await store.load(DOC);
    const during = edit(() => text.insert(0, 'typed while compacting '));
    await nextTurn();
    held.fail(new Error('the load worker died'));
    await during;
    await room.whenDurable();
    const stored = await store.load(DOC);
    expect(stored.slice(0, storedBefore.length)).toEqual(storedBefore);
    expect(stored.length).toBe(storedBefore.length + 1);
    const reloaded = new Y.Doc();
    for (const record of stored) Y.applyUpdate(reloaded, record);
    expect(reloaded.getText('t').toString()).toBe(text.toString());
    // Still due, but not retried with every edit (each attempt rebuilds the whole document).
    expect(store.shouldCompact(DOC)).toBe(true);
    await edit(() => text.insert(0, 'and after '));
    await nextTurn();
    expect(held.calls.length).toBe(1);
    room.destroy();
  });

  it('COMPACT-1, LOAD-7: after it, a fresh client of a large document gets the snapshot and the edits held meanwhile, without the room encoding the document', async () => {
    const held = heldSnapshotter();
    const { store, room, text, edit } = await setUp(held.snapshotter);
    void edit(() => text.insert(0, 'a large paste '.repeat(6000)));
    await nextTurn();
    await nextTurn();
    expect(held.calls.length).toBe(1);
    const during = edit(() => text.insert(0, 'typed while compacting '));
    await nextTurn();
    held.release();
    await during;
    await room.whenDurable();
    const [snapshot, heldUpdate] = (await store.load(DOC)) as [Uint8Array, Uint8Array];
    const fresh = new FakePeer();
    room.addPeer(fresh);
    room.answerSyncStep1(fresh, new Uint8Array([0]));
    expect(fresh.syncMessages()).toEqual([
      [SyncMessageType.Update, heldUpdate],
      [SyncMessageType.Step2, snapshot],
    ]);
    const client = new Y.Doc();
    for (const [, payload] of fresh.syncMessages()) Y.applyUpdate(client, payload);
    expect(client.getText('t').toString()).toBe(text.toString());
    room.destroy();
  });

  it('COMPACT-1: a large document whose whole state the room keeps for fresh clients is compacted from that, without reading the store', async () => {
    const held = heldSnapshotter();
    const { store, room, text, edit } = await setUp(held.snapshotter, 200 * 1024);
    await edit(() => text.insert(0, 'a large paste '.repeat(6000)));
    await nextTurn();
    // A fresh client makes the room keep the document's encoding as the base of its answer (LOAD-7).
    room.answerSyncStep1(new FakePeer(), new Uint8Array([0]));
    const loadsBefore = store.loads;
    for (let i = 0; i < 100 && held.calls.length === 0; i++) {
      void edit(() => text.insert(0, `${i} `.padEnd(4096, '.')));
      await nextTurn();
      await nextTurn();
    }
    expect(held.calls.length).toBe(1);
    expect(store.loads).toBe(loadsBefore);
    const fromMemory = new Y.Doc();
    for (const update of held.calls[0]!) Y.applyUpdate(fromMemory, update);
    expect(fromMemory.getText('t').toString()).toBe(room.doc.getText('t').toString());
    held.release();
    await room.whenDurable();
    const stored = await store.load(DOC);
    expect(stored.length).toBe(1);
    const reloaded = new Y.Doc();
    Y.applyUpdate(reloaded, stored[0]!);
    expect(reloaded.getText('t').toString()).toBe(text.toString());
    room.destroy();
  });

  it('COMPACT-1: a snapshot that never comes back is given up after the timeout: the held edits are saved and acknowledged', async () => {
    const held = heldSnapshotter(); // never released: a stuck worker
    const { store, room, text, edit } = await setUp(held.snapshotter, 1024, 50);
    for (let i = 0; i < 100 && held.calls.length === 0; i++) {
      void edit(() => text.insert(0, `${i} `.padEnd(64, '.')));
      await nextTurn();
      await nextTurn();
    }
    expect(held.calls.length).toBe(1);
    const during = edit(() => text.insert(0, 'typed while the worker is stuck '));
    const duringState = settled(during);
    await nextTurn();
    expect(duringState.done).toBe(false);
    await during;
    await room.whenDurable();
    const reloaded = new Y.Doc();
    for (const record of await store.load(DOC)) Y.applyUpdate(reloaded, record);
    expect(reloaded.getText('t').toString()).toBe(text.toString());
    room.destroy();
  });
});
