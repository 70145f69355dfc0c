import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { DocStore } from '../storage/DocStore.js';
import type { Logger } from '../logger.js';
import {
  CloseCode,
  SyncMessageType,
  encodeAwarenessMessage,
  encodeSyncMessage,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdateMessage,
} from '../../shared/protocol/index.js';
import { AwarenessOwnership } from './awarenessOwnership.js';
import { AWARENESS_WINDOW_MS, AwarenessRelay } from './awarenessRelay.js';
import { DependencyWaiters } from './dependencyWaiters.js';
import { FullStateAnswer, TRACK_FROM_BYTES } from './fullStateAnswer.js';
import { stampAwarenessUpdate, type AwarenessIdentity } from './awarenessStamp.js';
import { snapshotInProcess, type LoadPlanner, type RecordSnapshotter, type UpdateMerger } from './loadPlanner.js';
import { RoomLoading, SliceScheduler } from './roomLoading.js';
import { applyStoredRecords } from './storedRecords.js';
import type { SyncPlan } from './updateSlices.js';
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

/**
 * Stored state from this size on is built in slices, off the event loop's critical path (see
 * `load`). Below it, applying it at once costs less than ~15 ms even with a cold JIT, less than
 * the worker round trip would.
 */
export const LOAD_IN_SLICES_FROM_BYTES = 64 * 1024;

/**
 * While a large document is built, a fresh client gets its stored records as they are: the
 * records after the first as Update messages, then the first as Step2 (LOAD-2). Up to this many;
 * a longer log waits for the load planner's merge of the records.
 */
export const MAX_STORED_UPDATE_MESSAGES = 256;

/** After a compaction failed, the next attempt waits this long (each attempt rebuilds the whole document in the worker). */
export const COMPACT_RETRY_MS = 30_000;

/**
 * A compaction whose snapshot has not come back from the worker after this long is given up (the
 * held updates are appended, as after a failure), so that a stuck worker cannot keep a
 * document's edits unsaved. A 2.8 MB document takes ~0.5 s.
 */
export const COMPACT_SNAPSHOT_TIMEOUT_MS = 60_000;

/** What a Room needs from a connection: a way to send bytes, to close it, and an identity for origins. */
export interface RoomPeer {
  send(message: Uint8Array): void;
  /** Closes the connection (the room's document could not be loaded, or its queued input was refused). */
  close(code: CloseCode, detail?: string): void;
}

export interface RoomOptions {
  docId: string;
  store: DocStore;
  logger: Logger;
  /** Called (throttled by the caller) whenever the content changed, e.g. to bump `updatedAt`. */
  onChange?: (docId: string) => void;
  /** Smallest gap between two awareness relays (AWARENESS_WINDOW_MS); 0 relays once per event-loop turn. */
  awarenessWindowMs?: number;
  /**
   * Decodes and slices the stored state of a large document (loadPlanner.ts). Without it every
   * document is loaded at once, as small ones always are.
   */
  planner?: LoadPlanner;
  /** Applies the slices a few per event-loop turn; shared by the rooms of a Hub. */
  slices?: SliceScheduler;
  /**
   * Merges a large document's recent updates into the kept answer for fresh clients, off the
   * event loop (FullStateAnswer). Without it, that answer is encoded again after every change.
   */
  merger?: UpdateMerger;
  /** Stored state from this many bytes on is loaded in slices (LOAD_IN_SLICES_FROM_BYTES). */
  loadInSlicesFromBytes?: number;
  /**
   * Builds compaction snapshots off the event loop (COMPACT-1), from the state kept for fresh
   * clients or the stored records. Default: in-process (tests; the Hub passes its worker).
   */
  snapshotter?: RecordSnapshotter;
  /** How long a compaction waits for its snapshot (COMPACT_SNAPSHOT_TIMEOUT_MS). */
  compactSnapshotTimeoutMs?: number;
}

