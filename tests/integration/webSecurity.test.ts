import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentMeta } from '../../shared/domain/index.js';
import { bearer, createPerson, request, signIn, type TestPerson } from '../helpers/accounts.js';
import { tryUpgrade } from '../helpers/collabClients.js';
import { ServerProcess } from '../helpers/serverProcess.js';

const EVIL = 'https://evil.example';

describe('Origin, CSRF, headers and limits on the real server', () => {
  let server: ServerProcess;
  let person: TestPerson;
  let doc: DocumentMeta;

  beforeAll(async () => {
    server = await ServerProcess.start({ SIGNIN_RATE_LIMIT: '3', WS_CONNECTIONS_PER_MINUTE: '1000', WS_CONNECTIONS_PER_USER: '2' });
    person = await createPerson(server, 'Web Person', { 'digital-transition': 'member' });
    doc = (await server.api<{ document: DocumentMeta }>('/api/groups/digital-transition/documents', { method: 'POST', body: JSON.stringify({ kind: 'report', title: 'Web' }) })).document;
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('SEC-3: a state-changing request from a foreign Origin is refused with 403 ORIGIN_NOT_ALLOWED, whatever the credentials', async () => {
    const cookie = await signIn(server, person.email, person.password);
    const attempts = [
      await request(server, 'POST', '/api/session', { headers: { origin: EVIL }, body: { email: person.email, password: person.password } }),
      await request(server, 'PATCH', `/api/documents/${doc.id}`, { headers: { origin: EVIL, cookie }, body: { title: 'hijacked' } }),
      await request(server, 'PATCH', `/api/documents/${doc.id}`, { headers: { origin: 'null', cookie }, body: { title: 'hijacked' } }),
      await request(server, 'DELETE', '/api/session', { headers: { origin: EVIL, cookie } }),
      await request(server, 'PATCH', `/api/documents/${doc.id}`, { headers: { origin: EVIL, ...bearer(server.token) }, body: { title: 'hijacked' } }),
    ];
    for (const reply of attempts) {
      expect(reply.status).toBe(403);
      expect((reply.json as { error: { code: string } }).error.code).toBe('ORIGIN_NOT_ALLOWED');
    }
    // Reading is not a state change: a foreign Origin on GET is answered by the normal rules.
    expect((await request(server, 'GET', '/api/me', { headers: { origin: EVIL, cookie } })).status).toBe(200);
    expect((await request(server, 'GET', `/api/documents/${doc.id}`, { headers: { cookie } })).json).toMatchObject({ document: { title: 'Web' } });
  });

  it('SEC-3: a foreign Origin on the collaboration upgrade is refused with 403 before any socket exists', async () => {
    const cookie = await signIn(server, person.email, person.password);
    const refused: Array<Record<string, string>> = [{ cookie, origin: EVIL }, { ...bearer(server.token), origin: EVIL }];
    for (const headers of refused) {
      const attempt = await tryUpgrade(server.wsUrl, `/collab/${doc.id}`, headers);
      expect(attempt.status).toBe(403);
      expect(attempt.body).toContain('ORIGIN_NOT_ALLOWED');
      expect(attempt.frames).toEqual([]);
    }
    const allowed = await tryUpgrade(server.wsUrl, `/collab/${doc.id}`, { cookie, origin: server.url });
    expect(allowed.status).toBe(101);
    allowed.ws!.close();
  });

  it('SEC-4: a cookie-authenticated change without Origin (CSRF) is refused; bearer scripts and same-origin browsers pass', async () => {
    const cookie = await signIn(server, person.email, person.password);
    const body = { title: 'Web' };
    const noOrigin = await request(server, 'PATCH', `/api/documents/${doc.id}`, { headers: { cookie }, body });
    expect(noOrigin.status).toBe(403);
    expect((noOrigin.json as { error: { code: string } }).error.code).toBe('CSRF_FAILED');
    const post = await request(server, 'POST', '/api/groups/digital-transition/documents', { headers: { cookie }, body: { kind: 'report', title: 'Forged' } });
    expect(post.status).toBe(403);
    expect((post.json as { error: { code: string } }).error.code).toBe('CSRF_FAILED');
    const signOut = await request(server, 'DELETE', '/api/session', { headers: { cookie } });
    expect((signOut.json as { error: { code: string } }).error.code).toBe('CSRF_FAILED');
    const crossSite = await request(server, 'PATCH', `/api/documents/${doc.id}`, { headers: { cookie, 'sec-fetch-site': 'cross-site' }, body });
    expect((crossSite.json as { error: { code: string } }).error.code).toBe('CSRF_FAILED');
    expect((await request(server, 'PATCH', `/api/documents/${doc.id}`, { headers: { cookie, 'sec-fetch-site': 'same-origin' }, body })).status).toBe(200);
    expect((await request(server, 'PATCH', `/api/documents/${doc.id}`, { headers: { cookie, origin: server.url }, body })).status).toBe(200);
    expect((await request(server, 'PATCH', `/api/documents/${doc.id}`, { headers: bearer(server.token), body })).status).toBe(200);
    // The WebSocket equivalent: a cookie without Origin is not a browser, and is refused.
    const socket = await tryUpgrade(server.wsUrl, `/collab/${doc.id}`, { cookie });
    expect(socket.status).toBe(403);
  });

  it('SEC-5: security headers: CSP, nosniff, frame-ancestors, referrer policy; API answers are not cached', async () => {
    for (const path of ['/', '/api/groups', '/healthz']) {
      const reply = await request(server, 'GET', path, { headers: bearer(server.token) });
      const csp = reply.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toMatch(/connect-src 'self'[^;]*ws:\/\/127\.0\.0\.1:\d+/);
      expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
      expect(reply.headers.get('referrer-policy')).toBe('same-origin');
      expect(reply.headers.get('x-powered-by')).toBeNull();
      // Plain HTTP: no HSTS, no upgrade-insecure-requests (they would break access by name).
      expect(reply.headers.get('strict-transport-security')).toBeNull();
      expect(csp).not.toContain('upgrade-insecure-requests');
    }
    expect((await request(server, 'GET', '/api/me', { headers: bearer(server.token) })).headers.get('cache-control')).toBe('no-store');
  });

  it('AUTH-1: the session cookie is httpOnly, SameSite=Lax, Path=/ and lasts SESSION_TTL_HOURS (not Secure on plain HTTP)', async () => {
    const reply = await request(server, 'POST', '/api/session', { headers: { origin: server.url }, body: { email: person.email, password: person.password } });
    expect(reply.status).toBe(200);
    const cookie = reply.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^rt_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).toMatch(/Max-Age=1209600/); // 336 hours
    expect(cookie).not.toMatch(/Secure/i);
    expect(reply.json).toMatchObject({ user: { email: person.email }, memberships: [{ groupId: 'digital-transition', role: 'member' }], auth: { via: 'session', scope: 'full' } });
    expect(JSON.stringify(reply.json)).not.toMatch(/passwordHash|scrypt/);
  });

  it('AUTH-2: failed sign-ins are limited per address and email: 429 RATE_LIMITED with Retry-After, even for the right password then', async () => {
    const victim = await createPerson(server, 'Rate Limited');
    const attempt = (password: string) => request(server, 'POST', '/api/session', { headers: { origin: server.url }, body: { email: victim.email, password } });
    for (let i = 0; i < 3; i++) {
      const wrong = await attempt(`wrong password ${i}`);
      expect(wrong.status).toBe(401);
      expect((wrong.json as { error: { code: string } }).error.code).toBe('INVALID_CREDENTIALS');
    }
    const limited = await attempt(victim.password);
    expect(limited.status).toBe(429);
    expect((limited.json as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another account from the same address is not locked out by it.
    expect((await request(server, 'POST', '/api/session', { headers: { origin: server.url }, body: { email: person.email, password: person.password } })).status).toBe(200);
  });

  it('AUTH-3: unknown email, wrong password and deactivated account get the same 401 INVALID_CREDENTIALS', async () => {
    const inactive = await createPerson(server, 'Inactive');
    await server.api(`/api/admin/users/${inactive.user.id}`, { method: 'PATCH', body: JSON.stringify({ active: false }) });
    const bodies = [
      { email: 'nobody-here@example.org', password: 'whatever password' },
      { email: person.email, password: 'not the password' },
      { email: inactive.email, password: inactive.password },
    ];
    const replies = [];
    for (const body of bodies) replies.push(await request(server, 'POST', '/api/session', { headers: { origin: server.url }, body }));
    for (const reply of replies) {
      expect(reply.status).toBe(401);
      expect(reply.json).toEqual(replies[0]!.json);
    }
    const activity = await server.api<{ activity: Array<{ type: string }> }>('/api/admin/activity?limit=50');
    expect(activity.activity.filter((entry) => entry.type === 'auth.sign-in-failed').length).toBeGreaterThanOrEqual(3);
  });

  it('AUTH-4: a user may hold WS_CONNECTIONS_PER_USER sockets at once; one more is refused with 429', async () => {
    const cookie = await signIn(server, person.email, person.password);
    const headers = { cookie, origin: server.url };
    const open = [await tryUpgrade(server.wsUrl, `/collab/${doc.id}`, headers), await tryUpgrade(server.wsUrl, `/collab/${doc.id}`, headers)];
    expect(open.map((a) => a.status)).toEqual([101, 101]);
    const third = await tryUpgrade(server.wsUrl, `/collab/${doc.id}`, headers);
    expect(third.status).toBe(429);
    expect(third.body).toContain('RATE_LIMITED');
    for (const attempt of open) attempt.ws!.close();
  });

  it('SEC-6: passwords, password hashes, cookies and token secrets never appear in the server log', async () => {
    const logText = JSON.stringify(server.logs) + server.stderr;
    expect(logText).not.toContain(person.password);
    expect(logText).not.toContain(server.adminPassword);
    expect(logText).not.toContain(server.token);
    expect(logText).not.toMatch(/scrypt\$/);
    expect(logText).not.toContain('rt_session=');
  });
});
