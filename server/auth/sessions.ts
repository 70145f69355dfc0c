import type { SessionStore, StoredSession } from '../storage/AccountStore.js';
import type { AccessEvents } from './accessEvents.js';
import { newSecret, sha256Hex } from './secrets.js';

export interface SessionServiceOptions {
  store: SessionStore;
  events: AccessEvents;
  ttlHours: number;
  now?: () => Date;
  /** `lastSeenAt` is written at most this often per session: a request is not a metadata write. */
  touchIntervalMs?: number;
}

/**
 * Browser sessions. The cookie holds 32 random bytes; the store holds their SHA-256, who, and
 * until when. Sessions expire a fixed time after sign-in (not sliding: a stolen cookie stops
 * working on schedule however busy it is kept), live in the MetaStore (so a restart signs nobody
 * out), and are revoked by deleting them; revocation is announced so open sockets close.
 */
export class SessionService {
  private readonly now: () => Date;
  private readonly touchIntervalMs: number;

  constructor(private readonly options: SessionServiceOptions) {
    this.now = options.now ?? (() => new Date());
    this.touchIntervalMs = options.touchIntervalMs ?? 5 * 60_000;
  }

  get ttlSeconds(): number {
    return this.options.ttlHours * 3600;
  }

  /** Starts a session; the returned `token` goes into the cookie and is not kept anywhere. */
  async create(userId: string): Promise<{ token: string; session: StoredSession }> {
    const token = newSecret();
    const now = this.now();
    const session: StoredSession = {
      id: sha256Hex(token),
      userId,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.ttlSeconds * 1000).toISOString(),
      lastSeenAt: now.toISOString(),
    };
    const evicted = await this.options.store.insertSession(session);
    if (evicted.length > 0) this.announce(evicted, 'session evicted by a newer sign-in');
    return { token, session };
  }

  /** The live session for a cookie value, or undefined (unknown, revoked or expired). */
  async resolve(token: string): Promise<StoredSession | undefined> {
    return this.byId(sha256Hex(token));
  }

  /** The live session with this id (hash), or undefined. */
  async byId(sessionId: string): Promise<StoredSession | undefined> {
    const session = await this.options.store.getSession(sessionId);
    if (!session) return undefined;
    const now = this.now();
    if (session.expiresAt <= now.toISOString()) return undefined;
    if (now.getTime() - Date.parse(session.lastSeenAt) >= this.touchIntervalMs) {
      session.lastSeenAt = now.toISOString();
      // Best effort: a failed bookkeeping write must not fail the request.
      this.options.store.touchSession(session.id, session.lastSeenAt).catch(() => undefined);
    }
    return session;
  }

  async revoke(sessionId: string, reason = 'signed out'): Promise<void> {
    this.announce(await this.options.store.deleteSessions({ ids: [sessionId] }), reason);
  }

  /** Ends every session of a user, except `exceptId` when given (the one changing the password). */
  async revokeAllOf(userId: string, reason: string, exceptId?: string): Promise<void> {
    const query = exceptId === undefined ? { userId } : { userId, exceptId };
    this.announce(await this.options.store.deleteSessions(query), reason);
  }

  /** Deletes expired sessions (they are refused anyway; this keeps meta.json small). */
  async pruneExpired(): Promise<number> {
    return (await this.options.store.deleteSessions({ expiredBy: this.now().toISOString() })).length;
  }

  private announce(sessions: StoredSession[], reason: string): void {
    if (sessions.length > 0) this.options.events.emit({ sessionIds: sessions.map((s) => s.id), reason });
  }
}
