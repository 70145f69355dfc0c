import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode, MessageType, SyncMessageType } from '../../shared/protocol/index.js';
import { planInProcess, type LoadPlanner } from './loadPlanner.js';
import { Room } from './Room.js';
import { FakePeer, nextTurn, settled } from './roomTestKit.js';
import { MemoryDocStore } from '../storage/memoryDocStore.js';
import { GatedDocStore } from './gatedDocStoreTestKit.js';
import { SliceScheduler } from './roomLoading.js';

const logger = pino({ level: 'silent' });
const DOC = 'doc-large';

/** A load planner that waits until the test lets it answer. */
function heldPlanner(): { planner: LoadPlanner; release: () => void; fail: (error: Error) => void } {
  let go!: () => void;
  let stop!: (error: Error) => void;
  const gate = new Promise<void>((resolve, reject) => {
    go = resolve;
    stop = reject;
  });
  const planner: LoadPlanner = async (records, onSync) => {
    await gate;
    return planInProcess(records, onSync);
  };
  return { planner, release: go, fail: stop };
}

function storedDocument(paragraphs: number): { doc: Y.Doc; snapshot: Uint8Array } {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment('default');
  for (let i = 0; i < paragraphs; i++) {
    const paragraph = new Y.XmlElement('paragraph');
    fragment.insert(fragment.length, [paragraph]);
    paragraph.insert(0, [new Y.XmlText(`stored paragraph ${i}`)]);
  }
  fragment.delete(0, 1);
  return { doc, snapshot: Y.encodeStateAsUpdate(doc) };
}

async function roomWith(records: Uint8Array[], planner: LoadPlanner, store = new GatedDocStore()): Promise<{ room: Room; store: GatedDocStore }> {
  store.held = false;
  for (const record of records) await store.append(DOC, record);
  // Every stored byte counts as "large" here, so that small test documents take the sliced path.
  const room = new Room({ docId: DOC, store, logger, planner, slices: new SliceScheduler(1), loadInSlicesFromBytes: 1 });
  await room.load();
  return { room, store };
}

