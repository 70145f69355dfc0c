import { describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import { pino } from 'pino';
import * as Y from 'yjs';
import { Connection } from '../../server/collab/Connection.js';
import { Room } from '../../server/collab/Room.js';
import { MemoryDocStore } from '../../server/storage/memoryDocStore.js';
import { MessageType, encodeSyncStep2, encodeUpdateMessage, readSavedSeq } from '../../shared/protocol/index.js';
import { editorConnectionOptions } from './network/connectionOptions.js';
import { FakeSocket } from './network/fakeSocket.js';
import { SimNetwork, type FaultProfile, type RunStats } from './network/simNetwork.js';
import { appendParagraph, bodyOf } from '../helpers/collabClients.js';

/**
 * Seeded in-memory network runs against the server's real Hub, Room and Connection (see
 * tests/reliability/network/). No sockets, no sleeps: every schedule is a pure function of its
 * seed. Reproduce a failure with `NET_SEED=<seed>`; explore more with `NET_SEEDS=<count>`.
 * Rules: docs/RELIABILITY.md (NET-n).
 */

const STEPS = Number(process.env.NET_STEPS ?? 1000);
const ONLY_SEED = process.env.NET_SEED === undefined ? undefined : Number(process.env.NET_SEED);

function seeds(count: number, first: number): number[] {
  if (ONLY_SEED !== undefined) return [ONLY_SEED];
  return Array.from({ length: Number(process.env.NET_SEEDS ?? count) }, (_, i) => first + i);
}

/** Everything a network can do to frames, including what TCP never does (reorder, duplicate). */
const CHAOS: FaultProfile = { reorder: true, duplicate: 0.05, drop: 0.02, delay: 0.1, disconnect: 0.02, crash: 0 };
/** What real sockets do: order kept per connection, but frames delayed and connections lost; plus server crashes. */
const SOCKETS: FaultProfile = { reorder: false, duplicate: 0, drop: 0.02, delay: 0.1, disconnect: 0.02, crash: 0.003 };

interface Outcome {
  failures: string[];
  totals: RunStats;
}

async function runSeeds(profile: FaultProfile, seedList: number[], checkAcks: boolean): Promise<Outcome> {
  const failures: string[] = [];
  const totals: RunStats = { edits: 0, deliveries: 0, duplicates: 0, drops: 0, disconnects: 0, reconnects: 0, crashes: 0, diskTicks: 0, acks: 0, roomLoads: 0, compactions: 0 };
  for (const seed of seedList) {
    // 2..6 clients, so small and crowded rooms both occur.
    const report = await new SimNetwork({ seed, clients: 2 + (seed % 5), steps: STEPS, checkAcks, ...profile }).run();
    for (const key of Object.keys(totals) as (keyof RunStats)[]) totals[key] += report.stats[key];
    if (report.problems.length > 0) {
      failures.push(`seed ${seed} (reproduce: NET_SEED=${seed}): ${report.problems.slice(0, 4).join('; ')}`);
    }
  }
  if (process.env.NET_VERBOSE) console.log(JSON.stringify({ seeds: seedList.length, steps: seedList.length * STEPS, ...totals }));
  return { failures, totals };
}

// Each seeded run is ~5 s of CPU alone: the 5 s default timeout failed them whenever the
// machine was shared. The timeout only guards against a hang; nothing here asserts speed.
describe('seeded in-memory network (NET)', { timeout: 120_000 }, () => {
  it('NET-1: clients converge with the room through reordered, duplicated, delayed and dropped frames and random reconnects', async () => {
    const { failures, totals } = await runSeeds(CHAOS, seeds(20, 1), false);
    expect(failures, failures.join('\n')).toEqual([]);
    // The faults really happened (a run that delivered nothing would converge trivially).
    if (ONLY_SEED === undefined) expect(Math.min(totals.duplicates, totals.drops, totals.reconnects)).toBeGreaterThan(0);
  });

  it('NET-2: with ordered sockets, a slow disk and server crashes, clients, room and disk converge', async () => {
    const { failures, totals } = await runSeeds(SOCKETS, seeds(20, 101), false);
    expect(failures, failures.join('\n')).toEqual([]);
    if (ONLY_SEED === undefined) expect(Math.min(totals.crashes, totals.compactions, totals.roomLoads)).toBeGreaterThan(0);
  });

  it('NET-3: every Saved(n) covers only updates that are on disk when it arrives', async () => {
    const { failures } = await runSeeds(SOCKETS, seeds(20, 201), true);
    expect(failures, failures.join('\n')).toEqual([]);
  });

  it('NET-4: an update whose dependencies have not arrived is not acknowledged until it is applied and durable', async () => {
    // The stock provider sends edits as soon as the socket opens, before its Step2 carried the
    // edits made offline; the server then receives an update that depends on ones it lacks.
    const store = new MemoryDocStore();
    const room = new Room({ docId: 'net-4', store, logger: pino({ level: 'silent' }) });
    await room.load();
    const client = new Y.Doc();
    appendParagraph(client, 'written offline');
    const before = Y.encodeStateVector(client);
    appendParagraph(client, 'typed right after reconnecting');
    const lateEdit = Y.encodeStateAsUpdate(client, before);

    const received: Uint8Array[] = [];
    const socket = new FakeSocket((frame) => received.push(frame), () => {});
    const connection = new Connection(socket.asWebSocket(), editorConnectionOptions('net-4', 'client'));
    connection.attach(room);
    const savedSeqs = (): number[] =>
      received.flatMap((frame) => {
        const decoder = decoding.createDecoder(frame);
        return decoding.readVarUint(decoder) === MessageType.Saved ? [readSavedSeq(decoder)] : [];
      });

    socket.emit('message', Buffer.from(encodeUpdateMessage(lateEdit)), true); // message 1
    await new Promise((resolve) => setImmediate(resolve));
    expect(bodyOf(room.doc)).toBe(''); // Yjs keeps it aside: it is neither applied nor stored …
    expect(savedSeqs(), 'Saved(1) was sent for an update that is not in the document').toEqual([]); // … so no ack yet

    socket.emit('message', Buffer.from(encodeSyncStep2(client, Y.encodeStateVector(room.doc))), true); // message 2
    await new Promise((resolve) => setImmediate(resolve));
    expect(bodyOf(room.doc)).toContain('typed right after reconnecting');
    expect(savedSeqs().at(-1)).toBe(2);
    const stored = new Y.Doc();
    Y.applyUpdate(stored, Y.mergeUpdates(await store.load('net-4')));
    expect(bodyOf(stored)).toBe(bodyOf(client));
  });

  it('NET-5: a seed reproduces its run exactly', async () => {
    const seed = ONLY_SEED ?? 7;
    const run = () => new SimNetwork({ seed, clients: 4, steps: 400, checkAcks: false, ...CHAOS }).run();
    const [first, second] = [await run(), await run()];
    expect(second.stats).toEqual(first.stats);
    expect(second.finalBody).toBe(first.finalBody);
  });
});
