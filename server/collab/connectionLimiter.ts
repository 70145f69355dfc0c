/**
 * Per-user limits on collaboration sockets: how many may be opened per minute, and how many may
 * be open at once. Keeps one account (or one leaked token) from exhausting the server's sockets
 * and memory; legitimate use is a handful of tabs. In memory, per process.
 *
 * The per-minute window is a queue of opening times per user, consumed from its head: times only
 * grow, so expired ones are always at the front. Each check is amortised O(1) however high an
 * operator sets the limit (rescanning the whole list made 1,000 sockets of one user quadratic).
 */
const WINDOW_MS = 60_000;

interface UserWindow {
  /** Opening times, oldest first; entries before `head` have expired. */
  times: number[];
  head: number;
  open: number;
}

export class ConnectionLimiter {
  private readonly users = new Map<string, UserWindow>();

  constructor(
    private readonly perMinute: number,
    private readonly concurrent: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a new socket for `userId`; resolves to its release function, or null when over a limit. */
  tryAcquire(userId: string): (() => void) | null {
    const now = this.now();
    const user = this.windowOf(userId, now);
    if (user.times.length - user.head >= this.perMinute || user.open >= this.concurrent) {
      this.forgetIfUnused(userId, user);
      return null;
    }
    user.times.push(now);
    user.open += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      user.open -= 1;
      this.forgetIfUnused(userId, user);
    };
  }

  private windowOf(userId: string, now: number): UserWindow {
    let user = this.users.get(userId);
    if (!user) {
      user = { times: [], head: 0, open: 0 };
      this.users.set(userId, user);
    }
    const { times } = user;
    while (user.head < times.length && now - times[user.head]! >= WINDOW_MS) user.head += 1;
    // Drop the consumed prefix once it is at least half the array, so memory stays bounded by
    // the live window and the copying stays amortised O(1) per socket.
    if (user.head > 0 && user.head * 2 >= times.length) {
      times.splice(0, user.head);
      user.head = 0;
    }
    return user;
  }

  /** A user with no open socket and nothing in the window is forgotten (no per-user leak). */
  private forgetIfUnused(userId: string, user: UserWindow): void {
    if (user.open === 0 && user.head >= user.times.length && this.users.get(userId) === user) this.users.delete(userId);
  }
}
