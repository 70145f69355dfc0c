import net from 'node:net';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import { parseOptions } from '../config.js';
import { FRAGMENT, appendParagraphs, encodeAwarenessState, lastParagraphTexts, marker, scanMarkers, stateKey } from './content.js';
import { AuthType, Msg, SyncType, createFraming, decodeIncoming, encodeHocuspocusAuth, encodeSyncStep1, encodeUpdate } from './framing.js';
import { RawWebSocket } from './rawWebSocket.js';

describe('framing', () => {
  it('BENCH-8: y-websocket framing is the plain y-protocols message', () => {
    const framing = createFraming('y-websocket', 'ignored');
    const update = Uint8Array.of(1, 2, 3);
    const expected = encoding.createEncoder();
    encoding.writeVarUint(expected, 0);
    syncProtocol.writeUpdate(expected, update);
    expect(encodeUpdate(framing, update)).toEqual(encoding.toUint8Array(expected));
    expect(decodeIncoming(framing, encodeUpdate(framing, update))).toEqual({ type: Msg.Sync, syncType: SyncType.Update, payload: update });
    const saved = encoding.createEncoder();
    encoding.writeVarUint(saved, 100);
    encoding.writeVarUint(saved, 7);
    expect(decodeIncoming(framing, encoding.toUint8Array(saved))).toEqual({ type: Msg.Saved, seq: 7 });
  });

  it('BENCH-9: Hocuspocus framing prefixes the document name and opens with an auth token', () => {
    const framing = createFraming('hocuspocus', 'doc-1');
    const auth = decoding.createDecoder(encodeHocuspocusAuth(framing, 'secret'));
    expect(decoding.readVarString(auth)).toBe('doc-1');
    expect(decoding.readVarUint(auth)).toBe(Msg.Auth);
    expect(decoding.readVarUint(auth)).toBe(AuthType.Token);
    expect(decoding.readVarString(auth)).toBe('secret');

    const sv = Y.encodeStateVector(new Y.Doc());
    const step1 = decoding.createDecoder(encodeSyncStep1(framing, sv));
    expect(decoding.readVarString(step1)).toBe('doc-1');
    expect(decoding.readVarUint(step1)).toBe(Msg.Sync);
    expect(decoding.readVarUint(step1)).toBe(SyncType.Step1);

    // What the server sends: [name][Auth][Authenticated][scope], [name][SyncStatus][1], and a
    // message for another document multiplexed on the same socket.
    const authenticated = encoding.createEncoder();
    encoding.writeVarString(authenticated, 'doc-1');
    encoding.writeVarUint(authenticated, Msg.Auth);
    encoding.writeVarUint(authenticated, AuthType.Authenticated);
    encoding.writeVarString(authenticated, 'read-write');
    expect(decodeIncoming(framing, encoding.toUint8Array(authenticated))).toEqual({ type: Msg.Auth, authType: AuthType.Authenticated, detail: 'read-write' });
    const status = encoding.createEncoder();
    encoding.writeVarString(status, 'doc-1');
    encoding.writeVarUint(status, Msg.SyncStatus);
    encoding.writeVarUint(status, 1);
    expect(decodeIncoming(framing, encoding.toUint8Array(status))).toEqual({ type: Msg.SyncStatus, saved: true });
    const foreign = encoding.createEncoder();
    encoding.writeVarString(foreign, 'doc-2');
    encoding.writeVarUint(foreign, Msg.Sync);
    expect(decodeIncoming(framing, encoding.toUint8Array(foreign))).toEqual({ type: 'foreign-document', docName: 'doc-2' });
  });
});

