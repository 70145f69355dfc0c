import { pino } from 'pino';
import { Connection } from '../../../server/collab/Connection.js';
import { Hub } from '../../../server/collab/Hub.js';
import { snapshotInProcess } from '../../../server/collab/loadPlanner.js';
import type { Room } from '../../../server/collab/Room.js';
import { FakeSocket } from './fakeSocket.js';
import { Prng } from './prng.js';
import { SimClient } from './simClient.js';
import { SimDisk, SimStore } from './simStore.js';
import { DOCUMENT_FRAGMENT } from '../../../shared/schema/index.js';
import { compareWithRoom } from './docChecks.js';
import { editorConnectionOptions } from './connectionOptions.js';

/** What can go wrong, as probabilities per event (`disconnect` and `crash` are per step). */
export interface FaultProfile {
  /** Deliver any queued frame of a connection, not just the oldest (a socket never does this). */
  reorder: boolean;
  /** A delivered frame stays queued and is delivered again later. */
  duplicate: number;
  /** A frame is lost; a lost frame means a lost connection, so the link closes with it. */
  drop: number;
  /** A frame is held back for 1..30 steps when it is sent. */
  delay: number;
  /** A connected client closes its socket. */
  disconnect: number;
  /** The server process dies: pending loads and fsyncs are lost, every socket closes. */
  crash: number;
}

export interface NetworkOptions extends FaultProfile {
  seed: number;
  clients: number;
  steps: number;
  /** Check every Saved(n) on arrival: the updates of frames 1..n must be on the simulated disk. */
  checkAcks: boolean;
  /** Low values make the Room compact often; the server default (1 MiB) is never reached here. */
  compactAfterBytes?: number;
}

export interface RunStats {
  edits: number;
  deliveries: number;
  duplicates: number;
  drops: number;
  disconnects: number;
  reconnects: number;
  crashes: number;
  diskTicks: number;
  acks: number;
  roomLoads: number;
  compactions: number;
}

export interface RunReport {
  seed: number;
  problems: string[];
  stats: RunStats;
  /** The room's final body, to compare two runs of one seed. */
  finalBody: string;
}

interface Frame {
  bytes: Uint8Array;
  notBefore: number;
}

const DOC_ID = 'sim-doc';
const logger = pino({ level: 'silent' });

/** One server life: a store over the shared disk and the real Hub (which creates real Rooms). */
class SimServer {
  readonly store: SimStore;
  readonly hub: Hub;
  constructor(disk: SimDisk, compactAfterBytes: number) {
    this.store = new SimStore(disk, compactAfterBytes);
    // Compaction snapshots in-process, not in a worker thread: a thread's timing would make
    // runs of one seed differ (and under vitest the compiled worker module does not exist).
    this.hub = new Hub(this.store, logger, undefined, { snapshotter: snapshotInProcess });
  }
}

/** One socket between a client and a server life, with a frame queue per direction. */
class Link {
  open = true;
  readonly toServer: Frame[] = [];
  readonly toClient: Frame[] = [];
  room: Room | null = null;
  checkedAcks = 0;
  socket!: FakeSocket;
  connection!: Connection;
  constructor(
    readonly client: SimClient,
    readonly server: SimServer,
  ) {}
}

/** Lets promise continuations run (room loads, acks, unloads), as the event loop does between two I/O events. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A seeded, in-memory network between SimClients and the server's real Hub, Room and Connection
 * (only the socket and the disk are simulated). Each step the generator picks one event: a client
 * edits, a queued frame is delivered (possibly out of order, twice, or lost with its connection),
 * the disk finishes a load or a group commit, a client disconnects or reconnects, or the server
 * crashes. The same seed always produces the same run.
 */
export class SimNetwork {
  private readonly prng: Prng;
  private readonly disk = new SimDisk();
  private server: SimServer;
  private readonly clients: SimClient[];
  private readonly links = new Map<SimClient, Link>();
  private faults: FaultProfile;
  private step = 0;
  private readonly problems: string[] = [];
  readonly stats: RunStats = { edits: 0, deliveries: 0, duplicates: 0, drops: 0, disconnects: 0, reconnects: 0, crashes: 0, diskTicks: 0, acks: 0, roomLoads: 0, compactions: 0 };

