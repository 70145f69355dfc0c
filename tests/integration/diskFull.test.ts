import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DocumentMeta, GroupSummary } from '../../shared/domain/index.js';
import { ShutdownTimeoutError, startServer, type RunningServer, type StartOptions } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { nodeFileIo, type FileIo } from '../../server/storage/file/fileIo.js';
import { MemoryDocStore } from '../../server/storage/memoryDocStore.js';
import { RawClient, appendParagraph, bodyOf, waitFor } from '../helpers/collabClients.js';
import { TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD, forgetToken, registerToken } from '../helpers/credentials.js';

/**
 * Storage faults in-process (HEALTH-n in docs/SPEC.md): the real composition root (startServer)
 * with a document store whose disk is "full" on demand, through the store's I/O seam. Nothing
 * else is simulated: HTTP, WebSockets, the metadata store and the files are real.
 */

/** node:fs, except that while `full` every write and fsync fails with ENOSPC. */
class FullDisk implements FileIo {
  full = false;
  failures = 0;
  readonly syncOnWriteFlags = nodeFileIo.syncOnWriteFlags;

  private check(call: string): void {
    if (!this.full) return;
    this.failures++;
    throw Object.assign(new Error(`ENOSPC: no space left on device, ${call}`), { code: 'ENOSPC', errno: -28, syscall: call });
  }

  async write(...args: Parameters<FileIo['write']>): Promise<number> {
    this.check('write');
    return nodeFileIo.write(...args);
  }

  async sync(...args: Parameters<FileIo['sync']>): Promise<void> {
    this.check('fdatasync');
    return nodeFileIo.sync(...args);
  }

  async syncDirectory(dirPath: string): Promise<void> {
    this.check('fsync');
    return nodeFileIo.syncDirectory(dirPath);
  }
}

interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

