/**
 * Per-user limits on collaboration sockets: how many may be opened per minute, and how many may
 * be open at once. Keeps one account (or one leaked token) from exhausting the server's sockets
 * and memory; legitimate use is a handful of tabs. In memory, per process.
 */
export class ConnectionLimiter {
  private readonly opened = new Map<string, number[]>();
  private readonly open = new Map<string, number>();

  constructor(
    private readonly perMinute: number,
    private readonly concurrent: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a new socket for `userId`; resolves to its release function, or null when over a limit. */
  tryAcquire(userId: string): (() => void) | null {
    const now = this.now();
    const recent = (this.opened.get(userId) ?? []).filter((at) => now - at < 60_000);
    const current = this.open.get(userId) ?? 0;
    if (recent.length >= this.perMinute || current >= this.concurrent) {
      this.opened.set(userId, recent);
      return null;
    }
    recent.push(now);
    this.opened.set(userId, recent);
    this.open.set(userId, current + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(userId) ?? 1) - 1;
      if (left > 0) this.open.set(userId, left);
      else this.open.delete(userId);
    };
  }
}
