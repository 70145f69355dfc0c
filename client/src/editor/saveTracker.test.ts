import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import { WebsocketProvider } from 'y-websocket';
import { classifyFrame, encodeSaved, MessageType, SyncMessageType } from '../../../shared/protocol/index.js';
import { displayStatus } from './saveStatus.js';
import { SaveTracker } from './saveTracker.js';
import { FakeWebSocket, fakeWebSocketClass } from './testing/fakeWebSocket.js';

/**
 * The tracker driven by the real, unmodified y-websocket provider over a fake socket, with the
 * test playing a server that holds its own Y.Doc.
 */
class FakeServer {
  readonly doc = new Y.Doc();

  step1(): Uint8Array {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MessageType.Sync);
    syncProtocol.writeSyncStep1(encoder, this.doc);
    return encoding.toUint8Array(encoder);
  }

  update(update: Uint8Array): Uint8Array {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MessageType.Sync);
    syncProtocol.writeUpdate(encoder, update);
    return encoding.toUint8Array(encoder);
  }

  /** Applies a client frame; returns the server's answer to a Step1 (its Step2), if any. */
  receive(frame: Uint8Array): Uint8Array | null {
    const decoder = decoding.createDecoder(frame);
    if (decoding.readVarUint(decoder) !== MessageType.Sync) return null;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MessageType.Sync);
    syncProtocol.readSyncMessage(decoder, encoder, this.doc, 'client');
    return encoding.length(encoder) > 1 ? encoding.toUint8Array(encoder) : null;
  }

  /** Delivers everything the client sent since `from`, answering Step1s on `socket`. */
  drain(socket: FakeWebSocket, from: number): number {
    for (const frame of socket.sent.slice(from)) {
      const answer = this.receive(frame);
      if (answer) socket.serverSend(answer);
    }
    return socket.sent.length;
  }
}

const updateFramesIn = (socket: FakeWebSocket): number =>
  socket.sent.filter((f) => {
    const kind = classifyFrame(f);
    return kind.type === MessageType.Sync && kind.syncType !== SyncMessageType.Step1;
  }).length;

describe('SaveTracker with a stock WebsocketProvider', () => {
  let ydoc: Y.Doc;
  let persistenceOrigin: object;
  let tracker: SaveTracker;
  let provider: WebsocketProvider;
  let server: FakeServer;

  beforeEach(() => {
    vi.useFakeTimers();
    FakeWebSocket.instances = [];
    ydoc = new Y.Doc();
    persistenceOrigin = { name: 'indexeddb' };
    tracker = new SaveTracker(ydoc, [persistenceOrigin]);
    provider = new WebsocketProvider('ws://test/collab', 'doc-1', ydoc, {
      connect: false,
      disableBc: true,
      params: { ack: '1' },
      WebSocketPolyfill: tracker.webSocketClass(fakeWebSocketClass),
    });
    tracker.attach(provider);
    server = new FakeServer();
    server.doc.getText('body').insert(0, 'template');
  });

  afterEach(() => {
    tracker.dispose();
    provider.destroy();
    ydoc.destroy();
    vi.useRealTimers();
  });

  const status = () => displayStatus(tracker.getState());

  /** Opens the latest socket and runs the sync handshake; returns the socket. */
  function connectAndSync(): FakeWebSocket {
    const socket = FakeWebSocket.latest();
    socket.serverOpen();
    socket.serverSend(server.step1());
    server.drain(socket, 0);
    return socket;
  }

  it('STATUS-18: asks for acknowledgements in the socket URL', () => {
    provider.connect();
    expect(FakeWebSocket.latest().url).toBe('ws://test/collab/doc-1?ack=1');
  });

  it('STATUS-19: goes connecting → saving → saved as the Step2 is acknowledged', () => {
    provider.connect();
    expect(status()).toBe('connecting');
    const socket = connectAndSync();
    expect(provider.synced).toBe(true);
    expect(ydoc.getText('body').toString()).toBe('template');
    expect(tracker.getState().sentCount).toBe(1);
    expect(status()).toBe('saving');
    socket.serverSend(encodeSaved(1));
    expect(status()).toBe('saved');
  });

  it('STATUS-20: writes nothing back for an acknowledgement', () => {
    provider.connect();
    const socket = connectAndSync();
    const before = socket.sent.length;
    socket.serverSend(encodeSaved(1));
    expect(socket.sent.length).toBe(before);
  });

  it('STATUS-21: shows saving for a local edit until its Update is acknowledged', () => {
    provider.connect();
    const socket = connectAndSync();
    socket.serverSend(encodeSaved(1));
    ydoc.getText('body').insert(0, 'My ');
    expect(updateFramesIn(socket)).toBe(2);
    expect(status()).toBe('saving');
    socket.serverSend(encodeSaved(2));
    expect(status()).toBe('saved');
  });

  it('STATUS-22: does not treat remote or IndexedDB updates as local edits', () => {
    provider.connect();
    const socket = connectAndSync();
    socket.serverSend(encodeSaved(1));
    const other = new Y.Doc();
    other.getText('body').insert(0, 'remote ');
    socket.serverSend(server.update(Y.encodeStateAsUpdate(other)));
    expect(status()).toBe('saved');
    const stored = new Y.Doc();
    stored.getText('notes').insert(0, 'from disk');
    Y.applyUpdate(ydoc, Y.encodeStateAsUpdate(stored), persistenceOrigin);
    expect(tracker.getState().unsaved).toBe(false);
  });

  it('STATUS-23: shows offline for edits made while disconnected and saves them after reconnecting', () => {
    provider.connect();
    const first = connectAndSync();
    first.serverSend(encodeSaved(1));
    first.serverClose(1006);
    expect(status()).toBe('connecting');

    ydoc.getText('body').insert(0, 'Offline ');
    expect(status()).toBe('offline');

    vi.advanceTimersByTime(3_000);
    const second = FakeWebSocket.latest();
    expect(second).not.toBe(first);
    expect(status()).toBe('offline');
    second.serverOpen();
    expect(tracker.getState()).toMatchObject({ sentCount: 0, ackedSeq: 0 });
    expect(status()).toBe('saving');
    second.serverSend(server.step1());
    server.drain(second, 0);
    expect(server.doc.getText('body').toString()).toBe('Offline template');
    expect(status()).toBe('saving');
    second.serverSend(encodeSaved(1));
    expect(status()).toBe('saved');
  });

  it('STATUS-24: ignores an acknowledgement numbered beyond what this socket sent', () => {
    provider.connect();
    const socket = connectAndSync();
    socket.serverSend(encodeSaved(7));
    expect(status()).toBe('saving');
  });

  it('STATUS-25: stops at a final close code and reports it', () => {
    provider.connect();
    const socket = connectAndSync();
    socket.serverClose(4413, 'DOCUMENT_TOO_LARGE');
    expect(status()).toBe('error');
    expect(tracker.getState().terminal).toEqual({ code: 4413, reason: 'DOCUMENT_TOO_LARGE' });
    vi.advanceTimersByTime(10_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it('STATUS-26: keeps reconnecting after a 4500 close', () => {
    provider.connect();
    const socket = connectAndSync();
    socket.serverClose(4500, 'ROOM_LOAD_FAILED');
    expect(status()).toBe('connecting');
    expect(tracker.getState().lastCloseCode).toBe(4500);
    vi.advanceTimersByTime(3_000);
    expect(FakeWebSocket.instances).toHaveLength(2);
  });
});
