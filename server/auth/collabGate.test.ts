import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createAccessServices } from '../services/accessServices.js';
import { user } from '../storage/accountStoreContract.js';
import type { MetaData } from '../storage/metaData.js';
import { documentMeta, group } from '../storage/metaStoreContract.js';
import { MemoryMetaStore } from '../storage/memoryMetaStore.js';
import { createLogger } from '../logger.js';
import { AdmissionCache } from './admissionCache.js';
import type { Principal } from './authenticate.js';
import { CollabGate } from './collabGate.js';
import { OriginPolicy } from './originPolicy.js';

const ORIGIN = 'http://app.example';

/** The real MemoryMetaStore, counting how often it is read (every look-up is one read). */
class CountingStore extends MemoryMetaStore {
  reads = 0;
  protected override read<T>(fn: (data: MetaData) => T): Promise<T> {
    this.reads++;
    return super.read(fn);
  }
}

async function setup(options: { ttlMs?: number } = {}) {
  let clock = new Date('2024-03-01T09:00:00.000Z');
  const now = () => clock;
  const store = new CountingStore();
  await store.insert({ groups: [group('g'), group('h')], documents: [documentMeta('d1', 'g'), documentMeta('d2', 'g'), documentMeta('e1', 'h')] });
  await store.insertUser(user('ana'), [{ groupId: 'g', userId: 'ana', role: 'member', addedAt: clock.toISOString() }]);
  await store.insertUser(user('root', { isAdmin: true }));
  const access = createAccessServices({ meta: store, logger: createLogger('silent'), sessionTtlHours: 2, now });
  const cache = new AdmissionCache({ version: () => store.version, events: access.events, now: () => clock.getTime(), ...options });
  const gate = new CollabGate({ authenticator: access.authenticator, meta: store, origins: new OriginPolicy([ORIGIN]), cache });
  const { token } = await access.sessions.create('ana');
  const cookie = `rt_session=${token}`;
  const request = (headers: Record<string, string>) => ({ headers: { origin: ORIGIN, ...headers } }) as unknown as IncomingMessage;
  const admit = async (docId: string, headers: Record<string, string> = { cookie }) => {
    const before = store.reads;
    const admission = await gate.admit(request(headers), docId);
    return { admission, reads: store.reads - before };
  };
  return { store, access, cache, gate, cookie, admit, advance: (ms: number) => (clock = new Date(clock.getTime() + ms)) };
}

