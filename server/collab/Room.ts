import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { DocStore } from '../storage/DocStore.js';
import type { Logger } from '../logger.js';
import { MessageType, SyncMessageType, encodeAwarenessMessage, encodeSyncStep2, encodeUpdateMessage } from '../../shared/protocol/index.js';
import { AWARENESS_WINDOW_MS, AwarenessRelay } from './awarenessRelay.js';
import { stampAwarenessUpdate, type AwarenessIdentity } from './awarenessStamp.js';
import { UpdateBatch } from './updateBatch.js';

/**
 * Awareness client ids one connection may speak for. The stock provider uses one per socket;
 * the cap keeps a hostile client from filling the room's awareness with invented states.
 */
export const MAX_AWARENESS_CLIENTS_PER_PEER = 8;

/**
 * Updates with missing dependencies one connection may have parked at once. A real client has
 * at most a handful (edits racing its handshake); more is a client trying to make every update
 * of the room pay for dependency checks.
 */
export const MAX_WAITING_UPDATES_PER_PEER = 256;

/** What a Room needs from a connection: a way to send bytes and an identity for origins. */
export interface RoomPeer {
  send(message: Uint8Array): void;
}

export interface RoomOptions {
  docId: string;
  store: DocStore;
  logger: Logger;
  /** Called (throttled by the caller) whenever the content changed, e.g. to bump `updatedAt`. */
  onChange?: (docId: string) => void;
  /** Smallest gap between two awareness relays (AWARENESS_WINDOW_MS); 0 relays once per event-loop turn. */
  awarenessWindowMs?: number;
}

/**
 * One loaded document: its Y.Doc, its Awareness and the peers connected to it. The Room applies
 * updates, broadcasts them and appends them to the DocStore. It knows nothing about sockets or
 * the wire framing of incoming messages (see Connection).
 *
 * The updates applied within one event-loop turn leave together (UpdateBatch): one merged
 * message encoded once for all peers and one log record; each is acknowledged once that record
 * is durable. Awareness is relayed the same way, coalesced per room (AwarenessRelay).
 *
 * Invariant: nothing is sent to any peer before `load()` has completed, so a client can never
 * sync against an empty document and then push a duplicate of the stored content back.
 */
export class Room {
  readonly docId: string;
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly peers = new Set<RoomPeer>();
  /** Rough encoded size of the document, for the per-document size limit. */
  approxBytes = 0;

  private readonly store: DocStore;
  private readonly logger: Logger;
  private readonly onChange: ((docId: string) => void) | undefined;
  /** Resolves when every update applied so far is durable (appends of one doc resolve in order). */
  private lastAppend: Promise<void> = Promise.resolve();
  /** Batches not yet durable, the one still collecting updates included. */
  private pendingAppends = 0;
  /** Updates applied in this event-loop turn, sent and appended at its end (flushUpdates). */
  private batch: UpdateBatch | null = null;
  private batchFlush: NodeJS.Immediate | null = null;
  /** `[Sync][Step2]` with the whole document: the answer to every empty state vector until the next change. */
  private fullStateStep2: Uint8Array | null = null;
  private readonly awarenessRelay: AwarenessRelay;
  private compacting: Promise<void> | null = null;
  /** Awareness client ids each peer introduced (and owns until it leaves). */
  private readonly peerClients = new Map<RoomPeer, Set<number>>();
  /** The owner of each awareness client id: the first peer that spoke for it. */
  private readonly clientOwners = new Map<number, RoomPeer>();
  /** Updates Yjs parked for missing dependencies; acknowledged once the document contains them. */
  private waitingForDependencies: Array<{ update: Uint8Array; origin: RoomPeer; settle: (durable: Promise<void>) => void }> = [];
  private dependencyCheckScheduled = false;

  constructor(options: RoomOptions) {
    this.docId = options.docId;
    this.store = options.store;
    this.logger = options.logger;
    this.onChange = options.onChange;
    this.awarenessRelay = new AwarenessRelay((message) => this.sendToAll(message), options.awarenessWindowMs ?? AWARENESS_WINDOW_MS);
    // The server has no presence of its own: only the peers' states are relayed.
    this.awareness.setLocalState(null);
  }

  /** Loads the stored state; only after this resolves may anything be sent to a peer. */
  async load(): Promise<void> {
    const [first, ...rest] = await this.store.load(this.docId);
    if (first !== undefined) {
      // The first record is the snapshot when there is one: applied on its own, because merging
      // it with the records after it would decode and re-encode the whole document once more.
      // The rest are merged first: applying one update instead of thousands is much faster.
      Y.applyUpdate(this.doc, first, this);
      const tail = rest.length === 0 ? null : rest.length === 1 ? rest[0]! : Y.mergeUpdates(rest);
      if (tail !== null) Y.applyUpdate(this.doc, tail, this);
      this.approxBytes = first.byteLength + (tail?.byteLength ?? 0);
      // A single stored record is the whole document: the first fresh client gets it as stored,
      // without encoding the state of a document that was just loaded.
      if (tail === null) this.fullStateStep2 = step2Message(first);
    }
    // Subscribed after loading so that the loaded state is not appended to the log again.
    this.doc.on('update', this.handleDocUpdate);
    this.awareness.on('update', this.handleAwarenessUpdate);
  }

