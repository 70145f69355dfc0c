import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import { encodeSaved, MessageType } from '../../../shared/protocol/index.js';
import { classifyOutgoing, countingWebSocketClass, type SentFrame } from './countingWebSocket.js';
import { fakeWebSocketClass, type FakeWebSocket } from './testing/fakeWebSocket.js';

function docWithText(text: string): Y.Doc {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return doc;
}

function syncFrame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

const doc = docWithText('hello');
const frames = {
  step1: syncFrame((e) => syncProtocol.writeSyncStep1(e, doc)),
  step2: syncFrame((e) => syncProtocol.writeSyncStep2(e, doc)),
  update: syncFrame((e) => syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(doc))),
  awareness: (() => {
    const awareness = new awarenessProtocol.Awareness(doc);
    awareness.setLocalStateField('user', { name: 'Ana', color: '#1d4ed8' });
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MessageType.Awareness);
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]));
    awareness.destroy();
    return encoding.toUint8Array(encoder);
  })(),
  queryAwareness: (() => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MessageType.QueryAwareness);
    return encoding.toUint8Array(encoder);
  })(),
};

describe('classifyOutgoing', () => {
  it('counts SyncStep2 and Update frames only', () => {
    expect(classifyOutgoing(frames.step2)).toEqual({ counts: true, isStep2: true });
    expect(classifyOutgoing(frames.update)).toEqual({ counts: true, isStep2: false });
    expect(classifyOutgoing(frames.step1)).toEqual({ counts: false, isStep2: false });
    expect(classifyOutgoing(frames.awareness)).toEqual({ counts: false, isStep2: false });
    expect(classifyOutgoing(frames.queryAwareness)).toEqual({ counts: false, isStep2: false });
    expect(classifyOutgoing(encodeSaved(3))).toEqual({ counts: false, isStep2: false });
  });

  it('accepts ArrayBuffers and views over a larger buffer', () => {
    expect(classifyOutgoing(frames.update.slice().buffer).counts).toBe(true);
    const padded = new Uint8Array(frames.update.length + 4);
    padded.set(frames.update, 4);
    expect(classifyOutgoing(new DataView(padded.buffer, 4)).counts).toBe(true);
  });

  it('does not count text, empty or truncated frames', () => {
    expect(classifyOutgoing('hello').counts).toBe(false);
    expect(classifyOutgoing(new Uint8Array(0)).counts).toBe(false);
    expect(classifyOutgoing(new Uint8Array([MessageType.Sync])).counts).toBe(false);
  });
});

describe('countingWebSocketClass', () => {
  it('numbers update-carrying frames per socket and still sends every frame', () => {
    const reported: Array<{ socket: WebSocket; frame: SentFrame }> = [];
    const Counting = countingWebSocketClass(fakeWebSocketClass, (socket, frame) => reported.push({ socket, frame }));

    const first = new Counting('ws://x/collab/doc');
    first.send(frames.step1);
    first.send(frames.awareness);
    first.send(frames.step2);
    first.send(frames.update);
    first.send(frames.update);
    expect((first as unknown as FakeWebSocket).sent).toHaveLength(5);
    expect(reported.map((r) => r.frame)).toEqual([
      { count: 1, isStep2: true },
      { count: 2, isStep2: false },
      { count: 3, isStep2: false },
    ]);
    expect(reported.every((r) => r.socket === first)).toBe(true);

    // A new socket starts again at 0, as the server's numbering does.
    const second = new Counting('ws://x/collab/doc');
    second.send(frames.update);
    expect(reported.at(-1)).toEqual({ socket: second, frame: { count: 1, isStep2: false } });
    expect((second as unknown as { updateFramesSent: number }).updateFramesSent).toBe(1);
  });

  it('keeps the static state constants of its base class', () => {
    const Counting = countingWebSocketClass(fakeWebSocketClass, () => {});
    expect(Counting.OPEN).toBe(1);
    expect(Counting.CLOSED).toBe(3);
  });

  it('sends no update-carrying frame at all for a read-only session', () => {
    const reported: SentFrame[] = [];
    const ReadOnly = countingWebSocketClass(fakeWebSocketClass, (_socket, frame) => reported.push(frame), { dropUpdates: true });
    const socket = new ReadOnly('ws://x/collab/doc');
    for (const frame of [frames.step1, frames.step2, frames.update, frames.awareness, frames.queryAwareness]) socket.send(frame);
    expect((socket as unknown as FakeWebSocket).sent).toEqual([frames.step1, frames.awareness, frames.queryAwareness]);
    expect(reported).toEqual([]);
  });
});