/** A flushed batch whose append waits for an off-thread compaction to hand its snapshot to the store. */
interface HeldAppend {
  update: Uint8Array;
  batch: UpdateBatch;
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
 * Invariant: nothing is sent to any peer before `load()` has read the stored state, and every
 * answer is computed from that state, so a client can never sync against an empty document and
 * then push a duplicate of the stored content back. A large document is answered from its stored
 * bytes while its Y.Doc is being built (see `load`); updates received meanwhile are applied,
 * broadcast and acknowledged once it is built.
 */
export class Room {
  readonly docId: string;
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
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
  /** The answer to an empty state vector, kept without encoding the document (LOAD-2, LOAD-7). */
  private readonly fullState: FullStateAnswer;
  private readonly awarenessRelay: AwarenessRelay;
  private compacting: Promise<void> | null = null;
  /** Non-null while an off-thread snapshot is being made: the batches flushed meanwhile, appended after it. */
  private held: HeldAppend[] | null = null;
  /** No compaction starts before this time (`performance.now()`), after one failed. */
  private compactRetryAt = 0;
  private readonly snapshotter: RecordSnapshotter;
  private readonly compactSnapshotTimeoutMs: number;
  /** Which peer speaks for which awareness client id. */
  private readonly owners = new AwarenessOwnership<RoomPeer>(MAX_AWARENESS_CLIENTS_PER_PEER);
  /** Updates Yjs parked for missing dependencies; acknowledged once the document contains them. */
  private readonly waiters = new DependencyWaiters<RoomPeer>(MAX_WAITING_UPDATES_PER_PEER);
  private readonly planner: LoadPlanner | null;
  private readonly slices: SliceScheduler;
  private readonly loadInSlicesFromBytes: number;
  /** Non-null while the Y.Doc of a large document is being built: what is owed to peers meanwhile. */
  private loading: RoomLoading<RoomPeer> | null = null;
  private cancelBuild: ((reason: Error) => void) | null = null;
  /** Set when building failed: the room refuses every peer until the Hub has dropped it. */
  private loadFailed = false;
  private destroyed = false;
  /**
   * Resolves once the Y.Doc holds the stored state (when `load` resolves for small documents,
   * after the last slice for large ones); rejects when building failed.
   */
  built: Promise<void> = Promise.resolve();

  constructor(options: RoomOptions) {
    this.docId = options.docId;
    // The document id is the guid: Yjs only uses a guid for subdocuments, and its default (a
    // fresh uuid) costs ~0.2 ms of crypto calls per room, which a connect storm loading a hundred
    // documents at once pays on the event loop.
    this.doc = new Y.Doc({ guid: options.docId });
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    this.store = options.store;
    this.logger = options.logger;
    this.onChange = options.onChange;
    this.planner = options.planner ?? null;
    this.snapshotter = options.snapshotter ?? snapshotInProcess;
    this.compactSnapshotTimeoutMs = options.compactSnapshotTimeoutMs ?? COMPACT_SNAPSHOT_TIMEOUT_MS;
    this.fullState = new FullStateAnswer(options.merger ?? null, (error) =>
      this.logger.warn({ err: error, docId: this.docId }, 'merging recent updates for fresh clients failed; the document is encoded instead'),
    );
    this.slices = options.slices ?? new SliceScheduler();
    this.loadInSlicesFromBytes = options.loadInSlicesFromBytes ?? LOAD_IN_SLICES_FROM_BYTES;
    this.awarenessRelay = new AwarenessRelay((message) => this.sendToAll(message), options.awarenessWindowMs ?? AWARENESS_WINDOW_MS);
    // The server has no presence of its own: only the peers' states are relayed.
    this.awareness.setLocalState(null);
  }

