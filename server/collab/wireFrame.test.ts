import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { MAX_PREFRAMED_BYTES, binaryFrame, frameOf, sendBinary } from './wireFrame.js';

function bytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

describe('SYNC-7: a message sent to many peers is framed once, and each frame is exactly what ws.send would send', () => {
  it('builds the frame of one message once for consecutive sends (a broadcast loop), and never hands one message another\'s frame', () => {
    const message = bytes(50, 9);
    const first = frameOf(message);
    expect(frameOf(message)).toBe(first);
    const other = message.slice(); // equal bytes, another message
    expect(frameOf(other)).not.toBe(first);
    // Sent again after another message: framed again, with its own bytes.
    const again = frameOf(message);
    expect(again).not.toBe(first);
    expect(again).toEqual(binaryFrame(message));
    const different = bytes(70, 3);
    expect(frameOf(different)).toEqual(binaryFrame(different));
  });

  describe('over a real socket', () => {
    let wss: WebSocketServer | undefined;
    let client: WebSocket | undefined;
    afterEach(async () => {
      client?.terminate();
      if (wss) await new Promise((resolve) => wss!.close(resolve));
    });

    async function pair(): Promise<{ server: WebSocket; client: WebSocket; received: Buffer[] }> {
      wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
      await once(wss, 'listening');
      const { port } = wss.address() as AddressInfo;
      const connected = once(wss, 'connection');
      client = new WebSocket(`ws://127.0.0.1:${port}`);
      const received: Buffer[] = [];
      client.on('message', (data: Buffer) => received.push(data));
      await once(client, 'open');
      const [server] = (await connected) as [WebSocket];
      return { server, client, received };
    }

    it.each([0, 1, 125, 126, 127, 65535, 65536, 70000])('a %i-byte frame written raw to the socket arrives at a ws client as the same message', async (length) => {
      const { server, received } = await pair();
      const message = bytes(length, length);
      const frame = binaryFrame(message);
      (server as unknown as { _socket: { write(b: Buffer): void } })._socket.write(frame);
      while (received.length < 1) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(Buffer.compare(received[0]!, Buffer.from(message))).toBe(0);
    });

    it('keeps the order of framed sends, ws.send, large (unframed) sends and pings', async () => {
      const { server, received } = await pair();
      const small = bytes(40, 1);
      const large = bytes(MAX_PREFRAMED_BYTES + 1, 2);
      const viaWs = bytes(300, 3);
      let pongs = 0;
      client!.on('ping', () => pongs++);
      sendBinary(server, small);
      server.ping();
      sendBinary(server, large);
      server.send(viaWs);
      sendBinary(server, small); // the same bytes again: served from the cached frame
      sendBinary(server, bytes(70000 - 1, 4).subarray(10, 200)); // a view into a larger buffer
      while (received.length < 5) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(received.map((b) => b.byteLength)).toEqual([40, large.byteLength, 300, 40, 190]);
      expect(Buffer.compare(received[0]!, Buffer.from(small))).toBe(0);
      expect(Buffer.compare(received[1]!, Buffer.from(large))).toBe(0);
      expect(Buffer.compare(received[2]!, Buffer.from(viaWs))).toBe(0);
      expect(Buffer.compare(received[4]!, Buffer.from(bytes(70000 - 1, 4).subarray(10, 200)))).toBe(0);
      expect(pongs).toBe(1);
    });

    it('writes small messages without ws.send (the fast path is taken), large ones through it', async () => {
      const { server, received } = await pair();
      const viaSend: number[] = [];
      const original = server.send.bind(server);
      server.send = ((data: Uint8Array) => {
        viaSend.push(data.byteLength);
        original(data);
      }) as typeof server.send;
      sendBinary(server, bytes(100, 6));
      sendBinary(server, bytes(MAX_PREFRAMED_BYTES + 10, 7));
      while (received.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(viaSend).toEqual([MAX_PREFRAMED_BYTES + 10]);
      expect(received.map((b) => b.byteLength)).toEqual([100, MAX_PREFRAMED_BYTES + 10]);
    });

    it('counts pre-framed bytes the peer has not read in bufferedAmount (the slow-reader limit sees them)', async () => {
      const { server } = await pair();
      client!.pause(); // stop reading: the kernel buffers fill, then the socket's own buffer
      const message = bytes(60_000, 5);
      for (let i = 0; i < 200; i++) sendBinary(server, message.slice()); // distinct messages: no cache hits
      expect(server.bufferedAmount).toBeGreaterThan(0);
    });
  });
});