  constructor(private readonly options: NetworkOptions) {
    this.prng = new Prng(options.seed);
    this.faults = options;
    this.server = new SimServer(this.disk, options.compactAfterBytes ?? 2048);
    this.clients = Array.from({ length: options.clients }, (_, i) => new SimClient(`c${i}`, i + 1));
  }

  async run(): Promise<RunReport> {
    for (const client of this.clients) if (this.prng.chance(0.7)) this.connect(client);
    for (this.step = 0; this.step < this.options.steps; this.step++) {
      this.act();
      await settle();
    }
    await this.quiesce();
    const room = await this.server.hub.acquire(DOC_ID);
    this.countStoreWork();
    this.problems.push(...compareWithRoom(room, this.clients, this.disk.records.get(DOC_ID) ?? []));
    if (this.options.checkAcks) {
      for (const client of this.clients) {
        if (client.acked < client.sentUpdates.length) this.problems.push(`${client.name}: ${client.sentUpdates.length} updates sent, only ${client.acked} acknowledged`);
      }
    }
    const finalBody = room.doc.getXmlFragment(DOCUMENT_FRAGMENT).toString();
    for (const client of this.clients) client.doc.destroy();
    this.disk.destroy();
    return { seed: this.options.seed, problems: this.problems, stats: this.stats, finalBody };
  }

  private act(): void {
    const { prng, faults } = this;
    const action = prng.weighted({ edit: 30, deliver: 50, disk: 8, disconnect: faults.disconnect * 100, reconnect: 6, crash: faults.crash * 100 });
    if (action === 'edit') {
      prng.pick(this.clients).edit(prng);
      this.stats.edits++;
    } else if (action === 'deliver') {
      this.deliver();
    } else if (action === 'disk') {
      this.tickDisk();
    } else if (action === 'disconnect') {
      const connected = [...this.links.values()];
      if (connected.length > 0) {
        this.close(prng.pick(connected));
        this.stats.disconnects++;
      }
    } else if (action === 'reconnect') {
      const offline = this.clients.filter((client) => !client.connected);
      if (offline.length > 0) {
        this.connect(prng.pick(offline));
        this.stats.reconnects++;
      }
    } else {
      this.crash();
    }
  }

  /** What CollabServer.accept does for a new socket, minus the HTTP upgrade. */
  private connect(client: SimClient): void {
    const server = this.server;
    const link = new Link(client, server);
    link.socket = new FakeSocket(
      (frame) => this.enqueue(link, link.toClient, frame),
      (code) => {
        this.problems.push(`step ${this.step}: server closed ${client.name}'s connection with ${code}`);
        this.close(link);
      },
    );
    link.connection = new Connection(link.socket.asWebSocket(), editorConnectionOptions(DOC_ID, client.name));
    server.hub.acquire(DOC_ID).then(
      (room) => {
        link.room = room;
        if (!link.open) {
          if (link.server === this.server) server.hub.release(room);
          return;
        }
        link.connection.attach(room);
      },
      (error: unknown) => this.problems.push(`step ${this.step}: room load failed: ${String(error)}`),
    );
    this.links.set(client, link);
    client.open((frame) => this.enqueue(link, link.toServer, frame));
  }

  private enqueue(link: Link, queue: Frame[], bytes: Uint8Array): void {
    if (!link.open) return;
    const held = this.prng.chance(this.faults.delay) ? this.prng.int(1, 30) : 0;
    queue.push({ bytes, notBefore: this.step + held });
  }

  /** Closes a socket from either side; the server side runs what the `close` event runs in CollabServer. */
  private close(link: Link): void {
    if (!link.open) return;
    link.open = false;
    link.toServer.length = 0;
    link.toClient.length = 0;
    link.socket.readyState = 3;
    this.links.delete(link.client);
    link.client.closed();
    if (link.server !== this.server) return; // that server process is gone
    link.connection.detach();
    if (link.room) this.server.hub.release(link.room);
  }

