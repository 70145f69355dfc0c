/**
 * A per-socket rate limit for messages that cost the server work but carry no content that may
 * be lost: presence (awareness), requests for it, and sync requests (Step1, answered with the
 * whole missing state). A token bucket lets `burst` through at once and `perSecond` sustained;
 * beyond that a message is dropped, which is the normal path: for presence only the latest state
 * matters, and the caller delivers the latest dropped one when the bucket has refilled.
 *
 * A socket that keeps sending far beyond the rate — more than `floodFactor` times it, counted
 * over `floodWindowMs` — is flooding, not typing fast; the caller closes it (4429).
 */
export interface ThrottleOptions {
  perSecond: number;
  burst: number;
  /** How many times the sustained rate counts as a flood. Default 10. */
  floodFactor?: number;
  /** The window arrivals are counted in for flood detection. Default 5000 ms. */
  floodWindowMs?: number;
  now?: () => number;
}

export type ThrottleVerdict = 'pass' | 'drop' | 'flood';

export class FrameThrottle {
  private tokens: number;
  private refilledAt: number;
  private windowStart: number;
  private arrivals = 0;
  private readonly floodLimit: number;
  private readonly floodWindowMs: number;
  private readonly now: () => number;

  constructor(private readonly options: ThrottleOptions) {
    this.now = options.now ?? Date.now;
    this.tokens = options.burst;
    this.refilledAt = this.now();
    this.windowStart = this.refilledAt;
    this.floodWindowMs = options.floodWindowMs ?? 5000;
    this.floodLimit = (options.floodFactor ?? 10) * options.perSecond * (this.floodWindowMs / 1000);
  }

  /** Accounts for one arriving message and says what to do with it. */
  take(): ThrottleVerdict {
    const now = this.now();
    if (now - this.windowStart >= this.floodWindowMs) {
      this.windowStart = now;
      this.arrivals = 0;
    }
    if (++this.arrivals > this.floodLimit) return 'flood';
    this.refill(now);
    if (this.tokens < 1) return 'drop';
    this.tokens -= 1;
    return 'pass';
  }

  /** Spends a token on a message held back earlier (not a new arrival); false if none is left. */
  spend(): boolean {
    this.refill(this.now());
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until the next message would pass. */
  msUntilToken(): number {
    this.refill(this.now());
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) * 1000) / this.options.perSecond);
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.refilledAt);
    this.refilledAt = now;
    this.tokens = Math.min(this.options.burst, this.tokens + (elapsed * this.options.perSecond) / 1000);
  }
}
