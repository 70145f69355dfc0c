import * as decoding from 'lib0/decoding';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MessageType, SyncMessageType } from '../../shared/protocol/index.js';
import { MemoryDocStore } from '../storage/memoryDocStore.js';
import { FOLD_AFTER_UPDATES, TRACK_FROM_BYTES } from './fullStateAnswer.js';
import { mergeInProcess } from './loadPlanner.js';
import { Room } from './Room.js';
import { FakePeer, nextTurn } from './roomTestKit.js';

const logger = pino({ level: 'silent' });
const DOC = 'doc-fresh-clients';

/** The sync sub-types of the messages, and the document a fresh client builds from them. */
function received(peer: FakePeer): { types: number[]; body: string } {
  const doc = new Y.Doc();
  const types: number[] = [];
  for (const frame of peer.sent) {
    const decoder = decoding.createDecoder(frame);
    if (decoding.readVarUint(decoder) !== MessageType.Sync) continue;
    types.push(decoding.readVarUint(decoder));
    Y.applyUpdate(doc, decoding.readVarUint8Array(decoder));
  }
  expect(doc.store.pendingStructs).toBeNull();
  return { types, body: doc.getXmlFragment('default').toString() };
}

describe('the answer to a fresh client (FullStateAnswer)', () => {
  it('LOAD-7: a large document is answered from the kept base and the updates since, folded off the event loop, never re-encoded', async () => {
    const source = new Y.Doc();
    const fragment = source.getXmlFragment('default');
    for (let i = 0; fragment.length < 10 || Y.encodeStateAsUpdate(source).byteLength < TRACK_FROM_BYTES; i++) {
      const paragraph = new Y.XmlElement('paragraph');
      fragment.insert(fragment.length, [paragraph]);
      paragraph.insert(0, [new Y.XmlText(`paragraph ${i} `.repeat(20))]);
    }
    const store = new MemoryDocStore({ compactAfterBytes: 64 * 1024 * 1024 });
    await store.append(DOC, Y.encodeStateAsUpdate(source));
    let merges = 0;
    const room = new Room({
      docId: DOC,
      store,
      logger,
      merger: (updates) => {
        merges++;
        return mergeInProcess(updates);
      },
    });
    await room.load();
    const writer = new FakePeer();
    room.addPeer(writer);
    const first = new FakePeer();
    room.answerSyncStep1(first, new Uint8Array([0]));
    expect(received(first)).toEqual({ types: [SyncMessageType.Step2], body: fragment.toString() });

    // A few edits: the next fresh client gets them as Updates before the Step2 of the stored state.
    const edits: Uint8Array[] = [];
    source.on('update', (update: Uint8Array) => edits.push(update));
    const edit = async (i: number): Promise<void> => {
      (fragment.get(i % fragment.length) as Y.XmlElement).insert(0, [new Y.XmlText(`edit ${i} `)]);
      await room.applyUpdate(edits[edits.length - 1]!, writer);
      await nextTurn();
    };
    for (let i = 0; i < 3; i++) await edit(i);
    const second = new FakePeer();
    room.answerSyncStep1(second, new Uint8Array([0]));
    expect(received(second)).toEqual({ types: [SyncMessageType.Update, SyncMessageType.Update, SyncMessageType.Update, SyncMessageType.Step2], body: fragment.toString() });
    expect(merges).toBe(0);

    // Enough of them are folded into the base by the merger.
    for (let i = 3; i < FOLD_AFTER_UPDATES + 2; i++) await edit(i);
    await nextTurn();
    expect(merges).toBe(1);
    const third = new FakePeer();
    room.answerSyncStep1(third, new Uint8Array([0]));
    const answer = received(third);
    expect(answer.body).toBe(fragment.toString());
    expect(answer.types.length).toBeLessThan(5);
    expect(answer.body).toBe(room.doc.getXmlFragment('default').toString());

    // Once the document is quiet, what is left is folded too: one Step2 again.
    await edit(FOLD_AFTER_UPDATES + 2);
    for (let waited = 0; merges < 2 && waited < 200; waited++) await new Promise((resolve) => setTimeout(resolve, 50));
    await nextTurn();
    const fourth = new FakePeer();
    room.answerSyncStep1(fourth, new Uint8Array([0]));
    expect(received(fourth)).toEqual({ types: [SyncMessageType.Step2], body: fragment.toString() });
    room.destroy();
  });
});
