import type { DocStore } from '../storage/DocStore.js';
import type { Logger } from '../logger.js';
import { WorkerLoadPlanner, type LoadPlanner, type RecordSnapshotter, type UpdateMerger } from './loadPlanner.js';
import { SliceScheduler } from './roomLoading.js';
import { Room } from './Room.js';

export interface HubOptions {
  /** Decodes and slices large documents; default: a shared worker thread (loadPlanner.ts). */
  planner?: LoadPlanner;
  /** Merges large documents' recent updates for fresh clients; default: the same worker. */
  merger?: UpdateMerger;
  /** Stored state from this many bytes on is built in slices (Room's LOAD_IN_SLICES_FROM_BYTES). */
  loadInSlicesFromBytes?: number;
  /** Builds compaction snapshots off the event loop (COMPACT-1); default: the same worker. */
  snapshotter?: RecordSnapshotter;
}

/**
 * The rooms in memory: loads a document on first connect, shares the loading promise with
 * everyone who connects meanwhile, and unloads a room once its last peer has left and its
 * writes are durable (never while a save is pending). A large document's room is handed out
 * once its stored bytes are read and is built meanwhile (Room.load); should building fail, the
 * room refuses its peers and is dropped here, so the next connect tries again.
 */
export class Hub {
  private readonly rooms = new Map<string, Promise<Room>>();
  private readonly planner: LoadPlanner;
  private readonly merger: UpdateMerger;
  private readonly snapshotter: RecordSnapshotter;
  /** One for all rooms: concurrent builds share the per-turn budget instead of adding up. */
  private readonly slices = new SliceScheduler();

  constructor(
    private readonly store: DocStore,
    private readonly logger: Logger,
    private readonly onChange?: (docId: string) => void,
    private readonly options: HubOptions = {},
  ) {
    const worker = new WorkerLoadPlanner((error) => this.logger.warn({ err: error }, 'the load worker failed; large documents are decoded on the main thread'));
    this.planner = options.planner ?? worker.plan;
    this.merger = options.merger ?? worker.merge;
    this.snapshotter = options.snapshotter ?? worker.snapshot;
  }

  /** The loaded room of a document. A failed load is not cached: the next connect tries again. */
  acquire(docId: string): Promise<Room> {
    let room = this.rooms.get(docId);
    if (!room) {
      room = this.load(docId);
      this.rooms.set(docId, room);
    }
    return room;
  }

  /** Called after a peer has left; unloads the room when nobody is left and all is durable. */
  release(room: Room): void {
    if (room.peers.size > 0) return;
    void this.unloadWhenIdle(room);
  }

  get loadedCount(): number {
    return this.rooms.size;
  }

  /** Resolves when every loaded room's writes are durable. */
  async flush(): Promise<void> {
    const rooms = await Promise.allSettled(this.rooms.values());
    await Promise.all(rooms.map((r) => (r.status === 'fulfilled' ? r.value.whenDurable() : undefined)));
    await this.store.flush();
  }

  private async load(docId: string): Promise<Room> {
    const room = new Room({
      docId,
      store: this.store,
      logger: this.logger,
      onChange: this.onChange,
      planner: this.planner,
      merger: this.merger,
      snapshotter: this.snapshotter,
      slices: this.slices,
      loadInSlicesFromBytes: this.options.loadInSlicesFromBytes,
    });
    try {
      await room.load();
      this.logger.debug({ docId }, 'room loaded');
      room.built.then(
        () => this.logger.debug({ docId }, 'room built'),
        () => void this.drop(room),
      );
      return room;
    } catch (error) {
      this.rooms.delete(docId);
      room.destroy();
      throw error;
    }
  }

  /** Forgets a room whose document failed to build (it has refused its peers already). */
  private async drop(room: Room): Promise<void> {
    const current = this.rooms.get(room.docId);
    if (current !== undefined && (await current.catch(() => null)) === room && this.rooms.get(room.docId) === current) this.rooms.delete(room.docId);
    room.destroy();
  }

  private async unloadWhenIdle(room: Room): Promise<void> {
    await room.whenDurable();
    // Someone may have joined, or a compaction started, while we waited.
    if (!room.idle) {
      if (room.peers.size === 0) void this.unloadWhenIdle(room);
      return;
    }
    const current = this.rooms.get(room.docId);
    if (current === undefined || (await current) !== room) return;
    if (!room.idle) return;
    this.rooms.delete(room.docId);
    room.destroy();
    // The store may drop what it holds for the document (open files): the room was idle, so
    // nothing is pending, and a new load of the document waits until the unload is done.
    this.store.unload(room.docId).catch((error: unknown) => this.logger.warn({ err: error, docId: room.docId }, 'the store could not unload a document'));
    this.logger.debug({ docId: room.docId }, 'room unloaded');
  }
}
