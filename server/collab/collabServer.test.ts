import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { CloseCode, MessageType } from '../../shared/protocol/index.js';
import { MemoryMetaStore } from '../storage/memoryMetaStore.js';
import { RawClient, appendParagraph, waitFor } from '../../tests/helpers/collabClients.js';
import { CollabServer } from './CollabServer.js';
import { GatedDocStore } from './gatedDocStoreTestKit.js';
import type { UpgradeGate } from './UpgradeGate.js';

/** Lets everyone edit: these tests are about sync and storage; access is tested in tests/integration. */
const openGate: UpgradeGate = {
  admit: async (_req, docId) => ({
    ok: true,
    grant: {
      docId,
      groupId: 'g',
      userId: 'u',
      identity: { id: 'u', name: 'Test', color: '#123456' },
      access: 'edit',
      credential: { via: 'token', id: 't' },
      expiresAt: null,
    },
  }),
  recheck: async (grant) => ({ kind: 'same', grant }),
};

const DOC = 'gated-doc';
const logger = pino({ level: 'silent' });
let cleanup: Array<() => Promise<void> | void> = [];

async function start(heartbeatMs?: number) {
  const store = new GatedDocStore();
  const meta = new MemoryMetaStore();
  const now = new Date().toISOString();
  await meta.insert({
    groups: [{ id: 'g', name: 'Group', description: '', createdAt: now }],
    documents: [{ id: DOC, groupId: 'g', kind: 'working-draft', title: 'T', state: 'draft', createdAt: now, updatedAt: now }],
  });
  const collab = new CollabServer({ store, meta, logger, gate: openGate, maxMessageBytes: 1 << 20, maxDocumentBytes: 1 << 24, heartbeatMs });
  const server = http.createServer((_req, res) => res.end());
  server.on('upgrade', collab.handleUpgrade);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const wsUrl = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  cleanup.push(async () => {
    store.release();
    await collab.close();
    server.closeAllConnections();
    server.close();
  });
  return { store, collab, wsUrl };
}

afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe('CollabServer with a store we can hold', () => {
  it('SAVE-3: no Saved acknowledgement is sent before the update is durable', async () => {
    const { store, wsUrl } = await start();
    const client = await RawClient.connect(wsUrl, DOC);
    await client.waitForAck(); // the handshake's Step2 (message 1)
    store.held = true;
    appendParagraph(client.doc, 'waiting for the disk');
    await waitFor(() => store.pending === 1, 'append in flight');
    // Applied and broadcast, but not durable: a second client sees it, the writer has no ack.
    const other = await RawClient.connect(wsUrl, DOC);
    expect(other.doc.getXmlFragment('default').toString()).toContain('waiting for the disk');
    expect(client.sent).toBe(2);
    expect(client.acked).toBe(1);
    store.release();
    await client.waitForAck();
    expect(client.acked).toBe(client.sent);
    client.close();
    other.close();
  });

  it('ROOM-1: a room leaves memory only after its last peer left and its writes are durable', async () => {
    const { store, collab, wsUrl } = await start();
    const client = await RawClient.connect(wsUrl, DOC);
    store.held = true;
    appendParagraph(client.doc, 'pending while leaving');
    await waitFor(() => store.pending === 1, 'append in flight');
    client.close();
    await waitFor(() => collab.connectionCount === 0, 'socket closed on the server');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(collab.hub.loadedCount).toBe(1);
    store.release();
    await waitFor(() => collab.hub.loadedCount === 0, 'room unloaded');
    // And what was pending is what a new visitor loads.
    const again = await RawClient.connect(wsUrl, DOC);
    expect(again.doc.getXmlFragment('default').toString()).toContain('pending while leaving');
    again.close();
  });

  it('LOAD-1: a document that fails to load is refused with 4500, never served empty, and retried on the next connect', async () => {
    const { store, wsUrl } = await start();
    const seed = new Y.Doc();
    appendParagraph(seed, 'precious content');
    await store.append(DOC, Y.encodeStateAsUpdate(seed));
    store.failLoads = true;
    const client = await RawClient.connect(wsUrl, DOC, { sync: false });
    client.send(Uint8Array.from([MessageType.Sync, 0, 0])); // Step1 with an empty state vector
    const closed = await client.waitForClose();
    expect(closed.code).toBe(CloseCode.RoomLoadFailed);
    expect(closed.reason).toBe('ROOM_LOAD_FAILED');
    // Not one sync message was sent: nothing that could be mistaken for an empty document.
    expect(client.received.filter((frame) => frame[0] === MessageType.Sync)).toEqual([]);
    const loadsBefore = store.loads;
    store.failLoads = false;
    const retry = await RawClient.connect(wsUrl, DOC);
    expect(store.loads).toBe(loadsBefore + 1);
    expect(retry.doc.getXmlFragment('default').toString()).toContain('precious content');
    retry.close();
  });

  it('KEEP-1: a socket that stops answering pings is terminated', async () => {
    const { collab, wsUrl } = await start(40);
    const client = await RawClient.connect(wsUrl, DOC);
    const healthy = await RawClient.connect(wsUrl, DOC);
    // Stop reading: pings go unanswered, as with a laptop whose lid was closed.
    (client.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    await waitFor(() => collab.connectionCount === 1, 'dead socket terminated');
    expect(healthy.ws.readyState).toBe(WebSocket.OPEN);
    healthy.close();
  });
});
