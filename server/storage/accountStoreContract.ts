import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccountConflictError, type StoredInvite, type StoredUser } from './AccountStore.js';
import { MAX_ACTIVITY_ENTRIES, MAX_SESSIONS_PER_USER } from './accountData.js';
import type { MetaStore } from './MetaStore.js';
import { group, type MetaStoreFixture } from './metaStoreContract.js';

/**
 * The account half of the MetaStore contract (house rule 3): every adapter runs it. Rules
 * META-13 … META-20 (docs/API.md).
 */

const T0 = '2024-03-01T09:00:00.000Z';
const T1 = '2024-03-02T09:00:00.000Z';
const T2 = '2024-03-03T09:00:00.000Z';
const hex = (n: number) => n.toString(16).padStart(64, '0');

export function user(id: string, overrides: Partial<StoredUser> = {}): StoredUser {
  return {
    id,
    email: `${id}@example.org`,
    name: `User ${id}`,
    color: '#336699',
    isAdmin: false,
    active: true,
    createdAt: T0,
    passwordHash: 'scrypt$32768$8$1$c2FsdA$aGFzaA',
    ...overrides,
  };
}

function invite(id: string, overrides: Partial<StoredInvite> = {}): StoredInvite {
  return {
    id,
    groupId: 'g',
    role: 'member',
    email: null,
    hash: hex(id.length * 7919),
    createdBy: 'admin',
    createdAt: T0,
    expiresAt: T2,
    usedAt: null,
    usedBy: null,
    revokedAt: null,
    ...overrides,
  };
}

