import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { GroupView, MeResponse, MemberEntry } from '../../shared/domain/index.js';
import { request, signIn } from '../helpers/accounts.js';
import { SERVER_ENTRY, ServerProcess } from '../helpers/serverProcess.js';

const run = promisify(execFile);
const ADMIN_CLI = path.join(path.dirname(SERVER_ENTRY), 'cli', 'admin.js');

async function cli(dataDir: string, args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = run(process.execPath, [ADMIN_CLI, ...args], { env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir } });
  if (input !== undefined) {
    child.child.stdin!.end(input);
  } else {
    child.child.stdin!.end();
  }
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

async function signInStatus(server: ServerProcess, email: string, password: string): Promise<number> {
  return (await request(server, 'POST', '/api/session', { headers: { origin: server.url }, body: { email, password } })).status;
}

describe('accounts across starts, the demo, and the operator CLI', () => {
  const servers: ServerProcess[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.dispose();
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  async function start(env: Record<string, string> = {}, dataDir?: string, signInFirst = true): Promise<ServerProcess> {
    const server = await ServerProcess.start(env, dataDir, { signIn: signInFirst });
    servers.push(server);
    return server;
  }

  it('AUTH-5: the first start creates admin@roundtable.local with a generated password printed once; later starts print none', async () => {
    const server = await start({ ROUNDTABLE_ADMIN_EMAIL: '', ROUNDTABLE_ADMIN_PASSWORD: '' }, undefined, false);
    const match = /email:\s+(\S+)\n\s+password:\s+(\S+)/.exec(server.stderr);
    expect(match?.[1]).toBe('admin@roundtable.local');
    const password = match![2]!;
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect(JSON.stringify(server.logs)).not.toContain(password);
    expect(await signInStatus(server, 'admin@roundtable.local', password)).toBe(200);
    await server.kill('SIGTERM');
    server.stderr = '';
    await server.launch();
    expect(server.stderr).not.toContain(password);
    expect(server.stderr).toMatch(/Sign in with your account/);
    expect(await signInStatus(server, 'admin@roundtable.local', password)).toBe(200);
  });

  it('AUTH-6: without ROUNDTABLE_DEMO no demo account exists; with it each demo group has a rapporteur, members and a reader', async () => {
    const plain = await start();
    expect(await signInStatus(plain, 'reader@demo.roundtable.local', 'roundtable-demo')).toBe(401);
    const users = await plain.api<{ users: Array<{ email: string }> }>('/api/admin/users');
    expect(users.users.map((u) => u.email)).toEqual([plain.adminEmail]);

    const demo = await start({ ROUNDTABLE_DEMO: '1' });
    for (const group of (await demo.api<{ groups: GroupView[] }>('/api/groups')).groups) {
      const { members } = await demo.api<{ members: MemberEntry[] }>(`/api/groups/${group.id}/members`);
      const roles = members.map((m) => m.role);
      expect(roles.filter((r) => r === 'rapporteur').length, group.id).toBeGreaterThanOrEqual(1);
      expect(roles.filter((r) => r === 'member').length, group.id).toBeGreaterThanOrEqual(2);
      expect(roles.filter((r) => r === 'reader').length, group.id).toBeGreaterThanOrEqual(1);
    }
    const cookie = await signIn(demo, 'reader@demo.roundtable.local', 'roundtable-demo');
    const me = (await request(demo, 'GET', '/api/me', { headers: { cookie } })).json as MeResponse;
    expect(me.memberships.every((m) => m.role === 'reader')).toBe(true);

    // Started again without the flag: the demo accounts are switched off.
    await demo.kill('SIGTERM');
    const after = await start({ ROUNDTABLE_DEMO: '0' }, demo.dataDir);
    expect(await signInStatus(after, 'rapporteur@demo.roundtable.local', 'roundtable-demo')).toBe(401);
    expect((await request(after, 'GET', '/api/me', { headers: { cookie } })).status).toBe(401);
  });

  it('AUTH-7: sessions survive a restart, and signing out revokes the session on the server', async () => {
    const server = await start();
    const cookie = await signIn(server, server.adminEmail, server.adminPassword);
    await server.restart();
    expect((await request(server, 'GET', '/api/me', { headers: { cookie } })).status).toBe(200);
    expect((await request(server, 'DELETE', '/api/session', { headers: { cookie, origin: server.url } })).status).toBe(204);
    const after = await request(server, 'GET', '/api/me', { headers: { cookie } });
    expect(after.status).toBe(401);
    expect((after.json as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
  });

  it('AUTH-8: a workspace from before accounts (meta.json version 1) keeps its groups and gets a first admin', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'roundtable-v1-'));
    dirs.push(dir);
    const group = { id: 'legacy-group', name: 'WG Legacy', description: 'kept', createdAt: '2023-01-01T00:00:00.000Z' };
    await writeFile(path.join(dir, 'meta.json'), JSON.stringify({ version: 1, groups: [group], documents: [] }));
    const server = await start({}, dir);
    expect((await server.api<{ groups: GroupView[] }>('/api/groups')).groups.map((g) => g.id)).toEqual(['legacy-group']);
    const stored = JSON.parse(await readFile(path.join(dir, 'meta.json'), 'utf8')) as { version: number; users: unknown[] };
    expect(stored.version).toBe(2);
    expect(stored.users.length).toBe(1);
  });

  it('AUTH-9: the admin CLI refuses to write while a server holds the data directory, then creates users, resets passwords and lists them', async () => {
    const server = await start();
    const refused = await cli(server.dataDir, ['create-user', '--email', 'cli@example.org', '--name', 'Cli User']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Stop that Roundtable server first/);
    // A second server on the same data directory is refused as well.
    await expect(ServerProcess.start({}, server.dataDir)).rejects.toThrow(/server\.lock/);

    expect(await server.kill('SIGTERM')).toBe(0);
    const created = await cli(server.dataDir, ['create-user', '--email', 'Cli@Example.org', '--name', 'Cli User', '--admin']);
    expect(created.code, created.stderr).toBe(0);
    const generated = /Password \(shown only now\): (\S+)/.exec(created.stdout)![1]!;
    const fromStdin = await cli(server.dataDir, ['create-user', '--email', 'stdin@example.org', '--name', 'Stdin User', '--password', '-'], 'piped in password\n');
    expect(fromStdin.code, fromStdin.stderr).toBe(0);
    expect(fromStdin.stdout).not.toContain('piped in password');
    expect((await cli(server.dataDir, ['create-user', '--email', 'cli@example.org', '--name', 'Again'])).code).toBe(2);
    expect((await cli(server.dataDir, ['create-user', '--email', 'not-an-email', '--name', 'X'])).code).toBe(2);
    const reset = await cli(server.dataDir, ['reset-password', '--email', server.adminEmail, '--password', 'a brand new password']);
    expect(reset.code, reset.stderr).toBe(0);
    const list = await cli(server.dataDir, ['list-users']);
    expect(list.stdout).toContain('cli@example.org\tCli User\t(admin)');
    expect(list.stdout).toContain('stdin@example.org');

    const running = await start({}, server.dataDir, false);
    expect(await signInStatus(running, 'cli@example.org', generated)).toBe(200);
    expect(await signInStatus(running, 'stdin@example.org', 'piped in password')).toBe(200);
    expect(await signInStatus(running, server.adminEmail, 'a brand new password')).toBe(200);
    expect(await signInStatus(running, server.adminEmail, server.adminPassword)).toBe(401);
  });
});
