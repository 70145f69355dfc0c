import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { ServerProcess } from '../helpers/serverProcess.js';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { MessageType, encodeAwarenessMessage, encodeUpdateMessage } from '../../shared/protocol/index.js';
import { RawClient, appendParagraph, authHeaders, bodyOf, connectProvider, tryUpgrade, waitFor } from '../helpers/collabClients.js';
import { createDraft } from '../helpers/workspace.js';

describe('co-editing through the real server', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await ServerProcess.start();
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('SYNC-1: two stock WebsocketProviders editing at once converge', async () => {
    const { id } = await createDraft(server);
    const a = await connectProvider(server.wsUrl, id);
    const b = await connectProvider(server.wsUrl, id);
    // The template content arrived before either edited: nobody starts from an empty document.
    expect(bodyOf(a.doc)).not.toBe('');
    expect(bodyOf(a.doc)).toBe(bodyOf(b.doc));
    for (let i = 0; i < 20; i++) {
      appendParagraph(a.doc, `from A ${i}`);
      appendParagraph(b.doc, `from B ${i}`);
    }
    await waitFor(
      () => Buffer.from(Y.encodeStateVector(a.doc)).equals(Buffer.from(Y.encodeStateVector(b.doc))),
      'both providers have every update',
    );
    expect(bodyOf(a.doc)).toBe(bodyOf(b.doc));
    for (let i = 0; i < 20; i++) {
      expect(bodyOf(a.doc)).toContain(`from A ${i}`);
      expect(bodyOf(a.doc)).toContain(`from B ${i}`);
    }
    a.destroy();
    b.destroy();
  });

  it('SYNC-2: a client joining late receives everything', async () => {
    const { id } = await createDraft(server);
    const a = await connectProvider(server.wsUrl, id);
    const b = await connectProvider(server.wsUrl, id);
    appendParagraph(a.doc, 'early words from A');
    appendParagraph(b.doc, 'early words from B');
    await waitFor(() => bodyOf(a.doc) === bodyOf(b.doc) && bodyOf(a.doc).includes('from B'), 'A and B converged');
    const c = await connectProvider(server.wsUrl, id);
    expect(bodyOf(c.doc)).toBe(bodyOf(a.doc));
    for (const client of [a, b, c]) client.destroy();
  });

  it('SYNC-3: messages sent before the document has loaded are kept, not lost', async () => {
    const { id } = await createDraft(server);
    // Send step 1 and an update the instant the socket opens, without waiting for anything.
    const ws = new WebSocket(`${server.wsUrl}/collab/${id}?ack=1`, { headers: authHeaders(server.wsUrl) });
    const early = new Y.Doc();
    appendParagraph(early, 'sent before the room was loaded');
    await new Promise<void>((resolve) => ws.once('open', () => resolve()));
    ws.send(encodeUpdateMessage(Y.encodeStateAsUpdate(early)));
    const reader = await connectProvider(server.wsUrl, id);
    await waitFor(() => bodyOf(reader.doc).includes('sent before the room was loaded'), 'early update applied');
    ws.close();
    reader.destroy();
  });

  it('SYNC-4: awareness is relayed, and removed when its connection closes', async () => {
    const { id } = await createDraft(server);
    const a = await connectProvider(server.wsUrl, id);
    const b = await connectProvider(server.wsUrl, id);
    a.provider.awareness.setLocalStateField('cursor', { anchor: 1 });
    // The user field is stamped by the server from the account (SEC-2), whatever A sends.
    await waitFor(() => b.provider.awareness.getStates().get(a.doc.clientID)?.cursor?.anchor === 1, 'B sees A');
    expect(b.provider.awareness.getStates().get(a.doc.clientID)?.user?.name).toBe('Administrator');
    a.destroy();
    await waitFor(() => !b.provider.awareness.getStates().has(a.doc.clientID), 'A removed from B’s awareness');
    b.destroy();
  });

  it('SYNC-6: a client alone in a document gets its own awareness back, so the stock provider’s 30 s silence watchdog does not fire', async () => {
    const { id } = await createDraft(server);
    const alone = await RawClient.connect(server.wsUrl, id);
    const awareness = new Awareness(alone.doc);
    awareness.setLocalStateField('user', { name: 'Solo', color: '#123456' });
    alone.send(encodeAwarenessMessage(encodeAwarenessUpdate(awareness, [alone.doc.clientID])));
    await waitFor(() => alone.received.some((frame) => frame[0] === MessageType.Awareness), 'own awareness echoed');
    awareness.destroy();
    alone.close();
  });

  it('SYNC-5: an unknown or malformed document id is refused with 404 before any socket exists', async () => {
    for (const path of ['/collab/does-not-exist', '/collab/..%2F..%2Fmeta', '/collab/UPPER', '/collab/', '/elsewhere']) {
      const status = await new Promise<number>((resolve, reject) => {
        const ws = new WebSocket(server.wsUrl + path, { headers: authHeaders(server.wsUrl) });
        ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.once('open', () => reject(new Error(`${path} was accepted`)));
        ws.once('error', () => {});
      });
      expect(status, path).toBe(404);
    }
  });

  it('SYNC-5: odd ids sent verbatim (no client-side URL normalisation) are refused with 404: %2e%2e, encoded slashes and NUL, look-alike letters, too long', async () => {
    const { id } = await createDraft(server);
    const { port } = new URL(server.url);
    const odd = ['%2e%2e', '%2E%2E%2Fmeta.json', '..%5c..%5cmeta.json', `${id}%2F..`, `${id}%00`, '.', `d%D0%BEc-${id.slice(4)}`, `%EF%BD%81${id.slice(1)}`, 'a'.repeat(65), `${id}/extra`];
    for (const path of odd) {
      // A raw request line: WHATWG URL parsing (ws, fetch, browsers) would fold `%2e%2e` into `..` and drop it.
      const answer = await new Promise<string>((resolve) => {
        const socket = net.connect(Number(port), '127.0.0.1', () => {
          socket.write(
            `GET /collab/${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
              `Sec-WebSocket-Key: ${Buffer.alloc(16, 7).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer ${server.token}\r\n\r\n`,
          );
        });
        let text = '';
        socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
        socket.on('close', () => resolve(text));
        socket.on('error', () => resolve(text));
      });
      expect(answer.split('\r\n')[0], path).toBe('HTTP/1.1 404 Not Found');
    }
    // The same request with the real id is accepted: the refusals were about the ids.
    const accepted = await tryUpgrade(server.wsUrl, `/collab/${id}`, authHeaders(server.wsUrl));
    expect(accepted.status).toBe(101);
    accepted.ws!.close();
  });

  it('SAVE-1: a Saved acknowledgement follows an update once it is durable', async () => {
    const { id } = await createDraft(server);
    const client = await RawClient.connect(server.wsUrl, id);
    appendParagraph(client.doc, 'acknowledged words');
    await client.waitForAck();
    expect(client.acked).toBe(client.sent);
    client.close();
  });

  it('SAVE-2: clients that do not ask for acknowledgements never receive one', async () => {
    const { id } = await createDraft(server);
    const client = await RawClient.connect(server.wsUrl, id, { ack: false });
    const witness = await RawClient.connect(server.wsUrl, id);
    appendParagraph(client.doc, 'no ack wanted');
    await waitFor(() => bodyOf(witness.doc).includes('no ack wanted'), 'update delivered');
    // The witness's own ack comes after the first update is durable (appends resolve in order),
    // so an ack for the first client, had one been sent, would have been sent by then.
    appendParagraph(witness.doc, 'witness');
    await witness.waitForAck();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(client.sent).toBeGreaterThan(0);
    expect(client.received.some((frame) => frame[0] === MessageType.Saved)).toBe(false);
    expect(witness.received.some((frame) => frame[0] === MessageType.Saved)).toBe(true);
    client.close();
    witness.close();
  });
});