  /**
   * Reads the stored state; only after this resolves may anything be sent to a peer.
   *
   * A small document is applied to the Y.Doc at once. A large one (from `loadInSlicesFromBytes`)
   * would block the event loop for every other document for as long as Yjs takes to integrate
   * it (~0.5 s for 2.7 MB with a cold JIT), so `load` resolves as soon as its bytes are read,
   * and the room answers sync from them while the Y.Doc is built (`built`): the load planner
   * decodes them in a worker thread into the state vector and causally ordered slices
   * (updateSlices.ts), and the slices are applied a few per event-loop turn (SliceScheduler).
   * Meanwhile an empty state vector gets the stored bytes (a single record as Step2; several as
   * Updates and Step2, then the planner's merge of them: FullStateAnswer); the room's Step1
   * carries the stored state vector once decoded; any other Step2, and every update received,
   * waits for the document (LOAD-2..5).
   */
  async load(): Promise<void> {
    const records = await this.store.load(this.docId);
    this.awareness.on('update', this.handleAwarenessUpdate);
    const bytes = records.reduce((sum, record) => sum + record.byteLength, 0);
    if (this.planner === null || bytes < this.loadInSlicesFromBytes) {
      this.applyAtOnce(records);
      this.doc.on('update', this.handleDocUpdate);
      return;
    }
    this.approxBytes = bytes;
    // A single stored record is the whole document as encoded by Yjs, and checksummed on disk:
    // it is the answer to an empty state vector before and after the build. Several records
    // (a snapshot and the log after it) are merged by the planner, which takes a while for a
    // large document; until then a fresh client gets them as they are: the later ones as Update
    // messages first (Yjs keeps them aside until what they build on arrives), then the first as
    // Step2, so that when its Step2 arrives the client holds the whole document, as always.
    if (records.length === 1) this.fullState.setWhole(records[0]!);
    else if (records.length - 1 <= MAX_STORED_UPDATE_MESSAGES) this.fullState.setStored(records[0]!, records.slice(1));
    const loading = new RoomLoading<RoomPeer>();
    this.loading = loading;
    this.built = this.build(records, bytes, this.planner, loading);
    // Failure is handled in `build` (peers refused) and by the Hub (room dropped).
    this.built.catch(() => undefined);
  }

  private applyAtOnce(records: Uint8Array[]): void {
    const { first, tail } = applyStoredRecords(this.doc, records, this);
    if (first !== undefined) {
      this.approxBytes = first.byteLength + (tail?.byteLength ?? 0);
      // A single stored record is the whole document: the first fresh client gets it as stored,
      // without encoding the state of a document that was just loaded.
      if (tail === null) this.fullState.setWhole(first);
    }
  }

  private async build(records: Uint8Array[], bytes: number, planner: LoadPlanner, loading: RoomLoading<RoomPeer>): Promise<void> {
    const started = performance.now();
    let slices: Uint8Array[] = [];
    let planned = started;
    try {
      slices = await planner(records, (sync) => this.answerFromStoredState(loading, sync));
      planned = performance.now();
      if (this.destroyed) throw new Error('room destroyed while loading');
      const run = this.slices.run(slices, (slice) => Y.applyUpdate(this.doc, slice, this));
      this.cancelBuild = run.cancel;
      await run.done;
    } catch (error) {
      this.failLoading(error);
      throw error;
    } finally {
      this.cancelBuild = null;
    }
    this.finishLoading(loading);
    this.logger.info(
      { docId: this.docId, bytes, records: records.length, slices: slices.length, planMs: Math.round(planned - started), buildMs: Math.round(performance.now() - started) },
      'large document built in slices',
    );
  }

  /** The planner decoded the stored state: peers get the room's Step1, fresh peers their Step2. */
  private answerFromStoredState(loading: RoomLoading<RoomPeer>, sync: SyncPlan): void {
    if (this.loading !== loading) return;
    loading.stateVector = sync.stateVector;
    if (sync.merged !== null) this.fullState.setWhole(sync.merged);
    for (const peer of loading.step1Waiters) if (this.peers.has(peer)) peer.send(encodeSyncMessage(SyncMessageType.Step1, sync.stateVector));
    loading.step1Waiters.clear();
    const messages = this.fullState.messages();
    for (const [peer, stateVector] of loading.step2Waiters) {
      if (messages === null || !isEmptyStateVector(stateVector)) continue;
      loading.step2Waiters.delete(peer);
      if (this.peers.has(peer)) for (const message of messages) peer.send(message);
    }
  }

