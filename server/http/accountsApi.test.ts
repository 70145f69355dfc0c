import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActivityEntry, InvitePreview, InviteView, MeResponse, MemberEntry, PublicUser, TokenView } from '../../shared/domain/index.js';
import { sha256Hex } from '../auth/secrets.js';
import { ORIGIN, PASSWORD, call, expectError, sendJson, startApi, type Harness } from './apiTestKit.js';

const G = 'digital-transition';
const secretOf = (invite: InviteView) => invite.url!.split('/invite/')[1]!;

describe('accounts API (in process)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startApi();
  });
  afterEach(async () => {
    await h.close();
  });

  it('AUTH-12: a read-only token reads but cannot change anything (403 READ_ONLY_TOKEN), on any route', async () => {
    const member = await h.user('Member', { [G]: 'member' });
    const read = await h.tokenFor(member, 'read');
    const doc = (await h.meta.listDocuments(G))[0]!;
    const got = await call<{ document: { access: string } }>(h, `/api/documents/${doc.id}`, {}, { token: read });
    expect(got.status).toBe(200);
    expect(got.body.document.access).toBe('read');
    expectError(await call(h, `/api/documents/${doc.id}`, sendJson('PATCH', { title: 'x' }), { token: read }), 403, 'READ_ONLY_TOKEN');
    expectError(await call(h, `/api/groups/${G}/documents`, sendJson('POST', { kind: 'report', title: 'x' }), { token: read }), 403, 'READ_ONLY_TOKEN');
    expectError(await call(h, '/api/me', sendJson('PATCH', { name: 'x' }), { token: read }), 403, 'READ_ONLY_TOKEN');
    expectError(await call(h, '/api/tokens/whatever', { method: 'DELETE' }, { token: read }), 403, 'READ_ONLY_TOKEN');
    const me = await call<MeResponse>(h, '/api/me', {}, { token: read });
    expect(me.body.auth).toEqual({ via: 'token', scope: 'read' });
  });

  it('AUTH-13: tokens are shown once, stored as SHA-256, listed without secret, revocable; a token cannot mint tokens', async () => {
    const cookie = await h.signIn(h.admin.email);
    const created = await call<{ token: TokenView }>(h, '/api/tokens', sendJson('POST', { name: 'CI export', scope: 'read' }), { cookie });
    expect(created.status).toBe(201);
    const { secret, id } = created.body.token;
    expect(secret).toMatch(/^rt_[A-Za-z0-9_-]{43}$/);
    const stored = await h.meta.getTokenByHash(sha256Hex(secret!));
    expect(stored?.id).toBe(id);
    expect(JSON.stringify(await h.meta.listTokens(h.admin.id))).not.toContain(secret!);
    const list = await call<{ tokens: TokenView[] }>(h, '/api/tokens', {}, { cookie });
    expect(list.body.tokens.find((t) => t.id === id)).toEqual({ id, name: 'CI export', scope: 'read', createdAt: expect.any(String), lastUsedAt: null });
    expect(JSON.stringify(list.body)).not.toContain('secret');
    expectError(await call(h, '/api/tokens', sendJson('POST', { name: 'more', scope: 'full' })), 403, 'FORBIDDEN');
    expect((await call(h, '/api/me', {}, { token: secret! })).status).toBe(200);
    expect((await call(h, `/api/tokens/${id}`, { method: 'DELETE' }, { cookie })).status).toBe(204);
    expectError(await call(h, '/api/me', {}, { token: secret! }), 401, 'UNAUTHENTICATED');
    expectError(await call(h, `/api/tokens/${id}`, { method: 'DELETE' }, { cookie }), 404, 'NOT_FOUND');
    const types = (await h.meta.listActivity({ limit: 10 })).map((a) => a.type);
    expect(types).toContain('token.created');
    expect(types).toContain('token.revoked');
  });

  it('AUTH-14: an invitation works once; a second use, an expired or a revoked one is 410 INVITE_INVALID; an unknown one 404', async () => {
    const invite = (await call<{ invite: InviteView }>(h, `/api/groups/${G}/invites`, sendJson('POST', { role: 'member', expiresInHours: 2 }))).body.invite;
    expect(invite.url).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(await h.meta.listInvites(G))).not.toContain(secretOf(invite));
    const preview = await call<{ invite: InvitePreview }>(h, `/api/invites/${secretOf(invite)}`, {}, 'anonymous');
    expect(preview.body.invite).toEqual({ groupName: 'WG Digital Transition', role: 'member', expiresAt: invite.expiresAt, valid: true });

    const accepted = await call<MeResponse>(h, `/api/invites/${secretOf(invite)}/accept`, sendJson('POST', { name: 'New Person', email: 'New@Example.org', password: PASSWORD }), { cookie: '', origin: ORIGIN });
    expect(accepted.status).toBe(200);
    expect(accepted.body.user.email).toBe('new@example.org');
    expect(accepted.body.memberships).toEqual([{ groupId: G, role: 'member' }]);
    expect(accepted.headers.get('set-cookie')).toMatch(/^rt_session=/);
    const cookie = accepted.headers.get('set-cookie')!.split(';')[0]!;
    expect((await call<MeResponse>(h, '/api/me', {}, { cookie })).body.user.email).toBe('new@example.org');

    const other = await h.user('Other');
    const otherCookie = await h.signIn(other.email);
    expectError(await call(h, `/api/invites/${secretOf(invite)}/accept`, sendJson('POST', {}), { cookie: otherCookie }), 410, 'INVITE_INVALID');
    expect((await call<{ invite: InvitePreview }>(h, `/api/invites/${secretOf(invite)}`, {}, 'anonymous')).body.invite.valid).toBe(false);

    const expiring = (await call<{ invite: InviteView }>(h, `/api/groups/${G}/invites`, sendJson('POST', { role: 'reader', expiresInHours: 1 }))).body.invite;
    h.setClock(new Date(Date.parse(expiring.expiresAt)));
    expectError(await call(h, `/api/invites/${secretOf(expiring)}/accept`, sendJson('POST', {}), { cookie: otherCookie }), 410, 'INVITE_INVALID');

    const revoked = (await call<{ invite: InviteView }>(h, `/api/groups/${G}/invites`, sendJson('POST', { role: 'reader' }))).body.invite;
    expect((await call(h, `/api/groups/${G}/invites/${revoked.id}`, { method: 'DELETE' })).status).toBe(204);
    expectError(await call(h, `/api/invites/${secretOf(revoked)}/accept`, sendJson('POST', {}), { cookie: otherCookie }), 410, 'INVITE_INVALID');
    expect((await call<{ invites: InviteView[] }>(h, `/api/groups/${G}/invites`)).body.invites.map((i) => i.id)).not.toContain(revoked.id);
    // Withdrawing is in the activity log, with who did it and which invitation it was.
    const withdrawn = (await h.meta.listActivity({ limit: 10 })).find((a) => a.type === 'invite.revoked');
    expect(withdrawn).toMatchObject({ actorId: h.admin.id, groupId: G, details: { role: 'reader', inviteId: revoked.id } });
    h.setClock(new Date(Date.parse(expiring.expiresAt) + 60_000));
    expect((await call(h, `/api/groups/${G}/invites/${revoked.id}`, { method: 'DELETE' })).status).toBe(204); // idempotent, logged once
    expect((await h.meta.listActivity({ limit: 10 })).filter((a) => a.type === 'invite.revoked')).toHaveLength(1);

    expectError(await call(h, `/api/invites/${'A'.repeat(43)}`, {}, 'anonymous'), 404, 'NOT_FOUND');
    expectError(await call(h, '/api/invites/short/accept', sendJson('POST', {}), 'anonymous'), 404, 'NOT_FOUND');
    expect((await h.meta.getMembership(G, other.id))).toBeUndefined();
  });

  it('AUTH-15: accepting never lowers a role; an email-bound invitation is only for that email; a taken email is 409', async () => {
    const rapporteur = await h.user('Rapp', { [G]: 'rapporteur' });
    const cookie = await h.signIn(rapporteur.email);
    const invite = (await call<{ invite: InviteView }>(h, `/api/groups/${G}/invites`, sendJson('POST', { role: 'reader' }))).body.invite;
    const accepted = await call<MeResponse>(h, `/api/invites/${secretOf(invite)}/accept`, sendJson('POST', {}), { cookie });
    expect(accepted.body.memberships).toEqual([{ groupId: G, role: 'rapporteur' }]);

    const bound = (await call<{ invite: InviteView }>(h, `/api/groups/${G}/invites`, sendJson('POST', { role: 'member', email: 'Someone@Example.org' }))).body.invite;
    expect(bound.email).toBe('someone@example.org');
    expectError(await call(h, `/api/invites/${secretOf(bound)}/accept`, sendJson('POST', {}), { cookie }), 403, 'FORBIDDEN');
    const taken = (await call<{ invite: InviteView }>(h, `/api/groups/${G}/invites`, sendJson('POST', { role: 'member' }))).body.invite;
    expectError(
      await call(h, `/api/invites/${secretOf(taken)}/accept`, sendJson('POST', { name: 'Dup', email: rapporteur.email, password: PASSWORD }), 'anonymous'),
      409,
      'CONFLICT',
    );
    expectError(await call(h, `/api/invites/${secretOf(taken)}/accept`, sendJson('POST', {}), 'anonymous'), 401, 'UNAUTHENTICATED');
    expectError(await call(h, `/api/invites/${secretOf(taken)}/accept`, sendJson('POST', { name: 'X', email: 'x@example.org', password: PASSWORD }), { cookie }), 409, 'CONFLICT');
    expect((await h.meta.listActivity({ limit: 20 })).map((a) => a.type)).toContain('invite.accepted');
  });

  it('AUTH-16: invitation look-ups and acceptances are rate-limited per address (429 RATE_LIMITED)', async () => {
    await h.close();
    h = await startApi({ rateLimits: { invites: 3 } });
    for (let i = 0; i < 3; i++) expect((await call(h, `/api/invites/${'B'.repeat(43)}`, {}, 'anonymous')).status).toBe(404);
    expectError(await call(h, `/api/invites/${'B'.repeat(43)}`, {}, 'anonymous'), 429, 'RATE_LIMITED');
  });

  it('ACL-9: members: everyone in the group sees the list, emails only admins and rapporteurs; managing needs members.manage', async () => {
    const rapporteur = await h.user('R', { [G]: 'rapporteur' });
    const reader = await h.user('Rd', { [G]: 'reader' });
    const outsider = await h.user('Out', { 'environment-climate': 'member' });
    const [rt, rd, out] = [await h.tokenFor(rapporteur), await h.tokenFor(reader), await h.tokenFor(outsider)];
    const seenByReader = await call<{ members: MemberEntry[] }>(h, `/api/groups/${G}/members`, {}, { token: rd });
    expect(seenByReader.body.members.map((m) => m.user.email)).toEqual([undefined, undefined]);
    const seenByRapporteur = await call<{ members: MemberEntry[] }>(h, `/api/groups/${G}/members`, {}, { token: rt });
    expect(seenByRapporteur.body.members.map((m) => m.user.email)).toEqual([rapporteur.email, reader.email]);
    expectError(await call(h, `/api/groups/${G}/members`, {}, { token: out }), 404, 'NOT_FOUND');
    expectError(await call(h, `/api/groups/${G}/members/${reader.id}`, sendJson('PUT', { role: 'member' }), { token: rd }), 403, 'FORBIDDEN');

    const changes: string[] = [];
    h.access.events.on((change) => changes.push(`${change.userId}@${change.groupId}`));
    const put = await call<{ member: MemberEntry }>(h, `/api/groups/${G}/members/${outsider.id}`, sendJson('PUT', { role: 'reader' }), { token: rt });
    expect(put.body.member).toMatchObject({ role: 'reader', user: { id: outsider.id, email: outsider.email } });
    expect((await call(h, `/api/groups/${G}/members/${outsider.id}`, { method: 'DELETE' }, { token: rt })).status).toBe(204);
    expectError(await call(h, `/api/groups/${G}/members/${outsider.id}`, { method: 'DELETE' }, { token: rt }), 404, 'NOT_FOUND');
    expectError(await call(h, `/api/groups/${G}/members/00000000-0000-4000-8000-000000000000`, sendJson('PUT', { role: 'reader' }), { token: rt }), 404, 'NOT_FOUND');
    expect(changes).toEqual([`${outsider.id}@${G}`, `${outsider.id}@${G}`]);
    const activity = await h.meta.listActivity({ groupId: G, limit: 10 });
    expect(activity.map((a) => a.type)).toEqual(['member.removed', 'member.role-changed']);
  });

  it('ACL-10: admin routes: users are created, patched and deactivated by admins only; the last admin stays', async () => {
    const member = await h.user('M', { [G]: 'member' });
    expectError(await call(h, '/api/admin/users', {}, { token: await h.tokenFor(member) }), 403, 'FORBIDDEN');
    const created = await call<{ user: PublicUser }>(h, '/api/admin/users', sendJson('POST', { email: 'Fresh@Example.org', name: 'Fresh', password: PASSWORD }));
    expect(created.status).toBe(201);
    expect(created.body.user).toMatchObject({ email: 'fresh@example.org', isAdmin: false, active: true });
    expect(JSON.stringify(created.body)).not.toMatch(/password/i);
    expectError(await call(h, '/api/admin/users', sendJson('POST', { email: 'fresh@example.org', name: 'Again', password: PASSWORD })), 409, 'CONFLICT');
    const users = await call<{ users: PublicUser[] }>(h, '/api/admin/users');
    expect(JSON.stringify(users.body)).not.toMatch(/scrypt|passwordHash/);

    const cookie = await h.signIn('fresh@example.org');
    const off = await call<{ user: PublicUser }>(h, `/api/admin/users/${created.body.user.id}`, sendJson('PATCH', { active: false }));
    expect(off.body.user.active).toBe(false);
    expectError(await call(h, '/api/me', {}, { cookie }), 401, 'UNAUTHENTICATED');
    expectError(await call(h, `/api/admin/users/${h.admin.id}`, sendJson('PATCH', { isAdmin: false })), 409, 'CONFLICT');
    expectError(await call(h, `/api/admin/users/${h.admin.id}`, sendJson('PATCH', { active: false })), 409, 'CONFLICT');
    const activity = await call<{ activity: ActivityEntry[] }>(h, '/api/admin/activity?limit=3');
    expect(activity.body.activity[0]?.type).toBe('user.deactivated');
    expect(activity.body.activity).toHaveLength(3);
  });

  it('AUTH-17: changing the password needs the current one, ends the other sessions and keeps this one', async () => {
    const person = await h.user('Pw');
    const mine = await h.signIn(person.email);
    const elsewhere = await h.signIn(person.email);
    expectError(await call(h, '/api/me/password', sendJson('POST', { currentPassword: 'wrong one', newPassword: 'a new long password' }), { cookie: mine }), 401, 'INVALID_CREDENTIALS');
    expect((await call(h, '/api/me', {}, { cookie: mine })).status).toBe(200);
    expect((await call(h, '/api/me/password', sendJson('POST', { currentPassword: PASSWORD, newPassword: 'a new long password' }), { cookie: mine })).status).toBe(204);
    expect((await call(h, '/api/me', {}, { cookie: mine })).status).toBe(200);
    expectError(await call(h, '/api/me', {}, { cookie: elsewhere }), 401, 'UNAUTHENTICATED');
    expect((await h.signIn(person.email, 'a new long password')).length).toBeGreaterThan(10);
    const patched = await call<{ user: PublicUser }>(h, '/api/me', sendJson('PATCH', { name: 'Renamed', color: '#AABBCC' }), { cookie: mine });
    expect(patched.body.user).toMatchObject({ name: 'Renamed', color: '#aabbcc' });
  });

  it('AUTH-18: with COOKIE_SECURE the session cookie is Secure; signing out clears it', async () => {
    await h.close();
    h = await startApi({ cookieSecure: true });
    const reply = await fetch(`${h.base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: ORIGIN }, body: JSON.stringify({ email: h.admin.email, password: PASSWORD }) });
    expect(reply.headers.get('set-cookie')).toMatch(/; Secure/);
    const cookie = reply.headers.get('set-cookie')!.split(';')[0]!;
    const out = await call(h, '/api/session', { method: 'DELETE' }, { cookie });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^rt_session=;.*Expires=Thu, 01 Jan 1970/);
  });
});
