import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD, forgetToken, registerToken } from './credentials.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The compiled server, exactly as `npm start` runs it (`npm test` builds it first). */
export const SERVER_ENTRY = path.join(root, 'dist/server/main.js');

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/**
 * The real server as a child process on a loopback port, with its own DATA_DIR. Tests kill it
 * with real signals (SIGKILL for crash tests) and start it again on the same data.
 *
 * Accounts: the server starts with a known first admin (TEST_ADMIN_EMAIL / TEST_ADMIN_PASSWORD);
 * once it listens, this signs in and creates a full-scope API token, which `api()` sends and which
 * is registered for this server's URL (credentials.ts), so `connectProvider`, `RawClient.connect`
 * and `createDraft` act as the admin. Per-user socket limits are lifted (tests open many).
 */
export class ServerProcess {
  url = '';
  wsUrl = '';
  /** The admin's API token (full scope), valid across restarts on the same DATA_DIR. */
  token = '';
  readonly adminEmail: string;
  readonly adminPassword: string;
  readonly logs: LogLine[] = [];
  stderr = '';
  private child: ChildProcess | null = null;
  private exitPromise: Promise<number | null> | null = null;

  private constructor(
    readonly dataDir: string,
    readonly env: Record<string, string>,
    private readonly autoSignIn: boolean,
  ) {
    this.adminEmail = env.ROUNDTABLE_ADMIN_EMAIL ?? TEST_ADMIN_EMAIL;
    this.adminPassword = env.ROUNDTABLE_ADMIN_PASSWORD ?? TEST_ADMIN_PASSWORD;
  }

  /** `signIn: false` skips the admin sign-in (for tests of the first start itself). */
  static async start(env: Record<string, string> = {}, dataDir?: string, options: { signIn?: boolean } = {}): Promise<ServerProcess> {
    const dir = dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'roundtable-test-')));
    const server = new ServerProcess(dir, env, options.signIn ?? true);
    await server.launch();
    return server;
  }

  /** Starts (again) on the same DATA_DIR; resolves once it listens. */
  async launch(): Promise<void> {
    const child = spawn(process.execPath, [SERVER_ENTRY], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        HOST: '127.0.0.1',
        PORT: '0',
        DATA_DIR: this.dataDir,
        LOG_LEVEL: 'info',
        ROUNDTABLE_ADMIN_EMAIL: TEST_ADMIN_EMAIL,
        ROUNDTABLE_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
        WS_CONNECTIONS_PER_MINUTE: '1000000',
        WS_CONNECTIONS_PER_USER: '1000000',
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exitPromise = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    const listening = new Promise<void>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.on('line', (line) => {
        let entry: LogLine;
        try {
          entry = JSON.parse(line) as LogLine;
        } catch {
          return;
        }
        this.logs.push(entry);
        if (entry.msg === 'listening') {
          this.url = String(entry.url);
          this.wsUrl = this.url.replace(/^http/, 'ws');
          resolve();
        }
      });
      void this.exitPromise!.then((code) =>
        reject(new Error(`server exited with ${code} before listening:\n${this.stderr}`)),
      );
    });
    await listening;
    if (this.autoSignIn) await this.authenticate();
  }

  /** Signs in as the admin and creates an API token (once per DATA_DIR), then registers it. */
  private async authenticate(): Promise<void> {
    if (!this.token) {
      const signIn = await fetch(`${this.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: this.url },
        body: JSON.stringify({ email: this.adminEmail, password: this.adminPassword }),
      });
      if (!signIn.ok) throw new Error(`signing in as ${this.adminEmail} failed: ${signIn.status} ${await signIn.text()}`);
      const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
      const created = await fetch(`${this.url}/api/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: this.url, cookie },
        body: JSON.stringify({ name: 'test harness', scope: 'full' }),
      });
      if (!created.ok) throw new Error(`creating the test API token failed: ${created.status} ${await created.text()}`);
      this.token = ((await created.json()) as { token: { secret: string } }).token.secret;
    }
    registerToken(this.url, this.token);
  }

  get pid(): number {
    return this.child?.pid ?? -1;
  }

  /** Sends a signal and waits for the process to end; resolves to its exit code. */
  async kill(signal: NodeJS.Signals): Promise<number | null> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return this.child?.exitCode ?? null;
    this.child.kill(signal);
    return this.exitPromise!;
  }

  async restart(): Promise<void> {
    await this.kill('SIGTERM');
    await this.launch();
  }

  /** Kills the process and deletes its data directory. */
  async dispose(): Promise<void> {
    await this.kill('SIGKILL');
    if (this.url) forgetToken(this.url);
    await rm(this.dataDir, { recursive: true, force: true });
  }

  /** A JSON API call as the admin (bearer token); headers in `init` win, e.g. another Authorization. */
  async api<T>(pathname: string, init?: RequestInit): Promise<T> {
    const response = await fetch(this.url + pathname, {
      ...init,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}`, ...(init?.headers ?? {}) },
    });
    if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${pathname}: ${response.status} ${await response.text()}`);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }
}