export function accountStoreContract(name: string, makeStore: () => Promise<MetaStoreFixture>): void {
  describe(`AccountStore contract: ${name}`, () => {
    let fixture: MetaStoreFixture;
    let store: MetaStore;

    beforeEach(async () => {
      fixture = await makeStore();
      store = fixture.store;
      await store.insert({ groups: [group('g'), group('h')] });
      await store.insertUser(user('admin', { isAdmin: true }));
    });
    afterEach(async () => {
      await store.close();
      await fixture.cleanup();
    });

    it('META-13: users are inserted, found by id and case-insensitive email, and patched', async () => {
      await store.insertUser(user('ana', { email: 'Ana@Example.org' }), [{ groupId: 'g', userId: 'ana', role: 'reader', addedAt: T0 }]);
      expect((await store.findUserByEmail('ANA@example.ORG'))?.id).toBe('ana');
      expect((await store.getUser('ana'))?.email).toBe('ana@example.org');
      expect(await store.getMembership('g', 'ana')).toEqual({ groupId: 'g', userId: 'ana', role: 'reader', addedAt: T0 });
      const patched = await store.updateUser('ana', { name: 'Ana P.', active: false });
      expect(patched).toMatchObject({ name: 'Ana P.', active: false, color: '#336699' });
      expect(await store.updateUser('nobody', { name: 'x' })).toBeUndefined();
      expect((await store.listUsers()).map((u) => u.id)).toEqual(['admin', 'ana']);
    });

    it('META-13: a taken email or id is refused as a whole (AccountConflictError)', async () => {
      await expect(store.insertUser(user('other', { email: 'ADMIN@example.org' }))).rejects.toBeInstanceOf(AccountConflictError);
      await expect(store.insertUser(user('admin', { email: 'new@example.org' }))).rejects.toBeInstanceOf(AccountConflictError);
      await expect(store.insertUser(user('bob'), [{ groupId: 'nowhere', userId: 'bob', role: 'member', addedAt: T0 }])).rejects.toThrow(/unknown group/);
      expect((await store.listUsers()).map((u) => u.id)).toEqual(['admin']);
    });

    it('META-14: memberships are put (returning the previous one), listed by user or group, and deleted', async () => {
      await store.insertUser(user('ana'));
      expect(await store.putMembership({ groupId: 'g', userId: 'ana', role: 'member', addedAt: T0 })).toBeUndefined();
      expect((await store.putMembership({ groupId: 'g', userId: 'ana', role: 'reader', addedAt: T0 }))?.role).toBe('member');
      await store.putMembership({ groupId: 'h', userId: 'ana', role: 'rapporteur', addedAt: T1 });
      expect((await store.listMemberships({ userId: 'ana' })).map((m) => `${m.groupId}:${m.role}`)).toEqual(['g:reader', 'h:rapporteur']);
      expect((await store.listMemberships({ groupId: 'g' })).map((m) => m.userId)).toEqual(['ana']);
      await expect(store.putMembership({ groupId: 'g', userId: 'ghost', role: 'member', addedAt: T0 })).rejects.toThrow(/unknown user/);
      expect((await store.deleteMembership('g', 'ana'))?.role).toBe('reader');
      expect(await store.deleteMembership('g', 'ana')).toBeUndefined();
      expect(await store.getMembership('g', 'ana')).toBeUndefined();
    });

    it('META-15: sessions are stored by hash, touched, and deleted by id, user, exception or expiry', async () => {
      await store.insertUser(user('ana'));
      const s = (id: number, userId: string, expiresAt = T2) => ({ id: hex(id), userId, createdAt: T0, expiresAt, lastSeenAt: T0 });
      await store.insertSession(s(1, 'ana'));
      await store.insertSession(s(2, 'ana', T1));
      await store.insertSession(s(3, 'admin'));
      await store.touchSession(hex(1), T1);
      expect((await store.getSession(hex(1)))?.lastSeenAt).toBe(T1);
      expect((await store.deleteSessions({ expiredBy: T1 })).map((x) => x.id)).toEqual([hex(2)]);
      await store.insertSession(s(4, 'ana'));
      expect((await store.deleteSessions({ userId: 'ana', exceptId: hex(4) })).map((x) => x.id)).toEqual([hex(1)]);
      expect((await store.deleteSessions({ ids: [hex(3)] })).map((x) => x.id)).toEqual([hex(3)]);
      expect(await store.getSession(hex(4))).toBeDefined();
      await expect(store.insertSession(s(5, 'ghost'))).rejects.toThrow(/unknown user/);
    });

    it('META-15: a user keeps at most MAX_SESSIONS_PER_USER sessions; the oldest are evicted and returned', async () => {
      for (let i = 0; i < MAX_SESSIONS_PER_USER; i++) {
        expect(await store.insertSession({ id: hex(i + 1), userId: 'admin', createdAt: T0, expiresAt: T2, lastSeenAt: T0 })).toEqual([]);
      }
      const evicted = await store.insertSession({ id: hex(999), userId: 'admin', createdAt: T1, expiresAt: T2, lastSeenAt: T1 });
      expect(evicted.map((x) => x.id)).toEqual([hex(1)]);
      expect(await store.getSession(hex(1))).toBeUndefined();
    });

    it('META-16: tokens are found by hash, listed per user, touched, and deleted only by their owner', async () => {
      await store.insertUser(user('ana'));
      const token = { id: 't1', userId: 'ana', name: 'script', scope: 'read' as const, hash: hex(77), createdAt: T0, lastUsedAt: null };
      await store.insertToken(token);
      expect(await store.getTokenByHash(hex(77))).toEqual(token);
      await store.touchToken('t1', T1);
      expect((await store.listTokens('ana')).map((t) => t.lastUsedAt)).toEqual([T1]);
      expect(await store.listTokens('admin')).toEqual([]);
      expect(await store.deleteToken('t1', 'admin')).toBeUndefined();
      expect((await store.deleteToken('t1', 'ana'))?.id).toBe('t1');
      expect(await store.getTokenByHash(hex(77))).toBeUndefined();
    });

    it('META-17: an invitation is redeemed once; used, revoked, expired and wrong-email redemptions are refused', async () => {
      await store.insertUser(user('ana'));
      await store.insertUser(user('bob'));
      await store.insertInvite(invite('i1'));
      const redeem = (inviteId: string, userId: string, now = T1) => store.redeemInvite({ inviteId, userId, now, role: () => 'member' });
      const first = await redeem('i1', 'ana');
      expect(first).toMatchObject({ ok: true, membership: { groupId: 'g', userId: 'ana', role: 'member', addedAt: T1 }, previous: undefined });
      expect(await redeem('i1', 'bob')).toEqual({ ok: false, reason: 'used' });
      expect((await store.getMembership('g', 'bob'))).toBeUndefined();
      expect((await store.getInviteByHash(invite('i1').hash))).toMatchObject({ usedAt: T1, usedBy: 'ana' });

      await store.insertInvite(invite('i22'));
      expect((await store.revokeInvite('h', 'i22', T1))).toBeUndefined();
      expect((await store.revokeInvite('g', 'i22', T1))?.revokedAt).toBe(T1);
      expect(await redeem('i22', 'bob')).toEqual({ ok: false, reason: 'revoked' });

      await store.insertInvite(invite('i333', { expiresAt: T1 }));
      expect(await redeem('i333', 'bob', T1)).toEqual({ ok: false, reason: 'expired' });
      await store.insertInvite(invite('i4444', { email: 'ana@example.org' }));
      expect(await redeem('i4444', 'bob')).toEqual({ ok: false, reason: 'email-mismatch' });
      expect(await redeem('nope', 'bob')).toEqual({ ok: false, reason: 'missing' });
      expect((await store.listInvites('g')).map((i) => i.id)).toEqual(['i1', 'i22', 'i333', 'i4444']);
    });

    it('META-17: concurrent redemptions of one invitation: exactly one succeeds', async () => {
      await store.insertInvite(invite('i1'));
      const users = ['u1', 'u2', 'u3', 'u4'];
      for (const id of users) await store.insertUser(user(id));
      const results = await Promise.all(users.map((userId) => store.redeemInvite({ inviteId: 'i1', userId, now: T1, role: () => 'member' })));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(await store.listMemberships({ groupId: 'g' })).toHaveLength(1);
    });

    it('META-18: redeeming with a new account creates it in the same write; a taken email creates nothing', async () => {
      await store.insertInvite(invite('i1'));
      await store.insertInvite(invite('i22'));
      const result = await store.redeemInvite({ inviteId: 'i1', userId: 'new', newUser: user('new'), now: T1, role: (current) => current ?? 'reader' });
      expect(result.ok).toBe(true);
      expect((await store.getUser('new'))?.email).toBe('new@example.org');
      expect((await store.getMembership('g', 'new'))?.role).toBe('reader');
      const taken = await store.redeemInvite({ inviteId: 'i22', userId: 'x', newUser: user('x', { email: 'NEW@example.org' }), now: T1, role: () => 'member' });
      expect(taken).toEqual({ ok: false, reason: 'email-taken' });
      expect(await store.getUser('x')).toBeUndefined();
      expect((await store.getInviteByHash(invite('i22').hash))?.usedAt).toBeNull();
    });

    it('META-19: activity is listed newest first, filtered by group, limited, and capped', async () => {
      for (let i = 0; i < 5; i++) {
        await store.appendActivity({ id: `a${i}`, at: T0, type: 'document.created', actorId: 'admin', groupId: i % 2 ? 'g' : 'h' });
      }
      expect((await store.listActivity({ limit: 3 })).map((a) => a.id)).toEqual(['a4', 'a3', 'a2']);
      expect((await store.listActivity({ groupId: 'g', limit: 10 })).map((a) => a.id)).toEqual(['a3', 'a1']);
      await Promise.all(
        Array.from({ length: MAX_ACTIVITY_ENTRIES }, (_, i) => store.appendActivity({ id: `b${i}`, at: T1, type: 'auth.sign-in', actorId: 'admin' })),
      );
      const all = await store.listActivity({ limit: MAX_ACTIVITY_ENTRIES + 10 });
      expect(all).toHaveLength(MAX_ACTIVITY_ENTRIES);
      expect(all.at(-1)?.id).toBe('b0');
    });

    it('META-20: account data survives close and reopen, and returned objects are copies', async () => {
      await store.insertUser(user('ana'), [{ groupId: 'h', userId: 'ana', role: 'member', addedAt: T0 }]);
      await store.insertSession({ id: hex(5), userId: 'ana', createdAt: T0, expiresAt: T2, lastSeenAt: T0 });
      await store.insertToken({ id: 't1', userId: 'ana', name: 'n', scope: 'full', hash: hex(6), createdAt: T0, lastUsedAt: null });
      await store.insertInvite(invite('i1'));
      await store.appendActivity({ id: 'a1', at: T0, type: 'user.created', actorId: 'admin', targetUserId: 'ana' });
      (await store.getUser('ana'))!.isAdmin = true;
      (await store.listMemberships({ userId: 'ana' }))[0]!.role = 'rapporteur';
      await store.close();
      store = await fixture.reopen();
      expect((await store.getUser('ana'))?.isAdmin).toBe(false);
      expect((await store.getMembership('h', 'ana'))?.role).toBe('member');
      expect(await store.getSession(hex(5))).toBeDefined();
      expect(await store.getTokenByHash(hex(6))).toBeDefined();
      expect(await store.getInviteByHash(invite('i1').hash)).toBeDefined();
      expect((await store.listActivity({ limit: 5 })).map((a) => a.id)).toEqual(['a1']);
    });
  });
}
