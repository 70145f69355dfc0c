import { describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import * as syncProtocol from 'y-protocols/sync';
import {
  CloseCode,
  CloseReason,
  MessageType,
  SyncMessageType,
  carriesUpdate,
  classifyFrame,
  encodeAwarenessMessage,
  encodeSaved,
  encodeSyncMessage,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdateMessage,
  readSavedSeq,
} from './index.js';

function docWithText(text: string): Y.Doc {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return doc;
}

describe('shared/protocol', () => {
  it('PROTO-1: our constants are the y-websocket / y-protocols ones', () => {
    expect(MessageType.Sync).toBe(0);
    expect(MessageType.Awareness).toBe(1);
    expect(MessageType.Auth).toBe(2);
    expect(MessageType.QueryAwareness).toBe(3);
    expect(SyncMessageType.Step1).toBe(syncProtocol.messageYjsSyncStep1);
    expect(SyncMessageType.Step2).toBe(syncProtocol.messageYjsSyncStep2);
    expect(SyncMessageType.Update).toBe(syncProtocol.messageYjsUpdate);
  });

  it('PROTO-2: classifyFrame reads only the head and carriesUpdate picks Step2 and Update', () => {
    const doc = docWithText('hello');
    const step1 = encodeSyncStep1(doc);
    const step2 = encodeSyncStep2(doc);
    const update = encodeUpdateMessage(Y.encodeStateAsUpdate(doc));
    const awareness = encodeAwarenessMessage(new Uint8Array([0]));
    expect(classifyFrame(step1)).toEqual({ type: MessageType.Sync, syncType: SyncMessageType.Step1 });
    expect(classifyFrame(step2)).toEqual({ type: MessageType.Sync, syncType: SyncMessageType.Step2 });
    expect(classifyFrame(update)).toEqual({ type: MessageType.Sync, syncType: SyncMessageType.Update });
    expect(classifyFrame(awareness)).toEqual({ type: MessageType.Awareness });
    expect([step1, step2, update, awareness].map((f) => carriesUpdate(classifyFrame(f)))).toEqual([false, true, true, false]);
    // A frame whose payload is garbage is still classified: its payload is not read.
    expect(classifyFrame(Uint8Array.from([0, 2, 0xff]))).toEqual({ type: 0, syncType: 2 });
    expect(() => classifyFrame(new Uint8Array(0))).toThrow();
  });

  it('PROTO-3: sync messages round-trip through y-protocols', () => {
    const source = docWithText('shared text');
    const target = new Y.Doc();
    const update = Y.encodeStateAsUpdate(source);
    // encodeSyncMessage wraps already-encoded bytes; it must equal the Y.Doc-based encoder.
    expect(encodeSyncMessage(SyncMessageType.Step2, update)).toEqual(encodeSyncStep2(source));
    for (const frame of [encodeSyncStep2(source), encodeUpdateMessage(update), encodeSyncMessage(SyncMessageType.Update, update)]) {
      const decoder = decoding.createDecoder(frame);
      expect(decoding.readVarUint(decoder)).toBe(MessageType.Sync);
      syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), target, null);
    }
    expect(target.getText('t').toString()).toBe('shared text');
    // Step1 asks for exactly what the sender lacks.
    const reply = encoding.createEncoder();
    const decoder = decoding.createDecoder(encodeSyncStep1(target));
    decoding.readVarUint(decoder);
    syncProtocol.readSyncMessage(decoder, reply, source, null);
    expect(encoding.length(reply)).toBeGreaterThan(0);
  });

  it('PROTO-4: the Saved acknowledgement encodes its sequence number', () => {
    for (const seq of [0, 1, 127, 128, 1_000_000]) {
      const decoder = decoding.createDecoder(encodeSaved(seq));
      expect(decoding.readVarUint(decoder)).toBe(MessageType.Saved);
      expect(readSavedSeq(decoder)).toBe(seq);
      expect(decoding.hasContent(decoder)).toBe(false);
    }
  });

  it('PROTO-5: every close code has a stable reason that fits a close frame', () => {
    for (const code of Object.values(CloseCode)) {
      expect(CloseReason[code]).toMatch(/^[A-Z_]+$/);
      expect(Buffer.byteLength(CloseReason[code])).toBeLessThanOrEqual(123);
    }
    // 44xx are final for the stock provider, 45xx are retried: the split is deliberate.
    expect(CloseCode.MalformedMessage).toBeGreaterThanOrEqual(4400);
    expect(CloseCode.RoomLoadFailed).toBeGreaterThanOrEqual(4500);
  });
});
