import type { GroupRole, PublicUser, TokenScope } from '../../shared/domain/index.js';
import type { ServerProcess } from './serverProcess.js';

/**
 * Accounts on a real ServerProcess, made through its API as the admin: people with roles in
 * groups, their browser sessions and their API tokens.
 */

export const TEST_PASSWORD = 'a-long-test-password';

export interface TestPerson {
  user: PublicUser;
  email: string;
  password: string;
}

let counter = 0;

/** A new user (through POST /api/admin/users), with the given roles. */
export async function createPerson(server: ServerProcess, name: string, roles: Record<string, GroupRole> = {}, options: { isAdmin?: boolean } = {}): Promise<TestPerson> {
  const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${process.pid}-${++counter}@example.org`;
  const { user } = await server.api<{ user: PublicUser }>('/api/admin/users', {
    method: 'POST',
    body: JSON.stringify({ email, name, password: TEST_PASSWORD, isAdmin: options.isAdmin ?? false }),
  });
  for (const [groupId, role] of Object.entries(roles)) await setRole(server, groupId, user.id, role);
  return { user, email, password: TEST_PASSWORD };
}

export async function setRole(server: ServerProcess, groupId: string, userId: string, role: GroupRole): Promise<void> {
  await server.api(`/api/groups/${groupId}/members/${userId}`, { method: 'PUT', body: JSON.stringify({ role }) });
}

export async function removeMember(server: ServerProcess, groupId: string, userId: string): Promise<void> {
  await server.api(`/api/groups/${groupId}/members/${userId}`, { method: 'DELETE' });
}

/** Signs in (POST /api/session from the server's own origin); resolves to the Cookie header value. */
export async function signIn(server: ServerProcess, email: string, password: string): Promise<string> {
  const response = await fetch(`${server.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) throw new Error(`sign-in as ${email} failed: ${response.status} ${await response.text()}`);
  return (response.headers.get('set-cookie') ?? '').split(';')[0]!;
}

/** An API token of the person (tokens are created from a signed-in session). */
export async function createToken(server: ServerProcess, person: Pick<TestPerson, 'email' | 'password'>, scope: TokenScope = 'full'): Promise<{ id: string; secret: string }> {
  const cookie = await signIn(server, person.email, person.password);
  const response = await fetch(`${server.url}/api/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url, cookie },
    body: JSON.stringify({ name: `${scope} token`, scope }),
  });
  if (response.status !== 201) throw new Error(`creating a token failed: ${response.status} ${await response.text()}`);
  const { token } = (await response.json()) as { token: { id: string; secret: string } };
  return { id: token.id, secret: token.secret };
}

/** A raw request, as whoever the headers say (no default credentials). */
export async function request(server: ServerProcess, method: string, path: string, options: { headers?: Record<string, string>; body?: unknown } = {}): Promise<{ status: number; headers: Headers; text: string; json: unknown }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${server.url}${path}`, { method, headers, body: options.body === undefined ? null : JSON.stringify(options.body) });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export function bearer(secret: string): Record<string, string> {
  return { authorization: `Bearer ${secret}` };
}
