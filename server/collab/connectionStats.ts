/** Counters shared by every connection of a server, for `GET /api/admin/runtime`. */
export interface ConnectionStats {
  /** Presence messages over the per-socket rate, dropped (the latest was delivered later). */
  awarenessDropped: number;
  /** Sync requests (Step1) over the per-socket rate, answered later. */
  syncRequestsDropped: number;
  /** Sockets closed for bad input (4400, 4413), flooding (4429) or not reading. */
  rejectedClosed: number;
  floodsClosed: number;
  slowReadersClosed: number;
}

export function createConnectionStats(): ConnectionStats {
  return { awarenessDropped: 0, syncRequestsDropped: 0, rejectedClosed: 0, floodsClosed: 0, slowReadersClosed: 0 };
}

/**
 * Lets through at most `limit` log lines per window and counts the rest, so that a client
 * sending garbage on socket after socket cannot make the server write a log line for each:
 * that would fill the disk, and writing to a full stdout pipe blocks the event loop.
 */
export class LogBudget {
  private windowStart = 0;
  private used = 0;
  private suppressed = 0;

  constructor(
    private readonly limit = 20,
    private readonly windowMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Null: do not log. Otherwise log, mentioning how many lines were left out before this one. */
  take(): { suppressedBefore: number } | null {
    const now = this.now();
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.used = 0;
    }
    if (this.used >= this.limit) {
      this.suppressed++;
      return null;
    }
    this.used++;
    const suppressedBefore = this.suppressed;
    this.suppressed = 0;
    return { suppressedBefore };
  }
}