describe('collaboration gate: cached upgrade decisions', () => {
  it('AUTH-20: a repeated upgrade with the same credential and document is answered without reading the store', async () => {
    const { admit } = await setup();
    const first = await admit('d1');
    expect(first.admission).toMatchObject({ ok: true, grant: { docId: 'd1', groupId: 'g', userId: 'ana', access: 'edit' } });
    expect(first.reads).toBeGreaterThan(0);
    const again = await admit('d1');
    expect(again.admission).toMatchObject({ ok: true, grant: { docId: 'd1', access: 'edit', credential: { via: 'session' } } });
    expect(again.reads).toBe(0);
    // Another document of the same credential: the principal is reused, the document is looked up.
    const other = await admit('d2');
    expect(other.admission).toMatchObject({ ok: true, grant: { docId: 'd2' } });
    expect(other.reads).toBeGreaterThan(0);
    expect(other.reads).toBeLessThan(first.reads);
    // Every socket gets a grant of its own (a re-check replaces one socket's grant, not another's).
    const a = await admit('d1');
    const b = await admit('d1');
    expect(a.admission.ok && b.admission.ok && a.admission.grant !== b.admission.grant).toBe(true);
  });

  it('AUTH-20: refusals are not remembered, and Origin is checked on every upgrade', async () => {
    const { admit, cookie } = await setup();
    expect((await admit('e1')).admission).toMatchObject({ ok: false, status: 404 });
    expect((await admit('e1')).reads).toBeGreaterThan(0);
    await admit('d1');
    expect((await admit('d1', { cookie, origin: 'http://evil.example' })).admission).toMatchObject({ ok: false, status: 403, code: 'ORIGIN_NOT_ALLOWED' });
    expect((await admit('d1', { cookie: 'rt_session=nope' })).admission).toMatchObject({ ok: false, status: 401 });
  });

  it('AUTH-21: a revoked session is refused at once', async () => {
    const { admit, access, cookie } = await setup();
    await admit('d1');
    const session = await access.authenticator.authenticate({ cookie });
    await access.sessions.revoke((session.principal as Principal).credentialId);
    expect((await admit('d1')).admission).toMatchObject({ ok: false, status: 401 });
  });

  it('AUTH-21: a removed member is refused at once, a demoted one gets read access at once', async () => {
    const { admit, access } = await setup();
    await admit('d1');
    await access.members.setRole('root', 'g', 'ana', 'reader', false);
    expect((await admit('d1')).admission).toMatchObject({ ok: true, grant: { access: 'read' } });
    await access.members.remove('root', 'g', 'ana');
    expect((await admit('d1')).admission).toMatchObject({ ok: false, status: 404 });
  });

  it('AUTH-21: a deactivated user is refused at once; a promoted one sees other groups at once', async () => {
    const { admit, access } = await setup();
    await admit('d1');
    expect((await admit('e1')).admission).toMatchObject({ ok: false, status: 404 });
    await access.accounts.patchUser('root', 'ana', { isAdmin: true });
    expect((await admit('e1')).admission).toMatchObject({ ok: true, grant: { groupId: 'h', access: 'edit' } });
    await access.accounts.patchUser('root', 'ana', { active: false });
    expect((await admit('d1')).admission).toMatchObject({ ok: false, status: 401 });
  });

  it('AUTH-21: a revoked API token is refused at once', async () => {
    const { admit, access } = await setup();
    const { token, secret } = await access.tokens.create('ana', 'script', 'full');
    const bearer = { authorization: `Bearer ${secret}` };
    expect((await admit('d1', bearer)).admission).toMatchObject({ ok: true, grant: { credential: { via: 'token', id: token.id } } });
    // The first use wrote lastUsedAt: a store change, so that look-up was not remembered.
    await admit('d1', bearer);
    expect((await admit('d1', bearer)).reads).toBe(0);
    await access.tokens.revoke('ana', token.id);
    expect((await admit('d1', bearer)).admission).toMatchObject({ ok: false, status: 401 });
  });

  it('AUTH-21: any metadata change, even one that announces nothing, makes every decision be looked up again', async () => {
    const { admit, store } = await setup();
    await admit('d1');
    // Straight to the store, without an access event: the store's version alone invalidates.
    await store.deleteMembership('g', 'ana');
    expect((await admit('d1')).admission).toMatchObject({ ok: false, status: 404 });
  });

  it('AUTH-21: an access event empties the cache even when the store did not change', async () => {
    const { admit, access } = await setup();
    await admit('d1');
    access.events.emit({ userId: 'ana', reason: 'test' });
    expect((await admit('d1')).reads).toBeGreaterThan(0);
  });

  it('AUTH-21: a cached decision never outlives its session nor the TTL (clock injected)', async () => {
    const { admit, advance } = await setup({ ttlMs: 10_000 });
    await admit('d1');
    advance(9_999);
    expect((await admit('d1')).reads).toBe(0);
    advance(1);
    expect((await admit('d1')).reads).toBeGreaterThan(0);
    // The session expires 2 h after sign-in: an entry made a moment before must not admit after.
    advance(2 * 3600_000 - 10_000 - 1);
    expect((await admit('d1')).admission.ok).toBe(true);
    advance(1);
    expect((await admit('d1')).admission).toMatchObject({ ok: false, status: 401 });
  });
});

describe('AdmissionCache', () => {
  const principal = { user: user('ana'), via: 'token', scope: 'full', credentialId: 't', credentialHash: 'h', expiresAt: null } satisfies Principal;

  it('AUTH-22: a result whose look-ups overlapped a change (store write or access event) is not remembered', () => {
    let version = 0;
    const cache = new AdmissionCache({ version: () => version });
    const ticket = cache.ticket();
    version++;
    cache.remember(ticket, 'k', principal, 'd1', { groupId: 'g', access: 'edit' });
    expect(cache.lookup('k', 'd1')).toBeUndefined();
    const second = cache.ticket();
    cache.clear();
    cache.remember(second, 'k', principal, 'd1', { groupId: 'g', access: 'edit' });
    expect(cache.lookup('k', 'd1')).toBeUndefined();
    cache.remember(cache.ticket(), 'k', principal, 'd1', { groupId: 'g', access: 'edit' });
    expect(cache.lookup('k', 'd1')?.decision).toEqual({ groupId: 'g', access: 'edit' });
  });

  it('AUTH-22: bounded: the oldest credential is dropped beyond the limit', () => {
    const cache = new AdmissionCache({ version: () => 0, maxCredentials: 2 });
    for (const key of ['a', 'b', 'c']) cache.remember(cache.ticket(), key, principal);
    expect(cache.size).toBe(2);
    expect(cache.lookup('a', 'd1')).toBeUndefined();
    expect(cache.lookup('c', 'd1')?.principal).toBe(principal);
  });
});
