/** Something with queued frames to handle, one at a time. */
export interface FrameQueue {
  /** Handles one queued frame; true while more are queued. */
  handleNext(): boolean;
}

/**
 * Keeps the sync server from blocking the event loop when many sockets send costly frames at
 * once. Each frame's cost is bounded on its own (MAX_MESSAGE_BYTES, MAX_UPDATE_OPERATIONS), but
 * frames from many sockets that arrive together are handled in one event-loop turn, back to
 * back, and their costs add up. So: frames are handled at once while the current turn has used
 * less than `budgetMs`; after that they wait in their connection's queue (order per socket is
 * kept), and the queues are served round-robin in later turns, a budget's worth per turn, with
 * timers and I/O running in between.
 *
 * A turn's clock starts at its first frame and stops in the `setImmediate` phase after the I/O
 * callbacks; the queues are served from a timer, i.e. in a fresh turn.
 */
export class TurnBudget {
  private turnStart: number | null = null;
  private readonly waiting: FrameQueue[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly budgetMs = 20,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** True when a frame may be handled right now (the turn has budget left). */
  tryEnter(): boolean {
    const now = this.now();
    if (this.turnStart === null) {
      this.turnStart = now;
      setImmediate(() => {
        this.turnStart = null;
      });
      return true;
    }
    return now - this.turnStart < this.budgetMs;
  }

  /** A queue that has frames waiting; call once when its first frame is queued. */
  schedule(queue: FrameQueue): void {
    this.waiting.push(queue);
    this.timer ??= setTimeout(() => this.drain(), 0);
  }

  private drain(): void {
    this.timer = null;
    while (this.waiting.length > 0) {
      if (!this.tryEnter()) {
        this.timer = setTimeout(() => this.drain(), 0);
        return;
      }
      const queue = this.waiting.shift()!;
      if (queue.handleNext()) this.waiting.push(queue);
    }
  }
}
