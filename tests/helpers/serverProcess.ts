import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

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
 */
export class ServerProcess {
  url = '';
  wsUrl = '';
  readonly logs: LogLine[] = [];
  stderr = '';
  private child: ChildProcess | null = null;
  private exitPromise: Promise<number | null> | null = null;

  private constructor(
    readonly dataDir: string,
    private readonly env: Record<string, string>,
  ) {}

  static async start(env: Record<string, string> = {}, dataDir?: string): Promise<ServerProcess> {
    const dir = dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'roundtable-test-')));
    const server = new ServerProcess(dir, env);
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
    await rm(this.dataDir, { recursive: true, force: true });
  }

  async api<T>(pathname: string, init?: RequestInit): Promise<T> {
    const response = await fetch(this.url + pathname, {
      ...init,
      headers: { 'content-type': 'application/json', ...(init?.headers ?? {}) },
    });
    if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${pathname}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }
}
