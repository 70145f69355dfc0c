import { FloodError } from './throttledInput.js';

/**
 * Updates one peer may have queued while its room is being built. A client typing during the
 * second or so a large document takes to build sends a few dozen; the bound keeps a hostile one
 * from making the server hold unbounded input meanwhile (bytes are bounded by the document size
 * limit, which counts queued updates).
 */
export const MAX_QUEUED_UPDATES_PER_PEER = 1_024;

/** What RoomLoading needs from a peer: identity only (it never sends). */
type Peer = object;

interface QueuedUpdate<P extends Peer> {
  update: Uint8Array;
  origin: P;
  /** Hands over the promise of `Room.applyUpdate` once the update was applied (or its failure). */
  settle: (durable: Promise<void>) => void;
}

/**
 * What a room that answers sync from its stored bytes, while its Y.Doc is still being built,
 * owes its peers (Room.ts, "Loading large documents" in docs/ARCHITECTURE.md): the Step1 of peers
 * that attached before the stored state vector was known, the Step2 of peers whose state vector
 * needs the built document, and the updates received meanwhile, in arrival order. It holds them;
 * the Room sends and applies them when it can.
 */
export class RoomLoading<P extends Peer> {
  /** State vector of the stored state, once the load planner has decoded it. */
  stateVector: Uint8Array | null = null;
  /** Peers that still need the room's Step1. */
  readonly step1Waiters = new Set<P>();
  /** Peers waiting for a Step2, with the latest state vector each sent (one answer is enough). */
  readonly step2Waiters = new Map<P, Uint8Array>();
  private updates: Array<QueuedUpdate<P>> = [];
  private readonly queuedPerPeer = new Map<P, number>();

  /** Queues an update until the document is built; resolves when `Room.applyUpdate`'s promise would. */
  queueUpdate(update: Uint8Array, origin: P): Promise<void> {
    const queued = this.queuedPerPeer.get(origin) ?? 0;
    if (queued >= MAX_QUEUED_UPDATES_PER_PEER) {
      throw new FloodError(`more than ${MAX_QUEUED_UPDATES_PER_PEER} updates while the document was loading`);
    }
    this.queuedPerPeer.set(origin, queued + 1);
    return new Promise<void>((resolve, reject) => {
      this.updates.push({ update, origin, settle: (durable) => durable.then(resolve, reject) });
    });
  }

  /** The queued updates in arrival order; the queue is empty afterwards. */
  takeUpdates(): Array<QueuedUpdate<P>> {
    const updates = this.updates;
    this.updates = [];
    this.queuedPerPeer.clear();
    return updates;
  }

  /** A peer left: nothing is sent to it any more (its queued updates are still applied). */
  forget(peer: P): void {
    this.step1Waiters.delete(peer);
    this.step2Waiters.delete(peer);
  }
}

/** Something that applies a prepared slice of work; throws to abort its job. */
type Apply<T> = (item: T) => void;

interface Job {
  step(): boolean;
  fail(error: Error): void;
}

/**
 * Applies loading rooms' slices (updateSlices.ts) in event-loop turns of at most `budgetMs`,
 * round-robin over the rooms being built, with the I/O of every other document handled in
 * between (`setImmediate` runs after the poll phase). A slice is the unit: the budget is checked
 * after each, so one turn lasts at most the budget plus one slice.
 */
export class SliceScheduler {
  private jobs: Job[] = [];
  private scheduled = false;

  constructor(
    private readonly budgetMs = 10,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Applies `items` in order; resolves after the last, rejects on the first error or on `cancel`. */
  run<T>(items: readonly T[], apply: Apply<T>): { done: Promise<void>; cancel: (reason: Error) => void } {
    let index = 0;
    let settle!: { resolve: () => void; reject: (error: Error) => void };
    const done = new Promise<void>((resolve, reject) => {
      settle = { resolve, reject };
    });
    const job: Job = {
      step: () => {
        if (index < items.length) apply(items[index++]!);
        if (index < items.length) return true;
        settle.resolve();
        return false;
      },
      fail: (error) => settle.reject(error),
    };
    this.jobs.push(job);
    this.schedule();
    return {
      done,
      cancel: (reason) => {
        const before = this.jobs.length;
        this.jobs = this.jobs.filter((j) => j !== job);
        if (this.jobs.length !== before) job.fail(reason);
      },
    };
  }

  private schedule(): void {
    if (this.scheduled || this.jobs.length === 0) return;
    this.scheduled = true;
    setImmediate(this.turn);
  }

  private readonly turn = (): void => {
    this.scheduled = false;
    const start = this.now();
    while (this.jobs.length > 0 && this.now() - start < this.budgetMs) {
      const job = this.jobs.shift()!;
      let more: boolean;
      try {
        more = job.step();
      } catch (error) {
        job.fail(error instanceof Error ? error : new Error(String(error)));
        continue;
      }
      if (more) this.jobs.push(job);
    }
    this.schedule();
  };
}
