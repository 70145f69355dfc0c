import * as decoding from 'lib0/decoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { MessageType, SyncMessageType, classifyFrame } from '../../shared/protocol/index.js';
import { validateUpdate } from '../../server/collab/validateUpdate.js';
import { loadConfig } from '../../server/config.js';
import { bearer, createPerson, createToken, request } from '../helpers/accounts.js';
import { RawClient, appendParagraph, authHeaders, bodyOf, connectProvider, waitFor, type ProviderClient } from '../helpers/collabClients.js';
import { syncFrame } from '../helpers/frames.js';
import { fuzzFrames, manyStructsUpdate, type FuzzFrame } from '../helpers/fuzzInputs.js';
import { ServerProcess } from '../helpers/serverProcess.js';
import { storedContent, type StoredContent } from '../helpers/storedContent.js';
import { createDraft } from '../helpers/workspace.js';

/**
 * Protocol fuzzing against the real server process (FUZZ-4, FUZZ-5 in docs/SPEC.md): thousands
 * of hostile frames of every message type, while another document is edited. `FUZZ_FRAMES` and
 * `FUZZ_SEED` make longer or different runs (`FUZZ_FRAMES=50000 npx vitest run … fuzz.test.ts`).
 */
const SEED = Number(process.env.FUZZ_SEED ?? 4_687);
const FRAMES = Number(process.env.FUZZ_FRAMES ?? 3_000);
const WORKERS = 4;
/** The server's defaults: the fuzzing runs against the configuration people run. */
const { maxUpdateOperations: MAX_UPDATE_OPERATIONS } = loadConfig({}).collab;
const { maxMessageBytes: MAX_MESSAGE_BYTES } = loadConfig({});
/** The bound: no input may block the server's event loop longer than this. */
const EVENT_LOOP_BOUND_MS = 250;

interface Runtime {
  eventLoopDelayMaxMs: number;
  gcPauseMaxMs: number;
  rssBytes: number;
  connections: number;
  rooms: number;
}

/**
 * Would the server apply this frame to the document? Only Step2/Update frames whose payload is a
 * valid update (by the server's own check) change content; everything else that reaches a
 * document must leave it untouched.
 */
function changesDocument(frame: Uint8Array): boolean {
  try {
    const kind = classifyFrame(frame);
    if (kind.type !== MessageType.Sync || (kind.syncType !== SyncMessageType.Step2 && kind.syncType !== SyncMessageType.Update)) return false;
    const decoder = decoding.createDecoder(frame);
    decoding.readVarUint(decoder);
    decoding.readVarUint(decoder);
    validateUpdate(decoding.readVarUint8Array(decoder), MAX_UPDATE_OPERATIONS);
    return true;
  } catch {
    return false;
  }
}

/** What the configured store loads for the document: every record (hex) and the merged state. */
const docFiles = (server: ServerProcess, docId: string): Promise<StoredContent> => storedContent(server, docId);

/** The server's state of a document as a fresh admin connection receives it. */
async function serverState(server: ServerProcess, docId: string): Promise<{ update: string; body: string }> {
  const client = await RawClient.connect(server.wsUrl, docId, { ack: false });
  const state = { update: Buffer.from(Y.encodeStateAsUpdate(client.doc)).toString('hex'), body: bodyOf(client.doc) };
  client.close();
  return state;
}

/**
 * Sends `frames` one at a time on sockets to `docId`, opening a new socket whenever the server
 * closed the last one. Each frame is followed by a ping: the server's `ws` answers it only while
 * the socket is open, after handling the frame (frames are handled in order, synchronously, once
 * the room is loaded), so "pong" means handled and kept open, "close" means refused.
 */
async function fire(server: ServerProcess, docId: string, frames: FuzzFrame[], closeCodes: Map<number, number>): Promise<void> {
  let ws: WebSocket | null = null;
  const open = async (): Promise<WebSocket> => {
    const socket = new WebSocket(`${server.wsUrl}/collab/${docId}`, { headers: authHeaders(server.wsUrl) });
    socket.on('error', () => {});
    socket.on('close', (code) => closeCodes.set(code, (closeCodes.get(code) ?? 0) + 1));
    // The server's Step1 is its first message: the room is loaded and frames are handled at once.
    await new Promise<void>((resolve, reject) => {
      socket.once('message', () => resolve());
      socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
    return socket;
  };
  for (const frame of frames) {
    if (ws === null || ws.readyState !== WebSocket.OPEN) ws = await open();
    const socket: WebSocket = ws;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        socket.off('pong', done);
        socket.off('close', done);
        resolve();
      };
      socket.on('pong', done);
      socket.on('close', done);
      socket.send(frame.bytes);
      socket.ping();
    });
  }
  const last = ws;
  if (last && last.readyState === WebSocket.OPEN) {
    const closed = new Promise((resolve) => last.once('close', resolve));
    last.close();
    await closed;
  }
}

