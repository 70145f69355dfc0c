import { describe, expect, it } from 'vitest';
import { MemoryMetaStore } from '../storage/memoryMetaStore.js';
import { user } from '../storage/accountStoreContract.js';
import { AccessEvents, type AccessChange } from './accessEvents.js';
import { sha256Hex } from './secrets.js';
import { SessionService } from './sessions.js';

async function setup(ttlHours = 2) {
  let clock = new Date('2024-03-01T09:00:00.000Z');
  const store = new MemoryMetaStore();
  await store.insertUser(user('ana'));
  const events = new AccessEvents();
  const seen: AccessChange[] = [];
  events.on((change) => seen.push(change));
  const sessions = new SessionService({ store, events, ttlHours, now: () => clock, touchIntervalMs: 60_000 });
  return { store, sessions, seen, advance: (ms: number) => (clock = new Date(clock.getTime() + ms)) };
}

describe('sessions', () => {
  it('AUTH-11: a session works until its expiry and not a moment after (clock injected)', async () => {
    const { sessions, advance } = await setup(2);
    const { token, session } = await sessions.create('ana');
    expect(session.expiresAt).toBe('2024-03-01T11:00:00.000Z');
    advance(2 * 3600_000 - 1);
    expect((await sessions.resolve(token))?.userId).toBe('ana');
    advance(1);
    expect(await sessions.resolve(token)).toBeUndefined();
  });

  it('AUTH-11: only the SHA-256 of the cookie value is stored; an unknown value resolves to nothing', async () => {
    const { store, sessions } = await setup();
    const { token, session } = await sessions.create('ana');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.id).toBe(sha256Hex(token));
    expect(JSON.stringify(await store.getSession(session.id))).not.toContain(token);
    expect(await sessions.resolve(`${token.slice(0, -1)}x`)).toBeUndefined();
  });

  it('AUTH-11: revoking ends the session and announces it; revokeAllOf can keep the current one', async () => {
    const { sessions, seen } = await setup();
    const a = await sessions.create('ana');
    const b = await sessions.create('ana');
    const c = await sessions.create('ana');
    await sessions.revoke(a.session.id);
    expect(await sessions.resolve(a.token)).toBeUndefined();
    expect(seen.at(-1)?.sessionIds).toEqual([a.session.id]);
    await sessions.revokeAllOf('ana', 'password changed', c.session.id);
    expect(await sessions.resolve(b.token)).toBeUndefined();
    expect(await sessions.resolve(c.token)).toBeDefined();
    expect(seen.at(-1)?.sessionIds).toEqual([b.session.id]);
  });

  it('AUTH-11: lastSeenAt is written at most once per interval, and expired sessions are pruned', async () => {
    const { store, sessions, advance } = await setup(1);
    const { token, session } = await sessions.create('ana');
    advance(30_000);
    await sessions.resolve(token);
    expect((await store.getSession(session.id))?.lastSeenAt).toBe(session.lastSeenAt);
    advance(30_000);
    await sessions.resolve(token);
    await new Promise((resolve) => setImmediate(resolve));
    expect((await store.getSession(session.id))?.lastSeenAt).toBe('2024-03-01T09:01:00.000Z');
    advance(3600_000);
    expect(await sessions.pruneExpired()).toBe(1);
    expect(await store.getSession(session.id)).toBeUndefined();
  });
});
