import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { jitteredWebSocketClass, type SocketClass } from '../../client/src/editor/jitteredWebSocket.js';
import { appendParagraph, authHeaders, bodyOf, waitFor, webSocketWithHeaders } from '../helpers/collabClients.js';
import { ServerProcess } from '../helpers/serverProcess.js';
import { createDraft } from '../helpers/workspace.js';

/**
 * JITTER-5: a server restart with 500 connected stock providers (Node, `ws` underneath, through
 * the client's jittering WebSocketPolyfill) across 50 documents. Measures when each provider is
 * connected again and checks that they do not all arrive at once. `STORM_JITTER=0` runs the same
 * without jitter, for comparison (it is expected to fail the spread assertions).
 */
const PROVIDERS = Number(process.env.STORM_PROVIDERS ?? 500);
const DOCUMENTS = Number(process.env.STORM_DOCUMENTS ?? 50);
const JITTER = process.env.STORM_JITTER !== '0';
const WINDOW_MS = 50;

interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  docId: string;
  /**
   * When the socket that reconnected this provider after the restart was created (ms since
   * epoch): the moment its connection attempt left, which is what jitter spreads. (When it is
   * reported open depends on how fast one process can accept 500 sockets, not on the clients.)
   */
  reconnectedAt: number | null;
  /** When its connected socket closed at the restart. */
  lostAt: number | null;
}

/** A free loopback port, so the restarted server can listen on the same one. */
async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))]!;
}

/** The most arrivals within any window of `windowMs` (a sliding window over sorted times). */
function peakInWindow(sorted: number[], windowMs: number): number {
  let peak = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}

describe('a server restart with hundreds of connected clients', () => {
  let server: ServerProcess;
  const clients: Client[] = [];
  let restartBegan = 0;

  beforeAll(async () => {
    server = await ServerProcess.start({ PORT: String(await freePort()) });
    const docIds: string[] = [];
    for (let i = 0; i < DOCUMENTS; i++) docIds.push((await createDraft(server, `Storm ${i}`)).id);
    const WithHeaders = webSocketWithHeaders(authHeaders(server.wsUrl));
    for (let i = 0; i < PROVIDERS; i++) {
      const docId = docIds[i % DOCUMENTS]!;
      const doc = new Y.Doc();
      const client: Client = { doc, provider: null as unknown as WebsocketProvider, docId, reconnectedAt: null, lostAt: null };
      // The real socket, timestamped when created; the first one to open after the restart counts.
      const Base = class extends WithHeaders {
        constructor(address: string | URL, protocols?: string | string[]) {
          super(address, protocols);
          const createdAt = Date.now();
          this.once('open', () => {
            if (restartBegan > 0 && client.reconnectedAt === null) client.reconnectedAt = createdAt;
          });
          this.once('close', () => {
            if (restartBegan > 0 && client.lostAt === null) client.lostAt = Date.now();
          });
        }
      } as unknown as SocketClass;
      // One class per provider, as in the browser: the count of unsuccessful sockets lives in it.
      const Socket = JITTER ? jitteredWebSocketClass(Base) : Base;
      client.provider = new WebsocketProvider(`${server.wsUrl}/collab`, docId, doc, { WebSocketPolyfill: Socket as unknown as typeof WebSocket, disableBc: true });
      clients.push(client);
    }
    await waitFor(() => clients.every((client) => client.provider.synced), 'every provider synced', 120_000);
  }, 180_000);

  afterAll(async () => {
    for (const client of clients) {
      client.provider.destroy();
      client.doc.destroy();
    }
    await server?.dispose();
  });

  it(`JITTER-5: ${PROVIDERS} providers on ${DOCUMENTS} documents reconnect spread out after a restart, not in lockstep, and all converge`, async () => {
    restartBegan = Date.now();
    expect(await server.kill('SIGTERM')).toBe(0);
    const stopped = Date.now();
    await server.launch(); // the same DATA_DIR and, through PORT, the same port
    const listening = Date.now();
    await waitFor(() => clients.every((client) => client.reconnectedAt !== null && client.provider.synced), 'every provider reconnected and synced', 120_000);

    // Two views of the same run. (a) When the successful attempts were made, after the server
    // listened again. In one test process the 500 close events are handled one after another, over
    // a few hundred ms, which spreads even clients without jitter; 500 browsers would all see the
    // close at the same instant. (b) So the assertions use each client's own delay from losing
    // its socket to its successful attempt: the arrival times had all lost it at the same moment,
    // which is what jitter must spread (without it they fall on the provider's fixed schedule:
    // +200, +600, +1400, +3000 … ms).
    const absolute = clients.map((client) => client.reconnectedAt! - listening).sort((a, b) => a - b);
    const times = clients.map((client) => client.reconnectedAt! - client.lostAt!).sort((a, b) => a - b);
    const first = times[0]!;
    const last = times.at(-1)!;
    const iqr = quantile(times, 0.75) - quantile(times, 0.25);
    const peak = peakInWindow(times, WINDOW_MS);
    const figures =
      `JITTER-5 (${JITTER ? 'with' : 'WITHOUT'} jitter): ${PROVIDERS} providers, ${DOCUMENTS} documents; server down ${listening - restartBegan} ms ` +
      `(SIGTERM flush ${stopped - restartBegan} ms). (a) successful attempts from +${absolute[0]} to +${absolute.at(-1)} ms after listening, ` +
      `at most ${peakInWindow(absolute, WINDOW_MS)} in any ${WINDOW_MS} ms. (b) from losing the socket: +${first} to +${last} ms (spread ${last - first} ms, ` +
      `median +${quantile(times, 0.5)} ms, IQR ${iqr} ms), at most ${peak} in any ${WINDOW_MS} ms window (${Math.round((100 * peak) / PROVIDERS)}%)`;
    console.log(figures);

    // Spread out over a good part of the backoff window (800-2500 ms by the time the server is
    // back), with no 50 ms window holding more than 40% of the clients.
    expect(last - first).toBeGreaterThanOrEqual(500);
    expect(iqr).toBeGreaterThanOrEqual(150);
    expect(peak).toBeLessThanOrEqual(Math.floor(0.4 * PROVIDERS));
    expect(peakInWindow(absolute, WINDOW_MS)).toBeLessThanOrEqual(Math.floor(0.4 * PROVIDERS));

    // All converge: one edit per document after the restart reaches every client of it, and the
    // clients of a document end byte-identical.
    const byDoc = new Map<string, Client[]>();
    for (const client of clients) byDoc.set(client.docId, [...(byDoc.get(client.docId) ?? []), client]);
    for (const [docId, group] of byDoc) appendParagraph(group[0]!.doc, `after the restart ${docId}`);
    await waitFor(
      () => clients.every((client) => bodyOf(client.doc).includes(`after the restart ${client.docId}`)),
      'every client has its document’s post-restart edit',
      60_000,
    );
    for (const group of byDoc.values()) {
      const expected = Buffer.from(Y.encodeStateVector(group[0]!.doc));
      for (const client of group) {
        expect(Buffer.from(Y.encodeStateVector(client.doc)).equals(expected)).toBe(true);
        expect(bodyOf(client.doc)).toBe(bodyOf(group[0]!.doc));
      }
    }
  }, 240_000);
});
