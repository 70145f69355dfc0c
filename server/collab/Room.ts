import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { DocStore } from '../storage/DocStore.js';
import type { Logger } from '../logger.js';
import { encodeAwarenessMessage, encodeUpdateMessage } from '../../shared/protocol/index.js';
import { stampAwarenessUpdate, type AwarenessIdentity } from './awarenessStamp.js';

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
}

/**
 * One loaded document: its Y.Doc, its Awareness and the peers connected to it. The Room applies
 * updates, broadcasts them (each message encoded once), and appends them to the DocStore. It
 * knows nothing about sockets or the wire framing of incoming messages (see Connection).
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
  /** Resolves when every update appended so far is durable (appends of one doc resolve in order). */
  private lastAppend: Promise<void> = Promise.resolve();
  private pendingAppends = 0;
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
    // The server has no presence of its own: only the peers' states are relayed.
    this.awareness.setLocalState(null);
  }

  /** Loads the stored state; only after this resolves may anything be sent to a peer. */
  async load(): Promise<void> {
    const updates = await this.store.load(this.docId);
    if (updates.length > 0) {
      // Merging first applies one update instead of thousands: much faster for long logs.
      const merged = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
      Y.applyUpdate(this.doc, merged, this);
      this.approxBytes = merged.byteLength;
    }
    // Subscribed after loading so that the loaded state is not appended to the log again.
    this.doc.on('update', this.handleDocUpdate);
    this.awareness.on('update', this.handleAwarenessUpdate);
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
   * peer (see stampAwarenessUpdate), so the update that is applied and relayed is the stamped one,
   * encoded once for everybody. When the client already sent exactly that, the received frame is
   * relayed as is. Throws on a malformed update.
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
    // One message for all peers. The sender gets its own state back, as from the reference
    // server: the stock provider drops a socket that has received nothing for 30 s, and a person
    // alone in a document would otherwise reconnect every 30 s.
    const message = stamped.changed ? encodeAwarenessMessage(stamped.update) : rawMessage;
    for (const peer of this.peers) peer.send(message);
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
    this.doc.off('update', this.handleDocUpdate);
    this.awareness.off('update', this.handleAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
  }

  private readonly handleDocUpdate = (update: Uint8Array, origin: unknown): void => {
    const message = encodeUpdateMessage(update);
    for (const peer of this.peers) {
      if (peer !== origin) peer.send(message);
    }
    this.approxBytes += update.byteLength;
    this.persist(update);
    this.scheduleDependencyCheck();
    this.onChange?.(this.docId);
  };

  private persist(update: Uint8Array): void {
    this.pendingAppends++;
    const appended = this.store.append(this.docId, update).finally(() => {
      this.pendingAppends--;
    });
    this.lastAppend = appended;
    appended.catch((error: unknown) => {
      // The store retries write errors itself; a rejection means it was closed under us.
      this.logger.error({ err: error, docId: this.docId }, 'update could not be persisted');
    });
    if (this.compacting === null && this.store.shouldCompact(this.docId)) this.compact();
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
    // Removals made by the server (a peer left, or a state timed out) must be announced.
    const changed = [...added, ...updated, ...removed];
    if (changed.length === 0) return;
    const message = encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
    for (const peer of this.peers) peer.send(message);
  };
}
