/**
 * Roundtable with authentication on, as a browser meets it: the suite signs in once per server
 * start (the first admin, created from ROUNDTABLE_ADMIN_EMAIL / ROUNDTABLE_ADMIN_PASSWORD on the
 * fresh data directory), creates its documents through the API with the session cookie, and
 * opens every collaboration socket with that cookie plus the `Origin` a page on the server's own
 * address sends (docs/SECURITY.md: a cookie without an allowed Origin is refused, 403).
 *
 * Why the cookie and not an API token: browsers, i.e. the people the numbers are about, use the
 * cookie; a token would measure the scripts' path. Both cost the same per upgrade (one SHA-256
 * and one metadata lookup).
 */

/** The bench account. Only ever used on a throw-away data directory on 127.0.0.1. */
export const BENCH_ADMIN = { email: 'bench@roundtable.local', password: 'bench-password-not-secret' } as const;

/**
 * Per-user socket limits for the bench account. The defaults (60 new sockets per minute, 200
 * open) are right for people and would make the connect storm (1,000 sockets of one user) and
 * the idle footprint measure the limiter, so the suite raises them (documented in
 * docs/PERFORMANCE.md); every other setting stays at its default.
 */
export const BENCH_LIMIT_ENV = { WS_CONNECTIONS_PER_MINUTE: '1000000', WS_CONNECTIONS_PER_USER: '1000000' } as const;

export interface RoundtableSession {
  groupId: string;
  /** Headers for REST calls: the session cookie, and the Origin the CSRF guard wants on changes. */
  headers: Record<string, string>;
  /** Headers for the WebSocket upgrade: the cookie and an allowed Origin. */
  socketHeaders: Record<string, string>;
  /** The signed-in account as the client shows it in presence (`GET /api/me`). */
  identity: { id: string; name: string; color: string };
}

/** The `rt_session=<value>` pair from a sign-in answer's Set-Cookie headers. */
export function sessionCookieOf(setCookies: readonly string[]): string | null {
  for (const header of setCookies) {
    const pair = header.split(';', 1)[0]?.trim() ?? '';
    if (pair.startsWith('rt_session=') && pair.length > 'rt_session='.length) return pair;
  }
  return null;
}

/** Signs in as the bench admin; resolves to the Cookie header value. */
export async function signIn(baseUrl: string): Promise<string> {
  const origin = new URL(baseUrl).origin;
  const response = await fetch(`${baseUrl}/api/session`, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json', origin },
    body: JSON.stringify(BENCH_ADMIN),
  });
  if (!response.ok) throw new Error(`POST /api/session: ${response.status} ${await response.text()}`);
  const cookie = sessionCookieOf(response.headers.getSetCookie());
  if (!cookie) throw new Error('POST /api/session: no session cookie in the answer');
  return cookie;
}

/** Headers for a session `cookie` on the server at `baseUrl`, and a group to create documents in. */
export async function sessionFor(baseUrl: string, cookie: string): Promise<RoundtableSession> {
  const origin = new URL(baseUrl).origin;
  const headers: Record<string, string> = { accept: 'application/json', cookie, origin };
  const get = async <T>(route: string): Promise<T> => {
    const response = await fetch(`${baseUrl}${route}`, { headers });
    if (!response.ok) throw new Error(`GET ${route}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const me = await get<{ user?: { id: string; name: string; color: string } }>('/api/me');
  if (!me.user) throw new Error('GET /api/me: no user in the answer');
  const groups = await get<{ groups?: Array<{ id: string }> }>('/api/groups');
  const groupId = groups.groups?.[0]?.id;
  if (!groupId) throw new Error('Roundtable has no group to create benchmark documents in');
  const identity = { id: me.user.id, name: me.user.name, color: me.user.color };
  return { groupId, headers, socketHeaders: { cookie, origin }, identity };
}

/** Creates a document through the API (a working draft unless `kind` says otherwise); resolves to its id. */
export async function createDocument(
  baseUrl: string,
  session: RoundtableSession,
  title: string,
  kind: { kind: 'working-draft' } | { kind: 'follow-up'; meeting: { date: string; type: string; place: string } } = { kind: 'working-draft' },
): Promise<string> {
  const response = await fetch(`${baseUrl}/api/groups/${session.groupId}/documents`, {
    method: 'POST',
    headers: { ...session.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ ...kind, title }),
  });
  if (response.status !== 201) throw new Error(`POST documents: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { document?: { id: string } };
  if (!body.document?.id) throw new Error('POST documents: no document id in the answer');
  return body.document.id;
}