  /** The Y.Doc holds the stored state: answer who waited, then apply what arrived meanwhile. */
  private finishLoading(loading: RoomLoading<RoomPeer>): void {
    this.loading = null;
    // Subscribed only now, so that the stored state is not appended to the log again.
    this.doc.on('update', this.handleDocUpdate);
    for (const [peer, stateVector] of loading.step2Waiters) if (this.peers.has(peer)) peer.send(this.encodeSyncStep2(stateVector));
    for (const queued of loading.takeUpdates()) {
      this.approxBytes -= queued.update.byteLength;
      try {
        queued.settle(this.applyUpdate(queued.update, queued.origin));
      } catch (error) {
        // As when it arrives on a loaded room: refused, never acknowledged, its sender closed.
        queued.settle(Promise.reject(error instanceof Error ? error : new Error(String(error))));
        if (this.peers.has(queued.origin)) queued.origin.close(CloseCode.MalformedMessage, error instanceof Error ? error.message : String(error));
      }
    }
  }

  /** Building failed: the document is refused like one whose records cannot be read (Hub drops the room). */
  private failLoading(error: unknown): void {
    const loading = this.loading;
    this.loading = null;
    this.loadFailed = true;
    if (!this.destroyed) this.logger.error({ err: error, docId: this.docId }, 'document could not be loaded; refusing to serve it');
    for (const queued of loading?.takeUpdates() ?? []) queued.settle(Promise.reject(new Error('the document could not be loaded')));
    for (const peer of [...this.peers]) peer.close(CloseCode.RoomLoadFailed);
  }

  /** Sends the room's `[Sync][Step1]` to a peer that joined: now, or once the stored state vector is known. */
  sendSyncStep1(peer: RoomPeer): void {
    if (this.loading === null) {
      peer.send(encodeSyncStep1(this.doc));
    } else if (this.loading.stateVector !== null) {
      peer.send(encodeSyncMessage(SyncMessageType.Step1, this.loading.stateVector));
    } else {
      this.loading.step1Waiters.add(peer);
    }
  }

  /** Answers a peer's Step1 with a Step2: now, or (while loading, for a non-empty state vector) once the document is built. */
  answerSyncStep1(peer: RoomPeer, stateVector: Uint8Array): void {
    const kept = isEmptyStateVector(stateVector) ? this.fullState.messages() : null;
    if (kept !== null) {
      for (const message of kept) peer.send(message);
    } else if (this.loading !== null) {
      this.loading.step2Waiters.set(peer, stateVector);
    } else {
      peer.send(this.encodeSyncStep2(stateVector));
    }
  }

  /**
   * `[Sync][Step2]` for a peer's state vector, encoded from the built document. An encoding of
   * the whole document (for an empty one) is kept as the answer for the next fresh clients.
   */
  encodeSyncStep2(stateVector: Uint8Array): Uint8Array {
    if (this.loading !== null) throw new Error('encodeSyncStep2 before the document is built; use answerSyncStep1');
    if (!isEmptyStateVector(stateVector)) return encodeSyncStep2(this.doc, stateVector);
    const kept = this.fullState.messages();
    if (kept !== null && kept.length === 1) return kept[0]!;
    this.fullState.setWhole(Y.encodeStateAsUpdate(this.doc));
    return this.fullState.messages()![0]!;
  }

  addPeer(peer: RoomPeer): void {
    if (this.loadFailed) {
      peer.close(CloseCode.RoomLoadFailed);
      return;
    }
    this.peers.add(peer);
    this.owners.join(peer);
  }