interface Started {
  running: RunningServer;
  wsUrl: string;
  logs: LogLine[];
  api<T>(pathname: string, init?: RequestInit): Promise<T>;
}

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function start(dataDir: string, disk?: FileIo, env: Record<string, string> = {}, options: StartOptions = {}): Promise<Started> {
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    ROUNDTABLE_ADMIN_EMAIL: TEST_ADMIN_EMAIL,
    ROUNDTABLE_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    ...env,
  });
  const logs: LogLine[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
  const running = await startServer(config, logger, disk ? { ...options, fileIo: disk } : options);
  const signIn = await fetch(`${running.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: running.url },
    body: JSON.stringify({ email: TEST_ADMIN_EMAIL, password: TEST_ADMIN_PASSWORD }),
  });
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
  const created = await fetch(`${running.url}/api/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: running.url, cookie },
    body: JSON.stringify({ name: 'disk test', scope: 'full' }),
  });
  const token = ((await created.json()) as { token: { secret: string } }).token.secret;
  registerToken(running.url, token);
  const api = async <T>(pathname: string, init?: RequestInit): Promise<T> => {
    const response = await fetch(running.url + pathname, { ...init, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`${pathname}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  return { running, wsUrl: running.url.replace(/^http/, 'ws'), logs, api };
}

async function createDocument(server: Started): Promise<string> {
  const { groups } = await server.api<{ groups: GroupSummary[] }>('/api/groups');
  const { document } = await server.api<{ document: DocumentMeta }>(`/api/groups/${groups[0]!.id}/documents`, {
    method: 'POST',
    body: JSON.stringify({ kind: 'working-draft', title: 'On a full disk' }),
  });
  return document.id;
}

async function health(server: Started, pathname: '/healthz' | '/readyz'): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(server.running.url + pathname);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'roundtable-disk-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const WRITE_FAILED = 'update log write failed; keeping the updates in memory and retrying';

describe('a disk that fills up', () => {
  it('HEALTH-2: while writes fail with ENOSPC, edits are applied and relayed but not acknowledged, logged once, and /healthz and /readyz say so; when space returns the retry succeeds, the acknowledgements arrive and nothing is lost', async () => {
    const dataDir = await tempDir();
    const disk = new FullDisk();
    const server = await start(dataDir, disk);
    cleanup.push(async () => forgetToken(server.running.url));
    const docId = await createDocument(server);
    const writer = await RawClient.connect(server.wsUrl, docId);
    const reader = await RawClient.connect(server.wsUrl, docId, { ack: false });
    await writer.waitForAck();
    expect((await health(server, '/readyz')).body).toEqual({ status: 'ready' });

    disk.full = true;
    appendParagraph(writer.doc, 'written while the disk is full');
    // Applied and relayed at once...
    await waitFor(() => bodyOf(reader.doc).includes('written while the disk is full'), 'relayed to the other client');
    // ...retried, and not acknowledged as saved.
    await waitFor(() => disk.failures >= 3, 'three failed attempts');
    appendParagraph(writer.doc, 'and another while still full');
    await waitFor(() => bodyOf(reader.doc).includes('and another while still full'), 'the second edit relayed');
    await waitFor(() => disk.failures >= 5, 'more failed attempts');
    expect(writer.acked).toBeLessThan(writer.sent);

    for (const pathname of ['/healthz', '/readyz'] as const) {
      const reply = await health(server, pathname);
      expect(reply.status, pathname).toBe(503);
      expect(reply.body).toMatchObject({ status: 'degraded', failingDocuments: 1 });
      expect(String(reply.body.lastError)).toContain('ENOSPC');
    }
    // Logged once for the streak, however many attempts failed.
    expect(server.logs.filter((line) => line.msg === WRITE_FAILED && line.docId === docId)).toHaveLength(1);

    disk.full = false;
    await writer.waitForAck();
    expect(writer.acked).toBe(writer.sent);
    expect(await health(server, '/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await health(server, '/readyz')).toEqual({ status: 200, body: { status: 'ready' } });
    expect(server.logs.some((line) => line.msg === 'update log writes recovered' && line.docId === docId)).toBe(true);
    writer.close();
    reader.close();
    await server.running.close();
    forgetToken(server.running.url);

    // Nothing lost: a server started on the same directory (healthy disk) has both edits.
    const again = await start(dataDir);
    cleanup.push(async () => {
      await again.running.close();
      forgetToken(again.running.url);
    });
    const fresh = await RawClient.connect(again.wsUrl, docId, { ack: false });
    expect(bodyOf(fresh.doc)).toContain('written while the disk is full');
    expect(bodyOf(fresh.doc)).toContain('and another while still full');
    fresh.close();
  });

  it('HEALTH-3: shutdown with writes that cannot finish gives up after SHUTDOWN_TIMEOUT_MS, logs every document that is not on disk and how many updates, and fails (the process exits non-zero)', async () => {
    const dataDir = await tempDir();
    const disk = new FullDisk();
    const timeoutMs = 1500;
    const server = await start(dataDir, disk, { SHUTDOWN_TIMEOUT_MS: String(timeoutMs) });
    const docId = await createDocument(server);
    const writer = await RawClient.connect(server.wsUrl, docId);
    await writer.waitForAck();
    disk.full = true;
    appendParagraph(writer.doc, 'never made it to disk');
    appendParagraph(writer.doc, 'nor this');
    await waitFor(() => disk.failures >= 2, 'failed attempts');

    const began = Date.now();
    const outcome = await server.running.close().then(
      () => null,
      (error: unknown) => error,
    );
    const took = Date.now() - began;
    expect(outcome).toBeInstanceOf(ShutdownTimeoutError);
    const error = outcome as ShutdownTimeoutError;
    expect(error.timeoutMs).toBe(timeoutMs);
    expect(error.unflushed).toEqual([{ docId, pendingUpdates: expect.any(Number) }]);
    expect(error.unflushed[0]!.pendingUpdates).toBeGreaterThanOrEqual(1);
    // Bounded: it gave up at the timeout (it did not wait for the disk).
    expect(took).toBeGreaterThanOrEqual(timeoutMs - 50);
    const line = server.logs.find((entry) => entry.msg === 'shutdown timed out: these documents have received updates that are not on disk');
    expect(line).toMatchObject({ timeoutMs, unflushed: [{ docId }], pendingUpdates: error.unflushed[0]!.pendingUpdates });
    // The writer was told to go (1001) without an acknowledgement: its edits are still its own.
    expect((await writer.waitForClose()).code).toBe(1001);
    expect(writer.acked).toBeLessThan(writer.sent);

    // Space returns: the shutdown that was still trying completes and releases the data directory.
    disk.full = false;
    await waitFor(() => !existsSync(path.join(dataDir, 'server.lock')), 'the data directory released', 20_000);
    forgetToken(server.running.url);
  });
});

describe('another document store through the composition root (the bench\'s persistence off)', () => {
  it('START-3: a store passed to startServer holds every document, and nothing of any document is written to DATA_DIR', async () => {
    const dataDir = await tempDir();
    const memory = new MemoryDocStore();
    const store = Object.assign(memory, { health: () => ({ ok: true, failingDocuments: 0 }) });
    const server = await start(dataDir, undefined, {}, { docStore: store });
    cleanup.push(async () => forgetToken(server.running.url));
    const docId = await createDocument(server);
    const writer = await RawClient.connect(server.wsUrl, docId);
    const reader = await RawClient.connect(server.wsUrl, docId, { ack: false });
    appendParagraph(writer.doc, 'kept in memory');
    await waitFor(() => bodyOf(reader.doc).includes('kept in memory'), 'relayed to the other client');
    await writer.waitForAck();
    // The document, the seeded workspace's documents and the edit are in the given store...
    const stored = await memory.load(docId);
    expect(stored.length).toBeGreaterThan(0);
    const copy = new Y.Doc();
    for (const update of stored) Y.applyUpdate(copy, update);
    expect(bodyOf(copy)).toContain('kept in memory');
    // ...and none of the configured store's files exist: only the metadata is on disk.
    expect(existsSync(path.join(dataDir, 'journal'))).toBe(false);
    expect(existsSync(path.join(dataDir, 'docs'))).toBe(false);
    expect(existsSync(path.join(dataDir, 'meta.json'))).toBe(true);
    writer.close();
    reader.close();
    await server.running.close();
  });
});