  /**
   * `[Sync][Step2]` for a peer's state vector. An empty one (a fresh client, the common case when
   * a document is opened) is answered from a cached encoding of the whole document, kept until
   * the next change: a large document is then encoded once, not once per person opening it.
   */
  encodeSyncStep2(stateVector: Uint8Array): Uint8Array {
    if (!isEmptyStateVector(stateVector)) return encodeSyncStep2(this.doc, stateVector);
    this.fullStateStep2 ??= step2Message(Y.encodeStateAsUpdate(this.doc));
    return this.fullStateStep2;
  }

  addPeer(peer: RoomPeer): void {
    this.peers.add(peer);
    this.peerClients.set(peer, new Set());
  }

  /** Removes a peer and the awareness states it announced (the others see it leave). */
  removePeer(peer: RoomPeer): void {
    this.peers.delete(peer);
    // Its parked updates will never be acknowledged on a closed socket; stop checking them.
    this.waitingForDependencies = this.waitingForDependencies.filter((w) => w.origin !== peer);
    const clients = this.peerClients.get(peer);
    this.peerClients.delete(peer);
    if (clients && clients.size > 0) {
      for (const id of clients) this.clientOwners.delete(id);
      awarenessProtocol.removeAwarenessStates(this.awareness, [...clients], null);
    }
  }

  /**
   * Applies an update that came from `origin`. Returns a promise that resolves once the
   * document's state including this update is durable (also when the update changed nothing:
   * its content may have arrived a moment earlier from someone else and still be in flight).
   */
  applyUpdate(update: Uint8Array, origin: RoomPeer): Promise<void> {
    Y.applyUpdate(this.doc, update, origin);
    const store = this.doc.store;
    if (store.pendingStructs === null && store.pendingDs === null) return this.lastAppend;
    // Yjs parks an update whose causal predecessors it has not seen (e.g. a client's edit that
    // overtook the Step2 carrying its offline work). It is then neither in the document nor in
    // the log, so it must not be acknowledged until a later update completes it.
    if (Y.snapshotContainsUpdate(Y.snapshot(this.doc), update)) return this.lastAppend;
    const waiting = this.waitingForDependencies.filter((w) => w.origin === origin).length;
    if (waiting >= MAX_WAITING_UPDATES_PER_PEER) {
      throw new Error(`more than ${MAX_WAITING_UPDATES_PER_PEER} updates with missing dependencies`);
    }
    return new Promise<void>((resolve, reject) => {
      this.waitingForDependencies.push({ update, origin, settle: (durable) => durable.then(resolve, reject) });
    });
  }

  /** Settles the waiting updates that the document now contains (at most one check per tick). */
  private scheduleDependencyCheck(): void {
    if (this.dependencyCheckScheduled || this.waitingForDependencies.length === 0) return;
    this.dependencyCheckScheduled = true;
    queueMicrotask(() => {
      this.dependencyCheckScheduled = false;
      const store = this.doc.store;
      const complete = store.pendingStructs === null && store.pendingDs === null;
      // A snapshot costs O(document): taken once for all waiters, and not at all when nothing is pending.
      const state = complete ? null : Y.snapshot(this.doc);
      const durable = this.lastAppend;
      this.waitingForDependencies = this.waitingForDependencies.filter((waiter) => {
        if (state !== null && !Y.snapshotContainsUpdate(state, waiter.update)) return true;
        waiter.settle(durable);
        return false;
      });
    });
  }

  /**
   * Applies an awareness update from `origin` and relays it to every peer. The server stamps the
   * origin's identity onto each state and drops entries for client ids introduced by another
   * peer (see stampAwarenessUpdate), so the update that is applied and relayed is the stamped one.
   * The relay is coalesced per room (AwarenessRelay): one message for every state received since
   * the last one, encoded once for everybody; when the client already sent exactly the stamped
   * update and nothing else is waiting, the received frame is relayed as is. Throws on a
   * malformed update.
   */
  applyAwareness(update: Uint8Array, origin: RoomPeer, rawMessage: Uint8Array, identity: AwarenessIdentity | null): void {
    const owned = this.peerClients.get(origin);
    if (!owned) return;
    const stamped = stampAwarenessUpdate(update, identity, (clientId) => {
      const owner = this.clientOwners.get(clientId);
      if (owner !== undefined) return owner === origin;
      if (owned.size >= MAX_AWARENESS_CLIENTS_PER_PEER) return false;
      this.clientOwners.set(clientId, origin);
      owned.add(clientId);
      return true;
    });
    if (!stamped) return;
    awarenessProtocol.applyAwarenessUpdate(this.awareness, stamped.update, origin);
    // Relayed to every peer. The sender gets its own state back, as from the reference server:
    // the stock provider drops a socket that has received nothing for 30 s, and a person alone
    // in a document would otherwise reconnect every 30 s.
    this.awarenessRelay.add(stamped.update, stamped.changed ? null : rawMessage);
  }