describe('protocol fuzzing against the real server', () => {
  let server: ServerProcess;
  let victim: string;
  let sandbox: string;
  let bystanderDoc: string;
  const writers: ProviderClient[] = [];

  beforeAll(async () => {
    server = await ServerProcess.start();
    victim = (await createDraft(server, 'Every frame here is refused')).id;
    sandbox = (await createDraft(server, 'Valid mutated updates land here')).id;
    bystanderDoc = (await createDraft(server, 'Edited while the fuzzing runs')).id;
  });
  afterAll(async () => {
    for (const client of writers) client.destroy();
    await server.dispose();
  });

  it(`FUZZ-4: ${FRAMES} hostile frames (seed ${SEED}): no crash, refused frames change nothing, other rooms keep serving, the event loop is never blocked ${EVENT_LOOP_BOUND_MS} ms`, async () => {
    const filesBefore = await docFiles(server, victim);
    const victimBefore = await serverState(server, victim);

    const frames = fuzzFrames(SEED, FRAMES);
    // Frames at the size limits: garbage of almost MAX_MESSAGE_BYTES, 8 million structs in 15 MiB
    // (refused by the operation count), one frame over the limit (1009), and a valid update with
    // exactly the allowed number of operations (applied: the most work one frame may cause).
    const hugeGarbage = new Uint8Array(MAX_MESSAGE_BYTES - 64).fill(0xff);
    frames.push({ kind: 'garbage update of almost MAX_MESSAGE_BYTES', bytes: syncFrame(SyncMessageType.Update, hugeGarbage) });
    frames.push({ kind: '8 million structs (15 MiB)', bytes: syncFrame(SyncMessageType.Update, manyStructsUpdate(8_000_000)) });
    frames.push({ kind: 'a frame over MAX_MESSAGE_BYTES', bytes: new Uint8Array(MAX_MESSAGE_BYTES + 1024) });
    frames.push({ kind: 'an update with exactly MAX_UPDATE_OPERATIONS structs', bytes: syncFrame(SyncMessageType.Update, manyStructsUpdate(MAX_UPDATE_OPERATIONS)) });
    const refused = frames.filter((frame) => !changesDocument(frame.bytes));
    const applied = frames.filter((frame) => changesDocument(frame.bytes));
    expect(refused.length).toBeGreaterThan(FRAMES / 2);

    // Another document is edited throughout: its clients must see every edit.
    const writer = await connectProvider(server.wsUrl, bystanderDoc);
    const reader = await connectProvider(server.wsUrl, bystanderDoc);
    writers.push(writer, reader);
    let edits = 0;
    let fuzzing = true;
    const editing = (async () => {
      while (fuzzing) {
        appendParagraph(writer.doc, `bystander edit ${++edits}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();

    // Keeps both rooms loaded, so each new fuzz socket is served at once (see fire()).
    const observers = [await RawClient.connect(server.wsUrl, victim, { ack: false }), await RawClient.connect(server.wsUrl, sandbox, { ack: false })];
    const closeCodes = new Map<number, number>();
    const queues: FuzzFrame[][] = Array.from({ length: WORKERS }, () => []);
    refused.forEach((frame, index) => queues[index % WORKERS]!.push(frame));
    await Promise.all([...queues.map((queue) => fire(server, victim, queue, closeCodes)), fire(server, sandbox, applied, closeCodes)]);
    fuzzing = false;
    await editing;
    for (const observer of observers) observer.close();

    // Zero crashes: the process is alive and healthy.
    expect(server.pid).toBeGreaterThan(0);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    // Refused frames closed their sockets with the documented codes only.
    expect([...closeCodes.keys()].every((code) => [1000, 1005, 1009, 4400, 4413, 4429].includes(code)), JSON.stringify([...closeCodes])).toBe(true);
    expect(closeCodes.get(4400) ?? 0).toBeGreaterThan(refused.length / 4);
    expect(server.logs.some((line) => line.level >= 50), 'no error was logged').toBe(false);

    // The other room kept serving: every edit arrived.
    await waitFor(() => bodyOf(reader.doc).includes(`bystander edit ${edits}`), 'the last bystander edit');
    for (let i = 1; i <= edits; i++) expect(bodyOf(reader.doc)).toContain(`bystander edit ${i}<`);
    // The sandbox, which took every valid mutated update, still loads and syncs.
    const late = await connectProvider(server.wsUrl, sandbox);
    late.destroy();

    // Refused frames changed nothing: the same state to a fresh connection...
    expect(await serverState(server, victim)).toEqual(victimBefore);

    // ...and the event loop was never blocked longer than the bound (measured inside the server).
    const runtime = await server.api<Runtime>('/api/admin/runtime');
    console.log(`FUZZ-4: ${frames.length} frames (${refused.length} refused, ${applied.length} valid), seed ${SEED}; close codes ${JSON.stringify(Object.fromEntries(closeCodes))}; event loop max ${runtime.eventLoopDelayMaxMs} ms (longest GC pause ${runtime.gcPauseMaxMs} ms); rss ${Math.round(runtime.rssBytes / 2 ** 20)} MiB`);
    expect(runtime.eventLoopDelayMaxMs).toBeLessThan(EVENT_LOOP_BOUND_MS);

    // ...and byte-identical stored records (what the store loads) after a SIGTERM flush.
    expect(await server.kill('SIGTERM')).toBe(0);
    expect(await docFiles(server, victim)).toEqual(filesBefore);
    await server.launch();
  });

  it('FUZZ-5: the runtime report is for workspace admins only (403 for other people, 401 anonymous)', async () => {
    const person = await createPerson(server, 'Not An Admin', { 'digital-transition': 'rapporteur' });
    const token = await createToken(server, person);
    const asPerson = await request(server, 'GET', '/api/admin/runtime', { headers: bearer(token.secret) });
    expect(asPerson.status).toBe(403);
    expect((asPerson.json as { error: { code: string } }).error.code).toBe('FORBIDDEN');
    expect((await request(server, 'GET', '/api/admin/runtime')).status).toBe(401);
    const report = await server.api<Runtime>('/api/admin/runtime');
    expect(report).toMatchObject({ eventLoopDelayMaxMs: expect.any(Number), rssBytes: expect.any(Number), connections: expect.any(Number), rooms: expect.any(Number) });
  });
});