describe('content', () => {
  it('BENCH-10: markers survive inside Yjs updates and awareness states and are found by byte search', () => {
    const doc = new Y.Doc();
    appendParagraphs(doc, 2, (i) => `p${i} `);
    const [first] = lastParagraphTexts(doc, 2);
    let update: Uint8Array | null = null;
    doc.on('update', (u: Uint8Array) => {
      update = u;
    });
    first!.insert(first!.length, marker(17, 123456789));
    const found: Array<[number, number]> = [];
    expect(scanMarkers(update!, (s, t) => found.push([s, t]))).toBe(1);
    expect(found).toEqual([[17, 123456789]]);

    // Merged updates carry several markers.
    const a = new Y.Doc();
    const updates: Uint8Array[] = [];
    a.on('update', (u: Uint8Array) => updates.push(u));
    a.getText('t').insert(0, marker(1, 10));
    a.getText('t').insert(0, `x${marker(2, 20)}`);
    const all: number[] = [];
    scanMarkers(Y.mergeUpdates(updates), (s) => all.push(s));
    expect(all.sort()).toEqual([1, 2]);

    // Malformed candidates are skipped.
    expect(scanMarkers(new TextEncoder().encode('~T~T12~T3.~T4.5 ~T6.7~'), () => {})).toBe(1);

    // Awareness: our hand-made encoding is what y-protocols reads.
    const target = new awarenessProtocol.Awareness(new Y.Doc());
    const state = { user: { sent: marker(5, 99) } };
    const encoded = encodeAwarenessState(4242, 3, state);
    awarenessProtocol.applyAwarenessUpdate(target, encoded, null);
    expect(target.getStates().get(4242)).toEqual(state);
    expect(scanMarkers(encoded, () => {})).toBe(1);
    target.destroy();
  });

  it('BENCH-11: content is Tiptap-shaped and the convergence key ignores encoding order', () => {
    const a = new Y.Doc();
    appendParagraphs(a, 3, (i) => `text ${i}`);
    const fragment = a.getXmlFragment(FRAGMENT);
    expect(fragment.length).toBe(3);
    expect(fragment.get(0)).toBeInstanceOf(Y.XmlElement);
    expect((fragment.get(0) as Y.XmlElement).nodeName).toBe('paragraph');
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(stateKey(b)).toBe(stateKey(a));
    lastParagraphTexts(b, 1)[0]!.insert(0, '!');
    expect(stateKey(b)).not.toBe(stateKey(a));
  });
});

describe('config', () => {
  const known = ['many-docs', 'hot-doc'];
  it('BENCH-12: defaults, quick, flags over env', () => {
    const full = parseOptions([], {}, known);
    expect(full.settings).toMatchObject({ quick: false, reps: 2, durationS: 9, coldSamples: 4 });
    expect(full.writeDocs).toBe(true);
    const quick = parseOptions(['--quick'], { BENCH_REPS: '3' }, known);
    expect(quick.settings).toMatchObject({ quick: true, reps: 3, durationS: 1.5 });
    expect(quick.writeDocs).toBe(false);
    const only = parseOptions(['--only', 'hot-doc', '--duration=5', '--servers', 'y-websocket'], { BENCH_DURATION: '9' }, known);
    expect(only.only).toEqual(['hot-doc']);
    expect(only.settings.durationS).toBe(5);
    expect(only.servers).toEqual(['y-websocket']);
    expect(only.writeDocs).toBe(false);
    expect(() => parseOptions(['--only', 'nope'], {}, known)).toThrow(/unknown workload/);
    expect(() => parseOptions(['--reps', '0'], {}, known)).toThrow(/positive/);
    expect(() => parseOptions(['--frobnicate'], {}, known)).toThrow(/unknown option/);
  });
});

describe('lean WebSocket client', () => {
  it('BENCH-13: frames with an empty payload at the very end of the received data are handled (ping, empty message)', async () => {
    // A loopback server that completes the handshake and sends, in one write, a binary message,
    // an empty ping and an empty binary message: the last two end exactly where the data ends.
    const server = net.createServer((socket) => {
      socket.once('data', () => {
        socket.write(
          Buffer.concat([
            Buffer.from('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n', 'latin1'),
            Buffer.from([0x82, 0x02, 7, 8]),
            Buffer.from([0x89, 0x00]),
            Buffer.from([0x82, 0x00]),
          ]),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as net.AddressInfo).port;
      const client = new RawWebSocket(`ws://127.0.0.1:${port}/x`);
      const messages = await new Promise<number[][]>((resolve, reject) => {
        const got: number[][] = [];
        client.on('error', reject);
        client.on('message', (data) => {
          got.push([...data]);
          if (got.length === 2) resolve(got);
        });
      });
      expect(messages).toEqual([[7, 8], []]);
      client.terminate();
    } finally {
      server.close();
    }
  });
});
