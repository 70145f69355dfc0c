import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { CloseCode, MessageType, encodeAwarenessMessage, encodeSyncStep1 } from '../../shared/protocol/index.js';
import { RawClient, appendParagraph, tryUpgrade, waitFor } from '../helpers/collabClients.js';
import { awarenessStates } from '../helpers/frames.js';
import { ServerProcess } from '../helpers/serverProcess.js';
import { SYNC_REQUEST_RATE } from '../../server/collab/throttledInput.js';
import { createDraft } from '../helpers/workspace.js';

/**
 * Resource abuse against the real server (ABUSE-n in docs/SPEC.md): every case has a limit in
 * docs/SECURITY.md ("Limits"). Small limits are set through the environment so each case is
 * quick; the assertions are about what the server does, not how fast.
 */
const HEADERS_TIMEOUT_MS = 1000;
const MAX_BUFFERED_BYTES = 256 * 1024;
const AWARENESS_RATE = 10;
const AWARENESS_BURST = 30;

interface Runtime {
  rssBytes: number;
  connections: number;
  awarenessDropped: number;
  floodsClosed: number;
  slowReadersClosed: number;
}

/** An awareness client speaking through a raw socket, publishing a caret position per call. */
class Presence {
  readonly doc = new Y.Doc();
  readonly awareness = new Awareness(this.doc);

  frame(cursor: number): Uint8Array {
    this.awareness.setLocalState({ cursor });
    return encodeAwarenessMessage(encodeAwarenessUpdate(this.awareness, [this.doc.clientID]));
  }
}

