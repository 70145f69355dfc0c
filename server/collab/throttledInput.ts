import type { ConnectionStats } from './connectionStats.js';
import { FrameThrottle, type ThrottleVerdict } from './frameThrottle.js';

/**
 * Sync requests (Step1) a socket may send: the stock provider sends one per connection (more only
 * with its `resyncInterval` option). Each is answered with everything the sender lacks, so a
 * flood of them would make the server encode the document over and over.
 */
export const SYNC_REQUEST_RATE = { perSecond: 2, burst: 10 } as const;

/** A socket kept sending far beyond its rate: close it with 4429. */
export class FloodError extends Error {}

/** What to do with a message once the rate allows it. */
export interface ThrottledHandlers {
  /** Apply and relay a presence (awareness) message: the whole frame. */
  awareness(frame: Uint8Array): void;
  /** Answer a request for everyone's presence. */
  query(): void;
  /** Answer a sync request (the whole Step1 frame) with a Step2. */
  step1(frame: Uint8Array): void;
  /** A message handled later failed: close the socket as for any bad input. */
  fail(error: unknown): void;
  /** Something was dropped (for the throttled log line). */
  dropped(what: string): void;
}

/**
 * The per-socket rate limits on messages that cost the server work but hold no content that may
 * be lost: presence updates and requests for presence share one bucket (AWARENESS_RATE_PER_SECOND,
 * AWARENESS_BURST), sync requests have their own (SYNC_REQUEST_RATE).
 *
 * Over the rate a message is dropped, which is the normal path for a person typing fast (the stock
 * provider sends presence on every caret move): of each kind only the latest held-back message is
 * kept and delivered as soon as the bucket allows, so a caret never stays where it was when someone
 * stopped typing. Far beyond the rate for seconds (FrameThrottle's flood rule) is abuse: FloodError.
 */
export class ThrottledInput {
  private readonly presence: FrameThrottle;
  private readonly syncRequests = new FrameThrottle(SYNC_REQUEST_RATE);
  private heldAwareness: Uint8Array | null = null;
  private heldQuery = false;
  private heldStep1: Uint8Array | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    rate: { perSecond: number; burst: number },
    private readonly stats: ConnectionStats,
    private readonly handlers: ThrottledHandlers,
  ) {
    this.presence = new FrameThrottle(rate);
  }

  awareness(frame: Uint8Array): void {
    if (this.admit(this.presence.take(), 'presence updates')) this.handlers.awareness(frame);
    else this.hold({ awareness: frame });
  }

  query(): void {
    if (this.admit(this.presence.take(), 'presence updates')) this.handlers.query();
    else this.hold({ query: true });
  }

  step1(frame: Uint8Array): void {
    if (this.admit(this.syncRequests.take(), 'sync requests')) this.handlers.step1(frame);
    else this.hold({ step1: frame });
  }

  /** The socket is gone: forget what was held back. */
  clear(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.heldAwareness = null;
    this.heldStep1 = null;
    this.heldQuery = false;
  }

  private admit(verdict: ThrottleVerdict, what: string): boolean {
    if (verdict === 'pass') return true;
    if (verdict === 'flood') {
      this.stats.floodsClosed++;
      throw new FloodError(`${what} far beyond the per-socket rate`);
    }
    if (what === 'sync requests') this.stats.syncRequestsDropped++;
    else this.stats.awarenessDropped++;
    this.handlers.dropped(what);
    return false;
  }

  private hold(held: { awareness?: Uint8Array; query?: boolean; step1?: Uint8Array }): void {
    if (held.awareness) this.heldAwareness = held.awareness;
    if (held.query) this.heldQuery = true;
    if (held.step1) this.heldStep1 = held.step1;
    if (this.timer !== null) return;
    const wait = Math.min(
      this.heldAwareness || this.heldQuery ? this.presence.msUntilToken() : Number.POSITIVE_INFINITY,
      this.heldStep1 ? this.syncRequests.msUntilToken() : Number.POSITIVE_INFINITY,
    );
    this.timer = setTimeout(() => this.deliver(), Math.max(1, wait));
    this.timer.unref();
  }

  private deliver(): void {
    this.timer = null;
    try {
      if (this.heldStep1 && this.syncRequests.spend()) {
        const frame = this.heldStep1;
        this.heldStep1 = null;
        this.handlers.step1(frame);
      }
      if (this.heldAwareness && this.presence.spend()) {
        const frame = this.heldAwareness;
        this.heldAwareness = null;
        this.handlers.awareness(frame);
      }
      if (this.heldQuery && this.presence.spend()) {
        this.heldQuery = false;
        this.handlers.query();
      }
    } catch (error) {
      this.clear();
      this.handlers.fail(error);
      return;
    }
    if (this.heldStep1 || this.heldAwareness || this.heldQuery) this.hold({});
  }
}
