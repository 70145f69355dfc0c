/**
 * The Saved acknowledgements of one socket (docs/PROTOCOL.md, "The Saved acknowledgement"):
 * update-carrying messages are numbered 1, 2, 3, … as they arrive, and `Saved(n)` goes out once
 * messages 1..n are all durable. They usually become durable in order, but not always: an update
 * Yjs parked for missing dependencies settles only when a later one completes it. One write makes
 * many messages durable at once; they get one acknowledgement.
 *
 * Counting instead of chaining promises (each message waiting for its predecessor's promise)
 * keeps the per-message cost at one `then`: this runs for every keystroke of every person.
 */
export class SavedAcks {
  /** Messages numbered so far. */
  private received = 0;
  /** Every message 1..durableUpTo is durable. */
  private durableUpTo = 0;
  /** Messages above `durableUpTo` that are durable already (out of order). */
  private readonly durableAhead = new Set<number>();
  private acked = 0;
  private sendScheduled = false;

  /** @param sendSaved writes `Saved(seq)` to the socket. */
  constructor(private readonly sendSaved: (seq: number) => void) {}

  /**
   * Numbers the next update-carrying message, which is durable when `durable` resolves. A
   * message whose write fails is never acknowledged, and neither is any message after it.
   */
  track(durable: Promise<void>): void {
    const seq = ++this.received;
    durable.then(
      () => this.settle(seq),
      () => undefined,
    );
  }

  private settle(seq: number): void {
    if (seq !== this.durableUpTo + 1) {
      this.durableAhead.add(seq);
      return;
    }
    this.durableUpTo = seq;
    while (this.durableAhead.delete(this.durableUpTo + 1)) this.durableUpTo++;
    if (this.sendScheduled) return;
    // The messages one write made durable settle in the same microtask checkpoint: send once,
    // after them, for the highest number reached.
    this.sendScheduled = true;
    void Promise.resolve().then(() => {
      this.sendScheduled = false;
      if (this.durableUpTo <= this.acked) return;
      this.acked = this.durableUpTo;
      this.sendSaved(this.acked);
    });
  }
}