  private deliver(): void {
    const { prng, faults } = this;
    const ready = (queue: Frame[]): boolean =>
      faults.reorder ? queue.some((frame) => frame.notBefore <= this.step) : (queue[0]?.notBefore ?? Infinity) <= this.step;
    const candidates: { link: Link; queue: Frame[]; up: boolean }[] = [];
    for (const link of this.links.values()) {
      if (ready(link.toServer)) candidates.push({ link, queue: link.toServer, up: true });
      if (ready(link.toClient)) candidates.push({ link, queue: link.toClient, up: false });
    }
    if (candidates.length === 0) return;
    const { link, queue, up } = prng.pick(candidates);
    let index = 0;
    if (faults.reorder) {
      const eligible = queue.flatMap((frame, i) => (frame.notBefore <= this.step ? [i] : []));
      index = prng.pick(eligible);
    }
    const frame = queue[index]!;
    if (prng.chance(faults.drop)) {
      this.stats.drops++;
      this.close(link);
      return;
    }
    if (prng.chance(faults.duplicate)) this.stats.duplicates++;
    else queue.splice(index, 1);
    this.transmit(link, frame.bytes, up);
  }

  private transmit(link: Link, bytes: Uint8Array, up: boolean): void {
    this.stats.deliveries++;
    if (up) {
      link.socket.emit('message', Buffer.from(bytes), true);
      return;
    }
    const seq = link.client.receive(bytes);
    if (seq === undefined) return;
    this.stats.acks++;
    if (this.options.checkAcks) this.checkAck(link, seq);
  }

  /** PROTOCOL.md: Saved(n) means every update-carrying frame 1..n of this connection is durable. */
  private checkAck(link: Link, seq: number): void {
    const sent = link.client.sentUpdates;
    for (let n = link.checkedAcks + 1; n <= seq; n++) {
      const update = sent[n - 1];
      if (update === undefined) {
        this.problems.push(`step ${this.step}: ${link.client.name} got Saved(${seq}) but sent only ${sent.length} updates`);
        break;
      }
      if (!this.disk.contains(DOC_ID, update)) {
        this.problems.push(`step ${this.step}: ${link.client.name} got Saved(${seq}) but update #${n} is not on disk`);
      }
    }
    link.checkedAcks = Math.max(link.checkedAcks, seq);
  }

  private tickDisk(): void {
    const { store } = this.server;
    if (store.pendingLoads === 0 && store.pendingWrites === 0) return;
    const load = store.pendingLoads > 0 && (store.pendingWrites === 0 || this.prng.chance(0.5));
    store.tick(load ? 'load' : 'fsync');
    this.stats.diskTicks++;
  }

  private crash(): void {
    this.countStoreWork();
    this.server.store.crash();
    this.server = new SimServer(this.disk, this.options.compactAfterBytes ?? 2048);
    for (const link of [...this.links.values()]) this.close(link);
    this.stats.crashes++;
  }

  private countStoreWork(): void {
    this.stats.roomLoads += this.server.store.loadsServed;
    this.stats.compactions += this.server.store.compactions;
  }

  /**
   * The end of the faults: every client connects, and frames and disk events run in order until
   * nothing is left to do. Bounded, so a livelock fails instead of hanging.
   */
  private async quiesce(): Promise<void> {
    this.faults = { reorder: false, duplicate: 0, drop: 0, delay: 0, disconnect: 0, crash: 0 };
    for (const client of this.clients) if (!client.connected) this.connect(client);
    for (let i = 0; i < 1_000_000; i++) {
      await settle();
      const busy = [...this.links.values()].find((link) => link.toServer.length > 0 || link.toClient.length > 0);
      if (busy) {
        const up = busy.toServer.length > 0;
        const frame = (up ? busy.toServer : busy.toClient).shift()!;
        this.transmit(busy, frame.bytes, up);
        continue;
      }
      const { store } = this.server;
      if (store.pendingLoads > 0) store.tick('load');
      else if (store.pendingWrites > 0) store.tick('fsync');
      else if (this.clients.every((client) => client.synced)) return;
      else {
        this.problems.push(`after the run: idle network but ${this.clients.filter((c) => !c.synced).map((c) => c.name).join(', ')} not synced`);
        return;
      }
    }
    this.problems.push('after the run: the network did not become idle within 1,000,000 events');
  }
}