  /** Encoded awareness of everyone present, or null when nobody has announced a state. */
  encodeAwarenessStates(): Uint8Array | null {
    const clients = [...this.awareness.getStates().keys()];
    if (clients.length === 0) return null;
    return encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients));
  }

  /** True when the room can be dropped from memory without losing anything. */
  get idle(): boolean {
    return this.peers.size === 0 && this.pendingAppends === 0 && this.compacting === null;
  }

  /** Resolves once every update applied so far, and any running compaction, is durable. */
  async whenDurable(): Promise<void> {
    await this.lastAppend;
    if (this.compacting) await this.compacting;
  }

  destroy(): void {
    // Rooms are destroyed idle (nothing batched); should one not be, what was applied still goes out.
    this.flushUpdates();
    this.awarenessRelay.dispose();
    this.doc.off('update', this.handleDocUpdate);
    this.awareness.off('update', this.handleAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
  }

  private readonly handleDocUpdate = (update: Uint8Array, origin: unknown): void => {
    let batch = this.batch;
    if (batch === null) {
      batch = new UpdateBatch();
      this.batch = batch;
      this.pendingAppends++;
      // Set now, so that acknowledgements of this update (applyUpdate's result, the dependency
      // check) wait for the record that will carry it.
      this.lastAppend = batch.durable;
      this.batchFlush = setImmediate(this.flushUpdates);
    }
    batch.add(update, origin);
    this.fullStateStep2 = null;
    this.approxBytes += update.byteLength;
    this.scheduleDependencyCheck();
    this.onChange?.(this.docId);
  };

  /** Sends the batch (one message for every peer but its only sender) and appends it as one record. */
  private readonly flushUpdates = (): void => {
    const batch = this.batch;
    if (batch === null) return;
    this.batch = null;
    if (this.batchFlush !== null) clearImmediate(this.batchFlush);
    this.batchFlush = null;
    const update = batch.merged();
    const message = encodeUpdateMessage(update);
    const skip = batch.soleOrigin();
    for (const peer of this.peers) {
      if (peer !== skip) peer.send(message);
    }
    this.persist(update, batch);
  };

  private persist(update: Uint8Array, batch: UpdateBatch): void {
    const appended = this.store.append(this.docId, update).finally(() => {
      this.pendingAppends--;
    });
    batch.settle(appended);
    appended.catch((error: unknown) => {
      // The store retries write errors itself; a rejection means it was closed under us.
      this.logger.error({ err: error, docId: this.docId }, 'update could not be persisted');
    });
    // Synchronously after the append: the snapshot then holds exactly what was appended so far.
    if (this.compacting === null && this.store.shouldCompact(this.docId)) this.compact();
  }

  private sendToAll(message: Uint8Array): void {
    for (const peer of this.peers) peer.send(message);
  }

  private compact(): void {
    // Encoded synchronously, so the snapshot contains exactly the updates appended so far.
    const snapshot = Y.encodeStateAsUpdate(this.doc);
    this.approxBytes = snapshot.byteLength;
    this.compacting = this.store
      .compact(this.docId, snapshot)
      .catch((error: unknown) => {
        this.logger.warn({ err: error, docId: this.docId }, 'compaction failed; the log is kept and compaction retried later');
      })
      .finally(() => {
        this.compacting = null;
      });
  }

  private readonly handleAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    // Peers' own messages are relayed by applyAwareness (ownership is tracked there).
    if (this.peerClients.has(origin as RoomPeer)) return;
    // Removals made by the server (a peer left, or a state timed out) must be announced, and a
    // state of theirs still waiting for the relay must not follow the removal.
    const changed = [...added, ...updated, ...removed];
    if (changed.length === 0) return;
    this.awarenessRelay.forget(removed);
    this.sendToAll(encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed)));
  };
}

/** `[Sync][Step2][update]` around an encoded update. */
function step2Message(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  encoding.writeVarUint(encoder, SyncMessageType.Step2);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** True for the state vector of an empty document (no client: a single varUint 0). */
function isEmptyStateVector(stateVector: Uint8Array): boolean {
  return stateVector.byteLength === 1 && stateVector[0] === 0;
}