  /** Removes a peer and the awareness states it announced (the others see it leave). */
  removePeer(peer: RoomPeer): void {
    this.peers.delete(peer);
    this.loading?.forget(peer);
    this.waiters.forget(peer);
    const clients = this.owners.leave(peer);
    if (clients.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, clients, null);
  }

  /**
   * Applies an update that came from `origin`. Returns a promise that resolves once the
   * document's state including this update is durable (also when the update changed nothing:
   * its content may have arrived a moment earlier from someone else and still be in flight).
   */
  applyUpdate(update: Uint8Array, origin: RoomPeer): Promise<void> {
    if (this.loadFailed) throw new Error('the document could not be loaded');
    if (this.loading !== null) {
      const queued = this.loading.queueUpdate(update, origin);
      // Counted against the document size limit while it waits (taken off when it is applied).
      this.approxBytes += update.byteLength;
      return queued;
    }
    Y.applyUpdate(this.doc, update, origin);
    const store = this.doc.store;
    if (store.pendingStructs === null && store.pendingDs === null) return this.lastAppend;
    // Yjs parks an update whose causal predecessors it has not seen (e.g. a client's edit that
    // overtook the Step2 carrying its offline work). It is then neither in the document nor in
    // the log, so it must not be acknowledged until a later update completes it.
    if (Y.snapshotContainsUpdate(Y.snapshot(this.doc), update)) return this.lastAppend;
    return this.waiters.park(update, origin);
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
    if (!this.owners.has(origin)) return;
    const stamped = stampAwarenessUpdate(update, identity, (clientId) => this.owners.claim(origin, clientId));
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
    return this.loading === null && this.peers.size === 0 && this.pendingAppends === 0 && this.compacting === null;
  }

  /** Resolves once every update applied so far, and any running compaction, is durable. */
  async whenDurable(): Promise<void> {
    // Updates queued while the document is built become durable only after it is built.
    await this.built.catch(() => undefined);
    await this.lastAppend;
    if (this.compacting) await this.compacting;
  }

  destroy(): void {
    this.destroyed = true;
    this.cancelBuild?.(new Error('room destroyed while loading'));
    this.fullState.dispose();
    // Rooms are destroyed idle (nothing batched); should one not be, what was applied still goes out.
    this.flushUpdates();
    this.awarenessRelay.dispose();
    this.doc.off('update', this.handleDocUpdate);
    this.awareness.off('update', this.handleAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
  }

  /** The durability of what has been applied so far, read when a dependency check runs. */
  private readonly currentAppend = (): Promise<void> => this.lastAppend;

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
    this.fullState.invalidate();
    this.approxBytes += update.byteLength;
    this.waiters.scheduleCheck(this.doc, this.currentAppend);
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
    this.fullState.changed(update, message);
    const skip = batch.soleOrigin();
    for (const peer of this.peers) {
      if (peer !== skip) peer.send(message);
    }
    this.persist(update, batch);
  };

  private persist(update: Uint8Array, batch: UpdateBatch): void {
    if (this.held !== null) {
      // A snapshot of exactly what was appended so far is being made (compact).
      this.held.push({ update, batch });
      return;
    }
    this.append(update, batch);
    // Synchronously after the append: a snapshot then holds exactly what was appended so far.
    if (this.compacting === null && performance.now() >= this.compactRetryAt && this.store.shouldCompact(this.docId)) this.compact();
  }

  private append(update: Uint8Array, batch: UpdateBatch): void {
    const appended = this.store.append(this.docId, update).finally(() => {
      this.pendingAppends--;
    });
    batch.settle(appended);
    appended.catch((error: unknown) => {
      // The store retries write errors itself; a rejection means it was closed under us.
      this.logger.error({ err: error, docId: this.docId }, 'update could not be persisted');
    });
  }