/** Relayed awareness frames that carry `clientId`, in arrival order, as their cursor values. */
function cursorsOf(frames: Uint8Array[], clientId: number): number[] {
  return frames.filter((frame) => frame[0] === MessageType.Awareness).flatMap((frame) => {
    const state = awarenessStates([frame]).get(clientId);
    return state && typeof state.cursor === 'number' ? [state.cursor] : [];
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A WebSocket client below `ws`: a TCP socket that does the upgrade handshake by hand and then
 * stops reading (`pause()`), so the kernel buffers fill and the server's outgoing buffer grows.
 */
async function pausedReader(server: ServerProcess, docId: string): Promise<net.Socket> {
  const { port } = new URL(server.url);
  const socket = net.connect(Number(port), '127.0.0.1');
  socket.on('error', () => {});
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(
    `GET /collab/${docId} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer ${server.token}\r\n\r\n`,
  );
  const head = await new Promise<string>((resolve) => {
    let text = '';
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('latin1');
      if (text.includes('\r\n\r\n')) {
        socket.off('data', onData);
        resolve(text);
      }
    };
    socket.on('data', onData);
  });
  expect(head.startsWith('HTTP/1.1 101')).toBe(true);
  socket.pause();
  return socket;
}

describe('resource abuse against the real server', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await ServerProcess.start({
      WS_CONNECTIONS_PER_MINUTE: '1000',
      WS_CONNECTIONS_PER_USER: '1000',
      HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
      MAX_BUFFERED_BYTES: String(MAX_BUFFERED_BYTES),
      AWARENESS_RATE_PER_SECOND: String(AWARENESS_RATE),
      AWARENESS_BURST: String(AWARENESS_BURST),
    });
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('ABUSE-1: one account opening sockets fast gets 429 past WS_CONNECTIONS_PER_MINUTE, even after closing them', async () => {
    const limited = await ServerProcess.start({ WS_CONNECTIONS_PER_MINUTE: '5', WS_CONNECTIONS_PER_USER: '100' });
    try {
      const { id } = await createDraft(limited);
      const headers = { authorization: `Bearer ${limited.token}` };
      for (let i = 0; i < 5; i++) {
        const attempt = await tryUpgrade(limited.wsUrl, `/collab/${id}`, headers);
        expect(attempt.status).toBe(101);
        attempt.ws!.close();
      }
      const sixth = await tryUpgrade(limited.wsUrl, `/collab/${id}`, headers);
      expect(sixth.status).toBe(429);
      expect(sixth.body).toContain('RATE_LIMITED');
      expect(sixth.ws).toBeNull();
      // The limit is per account: the server serves everyone else as before.
      expect((await fetch(`${limited.url}/healthz`)).status).toBe(200);
    } finally {
      await limited.dispose();
    }
  });

  it(`ABUSE-2: a slow-loris request (headers trickling in) is closed after HEADERS_TIMEOUT_MS while others are served`, async () => {
    const { port } = new URL(server.url);
    const loris = net.connect(Number(port), '127.0.0.1');
    loris.on('error', () => {});
    let answer = '';
    loris.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    const closed = new Promise<void>((resolve) => loris.once('close', () => resolve()));
    await new Promise<void>((resolve) => loris.once('connect', () => resolve()));
    loris.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    // One header byte every 100 ms: never finishing, never idle long enough for an idle timeout.
    let trickling = true;
    const trickle = (async () => {
      for (let i = 0; trickling && i < 600; i++) {
        if (!loris.destroyed) loris.write('X');
        await sleep(100);
      }
    })();
    // Meanwhile the server answers everyone else.
    let served = 0;
    let open = true;
    void closed.then(() => (open = false));
    for (let i = 0; i < 200 && open; i++) {
      const reply = await fetch(`${server.url}/healthz`);
      expect(reply.status).toBe(200);
      served++;
      await sleep(50);
    }
    trickling = false;
    await trickle;
    expect(open, 'the slow-loris connection was closed').toBe(false);
    expect(served).toBeGreaterThan(0);
    // Node answers 408 Request Timeout before closing (or just closes).
    if (answer !== '') expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('ABUSE-3: a client that never reads is disconnected once MAX_BUFFERED_BYTES are waiting for it; the server does not keep the flood in memory', async () => {
    const { id } = await createDraft(server);
    const readers = await Promise.all([1, 2, 3, 4].map(() => pausedReader(server, id)));
    const writer = await RawClient.connect(server.wsUrl, id);
    const before = await server.api<Runtime>('/api/admin/runtime');
    const chunk = 512 * 1024;
    let flooded = 0;
    // Insert a large paragraph and delete it again: every insertion is broadcast to the paused
    // readers, while the document itself stays small (deleted text is garbage-collected).
    // 32 MiB in all: far more than the kernel's socket buffers hold for each paused reader.
    for (let i = 0; i < 64; i++) {
      appendParagraph(writer.doc, String.fromCharCode(97 + (i % 26)).repeat(chunk));
      const body = writer.doc.getXmlFragment('default');
      body.delete(body.length - 1, 1);
      await writer.waitForAck();
      flooded += chunk;
    }
    const after = await server.api<Runtime>('/api/admin/runtime');
    expect(after.slowReadersClosed - before.slowReadersClosed).toBe(readers.length);
    // The writer (who reads) is still connected; the paused readers are gone.
    expect(writer.closeEvent).toBeNull();
    expect(after.connections).toBe(before.connections - readers.length);
    const lines = server.logs.filter((line) => line.msg === 'slow reader disconnected');
    expect(lines.length).toBeGreaterThanOrEqual(readers.length);
    // Each was cut off as soon as the waiting bytes passed the limit: at most one message later.
    for (const line of lines) expect(Number(line.buffered)).toBeLessThanOrEqual(MAX_BUFFERED_BYTES + chunk + 1024);
    // Memory stays bounded. The decisive bound is the one above (what waits for a reader is cut
    // at the limit); RSS also holds garbage of the writer's own traffic not yet collected, so it
    // is only checked against gross failure (e.g. a copy of the flood per reader).
    const growth = after.rssBytes - before.rssBytes;
    console.log(`ABUSE-3: ${Math.round(flooded / 2 ** 20)} MiB flooded to ${readers.length} paused readers; rss ${Math.round(before.rssBytes / 2 ** 20)} -> ${Math.round(after.rssBytes / 2 ** 20)} MiB`);
    expect(growth).toBeLessThan(readers.length * flooded);
    for (const reader of readers) reader.destroy();
    writer.close();
  });

  it(`ABUSE-4: presence beyond ${AWARENESS_RATE}/s (bursts of ${AWARENESS_BURST}) is dropped, not relayed, and counted; the latest state still arrives`, async () => {
    const { id } = await createDraft(server);
    const sender = await RawClient.connect(server.wsUrl, id, { ack: false });
    const peer = await RawClient.connect(server.wsUrl, id, { ack: false });
    const before = await server.api<Runtime>('/api/admin/runtime');
    const presence = new Presence();
    const started = Date.now();
    for (let cursor = 1; cursor <= 200; cursor++) sender.send(presence.frame(cursor));
    // The last state is delivered once the bucket has refilled.
    await waitFor(() => cursorsOf(peer.received, presence.doc.clientID).at(-1) === 200, 'the latest caret position relayed');
    const elapsed = (Date.now() - started) / 1000;
    // The burst passed; nearly everything else was dropped (counted), not queued: at most what the
    // rate allowed meanwhile got through. (The room may also coalesce relays; that is not counted.)
    const after = await server.api<Runtime>('/api/admin/runtime');
    const passed = 200 - (after.awarenessDropped - before.awarenessDropped);
    expect(passed).toBeGreaterThanOrEqual(AWARENESS_BURST);
    expect(passed).toBeLessThanOrEqual(AWARENESS_BURST + Math.ceil(AWARENESS_RATE * elapsed) + 1);
    // What was relayed is in order and ends with the latest state.
    const relayed = cursorsOf(peer.received, presence.doc.clientID);
    expect([...relayed].sort((a, b) => a - b)).toEqual(relayed);
    expect(relayed.length).toBeLessThan(200);
    expect(sender.closeEvent).toBeNull();
    sender.close();
    peer.close();
  });

  it('ABUSE-5: someone typing fast (3× the presence rate for 6 s) is never cut off, and their last caret position arrives', async () => {
    const { id } = await createDraft(server);
    const typist = await RawClient.connect(server.wsUrl, id, { ack: false });
    const peer = await RawClient.connect(server.wsUrl, id, { ack: false });
    const presence = new Presence();
    let cursor = 0;
    const until = Date.now() + 6000;
    while (Date.now() < until) {
      typist.send(presence.frame(++cursor));
      await sleep(1000 / (3 * AWARENESS_RATE));
    }
    await waitFor(() => cursorsOf(peer.received, presence.doc.clientID).at(-1) === cursor, 'the last caret position relayed');
    expect(typist.closeEvent).toBeNull();
    // Presence is echoed to the sender too (SYNC-6): it keeps hearing from the server.
    expect(cursorsOf(typist.received, presence.doc.clientID).length).toBeGreaterThan(0);
    typist.close();
    peer.close();
  });

  it('ABUSE-6: a socket that keeps flooding presence far past the rate (10× for 5 s) is closed with 4429 RATE_LIMITED; others stay', async () => {
    const { id } = await createDraft(server);
    const flooder = await RawClient.connect(server.wsUrl, id, { ack: false });
    const bystander = await RawClient.connect(server.wsUrl, id, { ack: false });
    const presence = new Presence();
    // 20 per 10 ms = 2000/s, for at most 10 s or until closed.
    for (let i = 0; i < 1000 && flooder.closeEvent === null; i++) {
      for (let j = 0; j < 20; j++) if (flooder.ws.readyState === flooder.ws.OPEN) flooder.send(presence.frame(i * 20 + j));
      await sleep(10);
    }
    const closed = await flooder.waitForClose();
    expect(closed.code).toBe(CloseCode.RateLimited);
    expect(closed.reason).toBe('RATE_LIMITED');
    // The final code tells the stock provider not to reconnect; the bystander is unaffected.
    expect(bystander.closeEvent).toBeNull();
    bystander.send(encodeSyncStep1(bystander.doc));
    const count = bystander.received.length;
    await waitFor(() => bystander.received.length > count, 'the bystander is still answered');
    expect((await server.api<Runtime>('/api/admin/runtime')).floodsClosed).toBeGreaterThanOrEqual(1);
    bystander.close();
  });

  it('ABUSE-7: sync requests beyond their rate are answered later, not once each; a flood of them is closed with 4429', async () => {
    const { id } = await createDraft(server);
    const asker = await RawClient.connect(server.wsUrl, id, { ack: false });
    const step2s = () => asker.received.filter((frame) => frame[0] === MessageType.Sync && frame[1] === 1).length;
    const start = step2s();
    for (let i = 0; i < 40; i++) asker.send(encodeSyncStep1(new Y.Doc()));
    // The burst at once (less the handshake's own Step1), then only the latest held-back request
    // when the rate allows: far fewer answers than requests.
    await waitFor(() => step2s() - start >= SYNC_REQUEST_RATE.burst, 'the held-back request answered');
    await sleep(1000);
    expect(step2s() - start).toBe(SYNC_REQUEST_RATE.burst);
    expect(asker.closeEvent).toBeNull();
    for (let i = 0; i < 200 && asker.closeEvent === null; i++) {
      if (asker.ws.readyState === asker.ws.OPEN) asker.send(encodeSyncStep1(new Y.Doc()));
      if (i % 20 === 0) await sleep(5);
    }
    expect((await asker.waitForClose()).code).toBe(CloseCode.RateLimited);
  });
});
