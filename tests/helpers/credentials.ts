/**
 * Credentials of the servers the tests start, so that helpers taking only a URL (`connectProvider`,
 * `RawClient.connect`, `createDraft`) act as the server's admin without every call site passing a
 * token. ServerProcess registers its admin's API token for its URL when it has started.
 */

/** The first admin of every ServerProcess (set through ROUNDTABLE_ADMIN_EMAIL / _PASSWORD). */
export const TEST_ADMIN_EMAIL = 'admin@test.roundtable.local';
export const TEST_ADMIN_PASSWORD = 'test-admin-password-0001';

const tokens = new Map<string, string>();
let latest: string | undefined;

/** `ws://h:p/...` and `http://h:p/...` share one entry: the origin with an http scheme. */
function keyOf(url: string): string {
  return new URL(url.replace(/^ws/, 'http')).origin;
}

export function registerToken(url: string, token: string): void {
  tokens.set(keyOf(url), token);
  latest = token;
}

/**
 * The token registered for the server at `url`. A URL nobody registered (a fault-injecting proxy
 * in front of a server) gets the most recently registered token: the proxy forwards to that server.
 */
export function tokenFor(url: string): string | undefined {
  return tokens.get(keyOf(url)) ?? latest;
}

export function forgetToken(url: string): void {
  const token = tokens.get(keyOf(url));
  tokens.delete(keyOf(url));
  if (latest === token) latest = [...tokens.values()].at(-1);
}