  private sendToAll(message: Uint8Array): void {
    for (const peer of this.peers) peer.send(message);
  }

  /**
   * COMPACT-1: compacts without encoding the document on the main thread (70–120 ms for a 2.8 MB
   * document, during which every other document waits). The load worker builds the snapshot from
   * the whole document as updates: the kept answer for fresh clients (LOAD-7) when there is one —
   * it holds exactly what was flushed, and so appended, so far — or else the stored records. For
   * the snapshot to hold exactly what the store has, the batches flushed meanwhile are broadcast
   * as always but their appends are held, unacknowledged (so their senders keep them, as for any
   * unsaved change), until the snapshot is handed to the store; the store's compaction covers
   * what was appended before the call (DocStore.compact), so the held appends, made right after,
   * are kept. A failure appends them all the same and skips this compaction; the next is tried
   * after COMPACT_RETRY_MS.
   */
  private compact(): void {
    const held: HeldAppend[] = [];
    this.held = held;
    // Taken now, synchronously after the append: everything appended so far, nothing more.
    const kept = this.fullState.updates();
    const covered = this.lastAppend;
    const bytesBefore = this.approxBytes;
    const release = (): void => {
      if (this.held !== held) return;
      this.held = null;
      for (const { update, batch } of held) this.append(update, batch);
    };
    const run = async (): Promise<void> => {
      const started = performance.now();
      let records = kept;
      if (records === null) {
        // Read from the store only once every record the snapshot must hold is durable.
        await covered;
        records = await this.store.load(this.docId);
      }
      const snapshot = await withTimeout(this.snapshotter(records), this.compactSnapshotTimeoutMs, 'the compaction snapshot did not come back in time');
      const compacted = this.store.compact(this.docId, snapshot);
      const heldUpdates = held.map(({ update }) => update);
      const heldMs = Math.round(performance.now() - started);
      release();
      // The document is now the snapshot and the updates held meanwhile: the answer for fresh
      // clients from here on (LOAD-7), as after a compaction on the main thread, without which a
      // fresh client of a large document would make the room encode it.
      if (heldUpdates.length === 0) this.fullState.setWhole(snapshot);
      else if (snapshot.byteLength >= TRACK_FROM_BYTES) this.fullState.setStored(snapshot, heldUpdates);
      this.approxBytes = snapshot.byteLength + Math.max(0, this.approxBytes - bytesBefore);
      await compacted;
      this.logger.info({ docId: this.docId, from: kept === null ? 'store' : 'memory', updates: records.length, snapshotBytes: snapshot.byteLength, heldUpdates: heldUpdates.length, heldBytes: heldUpdates.reduce((sum, update) => sum + update.byteLength, 0), heldMs }, 'document compacted');
    };
    this.compacting = run()
      .catch((error: unknown) => this.compactionFailed(error))
      .finally(() => {
        release();
        this.compacting = null;
      });
  }

  private compactionFailed(error: unknown): void {
    this.compactRetryAt = performance.now() + COMPACT_RETRY_MS;
    this.logger.warn({ err: error, docId: this.docId }, 'compaction failed; the log is kept and compaction retried later');
  }

  private readonly handleAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    // Peers' own messages are relayed by applyAwareness (ownership is tracked there).
    if (this.owners.has(origin)) return;
    // Removals made by the server (a peer left, or a state timed out) must be announced, and a
    // state of theirs still waiting for the relay must not follow the removal.
    const changed = [...added, ...updated, ...removed];
    if (changed.length === 0) return;
    this.awarenessRelay.forget(removed);
    this.sendToAll(encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed)));
  };
}

/** `promise`, or a rejection with `message` once `ms` have passed; the timer never keeps the process alive. */
function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
    timer.unref();
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

/** True for the state vector of an empty document (no client: a single varUint 0). */
function isEmptyStateVector(stateVector: Uint8Array): boolean {
  return stateVector.byteLength === 1 && stateVector[0] === 0;
}