describe('a room that is loaded in slices', () => {
  it('LOAD-2: answers sync from the stored bytes while the document is built, and the rest once it is', async () => {
    const { doc: stored, snapshot } = storedDocument(30);
    const held = heldPlanner();
    const { room } = await roomWith([snapshot], held.planner);
    const fresh = new FakePeer();
    const returning = new FakePeer();
    room.addPeer(fresh);
    room.addPeer(returning);
    room.sendSyncStep1(fresh);
    room.sendSyncStep1(returning);
    // The stored state vector is not decoded yet: no Step1 (never one of an empty document).
    expect(fresh.syncMessages()).toEqual([]);
    // An empty state vector gets the stored snapshot at once.
    room.answerSyncStep1(fresh, new Uint8Array([0]));
    const [[type, payload]] = fresh.syncMessages() as [[number, Uint8Array]];
    expect(type).toBe(SyncMessageType.Step2);
    expect(payload).toEqual(snapshot);
    // A client that has part of the document waits for the built document.
    const partial = new Y.Doc();
    Y.applyUpdate(partial, Y.encodeStateAsUpdate(stored, new Uint8Array([0])));
    const partialVector = Y.encodeStateVector(partial);
    room.answerSyncStep1(returning, partialVector);
    expect(returning.syncMessages()).toEqual([]);

    held.release();
    await room.built;
    expect(room.doc.getXmlFragment('default').toString()).toBe(stored.getXmlFragment('default').toString());
    // Step1 with the stored state vector went out once decoded.
    expect(fresh.syncMessages()[1]).toEqual([SyncMessageType.Step1, Y.encodeStateVector(stored)]);
    const returned = returning.syncMessages();
    expect(returned[0]).toEqual([SyncMessageType.Step1, Y.encodeStateVector(stored)]);
    expect(returned[1]![0]).toBe(SyncMessageType.Step2);
    Y.applyUpdate(partial, returned[1]![1]);
    expect(partial.getXmlFragment('default').toString()).toBe(stored.getXmlFragment('default').toString());
    room.destroy();
  });

  it('LOAD-2: with a snapshot and log records, a fresh client gets the records at once (later ones first, the snapshot as Step2), then their merge', async () => {
    const { doc: stored, snapshot } = storedDocument(10);
    const tail: Uint8Array[] = [];
    stored.on('update', (update: Uint8Array) => tail.push(update));
    (stored.getXmlFragment('default').get(0) as Y.XmlElement).insert(0, [new Y.XmlText('appended later ')]);
    stored.getXmlFragment('default').delete(2, 1);
    expect(tail.length).toBe(2);
    const held = heldPlanner();
    const { room } = await roomWith([snapshot, ...tail], held.planner);
    const early = new FakePeer();
    room.addPeer(early);
    room.answerSyncStep1(early, new Uint8Array([0]));
    const received = early.syncMessages();
    expect(received.map(([type]) => type)).toEqual([SyncMessageType.Update, SyncMessageType.Update, SyncMessageType.Step2]);
    // When its Step2 arrives, the client holds the whole document.
    const client = new Y.Doc();
    for (const [, payload] of received) Y.applyUpdate(client, payload);
    expect(client.store.pendingStructs).toBeNull();
    expect(client.getXmlFragment('default').toString()).toBe(stored.getXmlFragment('default').toString());

    held.release();
    await room.built;
    const late = new FakePeer();
    room.addPeer(late);
    room.answerSyncStep1(late, new Uint8Array([0]));
    const [[type, merged]] = late.syncMessages() as [[number, Uint8Array]];
    expect(type).toBe(SyncMessageType.Step2);
    const lateClient = new Y.Doc();
    Y.applyUpdate(lateClient, merged);
    expect(lateClient.getXmlFragment('default').toString()).toBe(stored.getXmlFragment('default').toString());
    room.destroy();
  });

  it('LOAD-4: updates received while loading are applied after the build, broadcast, and acknowledged only once durable', async () => {
    const { doc: stored, snapshot } = storedDocument(20);
    const held = heldPlanner();
    const { room, store } = await roomWith([snapshot], held.planner);
    const writer = new FakePeer();
    const reader = new FakePeer();
    room.addPeer(writer);
    room.addPeer(reader);
    const client = new Y.Doc();
    Y.applyUpdate(client, snapshot);
    const edits: Uint8Array[] = [];
    client.on('update', (update: Uint8Array) => edits.push(update));
    (client.getXmlFragment('default').get(0) as Y.XmlElement).insert(1, [new Y.XmlText(' typed while loading')]);
    const acks = edits.map((update) => settled(room.applyUpdate(update, writer)));
    store.held = true;
    held.release();
    await room.built;
    await nextTurn(); // the broadcast leaves at the end of the turn
    // Integrated and broadcast, but not durable yet: no acknowledgement.
    expect(room.doc.getXmlFragment('default').toString()).toContain('typed while loading');
    expect(reader.sent.some((frame) => frame[0] === MessageType.Sync && frame[1] === SyncMessageType.Update)).toBe(true);
    expect(acks.every((ack) => !ack.done)).toBe(true);
    store.release();
    await room.whenDurable();
    await nextTurn();
    expect(acks.every((ack) => ack.done)).toBe(true);
    // And it was stored: a reload has it.
    const reloaded = new Y.Doc();
    for (const record of await store.load(DOC)) Y.applyUpdate(reloaded, record);
    expect(reloaded.getXmlFragment('default').toString()).toBe(client.getXmlFragment('default').toString());
    expect(stored.getXmlFragment('default').toString()).not.toBe(client.getXmlFragment('default').toString());
    room.destroy();
  });

  it('LOAD-5: a document that fails to build refuses its peers and drops what they sent unacknowledged', async () => {
    const { snapshot } = storedDocument(5);
    const held = heldPlanner();
    const { room } = await roomWith([snapshot], held.planner);
    const peer = new FakePeer();
    room.addPeer(peer);
    const client = new Y.Doc();
    client.getText('t').insert(0, 'x');
    let refused = false;
    room.applyUpdate(Y.encodeStateAsUpdate(client), peer).catch(() => (refused = true));
    held.fail(new Error('unexpected end of array'));
    await expect(room.built).rejects.toThrow('unexpected end of array');
    await nextTurn();
    expect(peer.closedWith).toBe(CloseCode.RoomLoadFailed);
    expect(refused).toBe(true);
    const late = new FakePeer();
    room.addPeer(late);
    expect(late.closedWith).toBe(CloseCode.RoomLoadFailed);
    room.destroy();
  });

  it('LOAD-3: the document built in slices equals the stored one (at-once load for comparison)', async () => {
    const { snapshot } = storedDocument(50);
    const { room } = await roomWith([snapshot], planInProcess);
    await room.built;
    const atOnce = new Room({ docId: DOC, store: new MemoryDocStore({ data: new Map([[DOC, [snapshot]]]) }), logger });
    await atOnce.load();
    expect(Y.encodeStateVector(room.doc)).toEqual(Y.encodeStateVector(atOnce.doc));
    expect(Y.equalSnapshots(Y.snapshot(room.doc), Y.snapshot(atOnce.doc))).toBe(true);
    expect(room.doc.getXmlFragment('default').toString()).toBe(atOnce.doc.getXmlFragment('default').toString());
    room.destroy();
    atOnce.destroy();
  });
});

describe('SliceScheduler', () => {
  it('LOAD-6: applies every job in order, round-robin, a budget per turn, and stops a cancelled one', async () => {
    let clock = 0;
    const scheduler = new SliceScheduler(10, () => clock);
    const applied: string[] = [];
    const a = scheduler.run(['a1', 'a2', 'a3'], (item) => {
      applied.push(item);
      clock += 6; // two items per 10 ms turn
    });
    const b = scheduler.run(['b1', 'b2', 'b3'], (item) => {
      applied.push(item);
      clock += 6;
    });
    const c = scheduler.run(['c1', 'c2'], (item) => applied.push(item));
    const cancelled = expect(c.done).rejects.toThrow('room destroyed');
    c.cancel(new Error('room destroyed'));
    await Promise.all([a.done, b.done, cancelled]);
    expect(applied).toEqual(['a1', 'b1', 'a2', 'b2', 'a3', 'b3']);
  });
});
