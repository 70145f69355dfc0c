import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { straceArgs } from '../metrics/straceCounts.js';
import { childPids } from '../metrics/procStat.js';
import { isAlive, registerPid, spawnManaged, unregisterPid, type ManagedChild } from './childProcess.js';
import { REPO_ROOT, cleanEnv, serverNodeFlags } from './nodeArgs.js';
import type { BenchServer, RunningServer, StartOptions } from './types.js';

/**
 * Where the Roundtable build under test comes from: `dist/` (`npm run build:server`), or the
 * directory named by ROUNDTABLE_DIST (holding `server/` and `shared/`, e.g. a build of another
 * commit).
 */
export function roundtableSource(): string {
  return process.env['ROUNDTABLE_DIST'] ? path.resolve(process.env['ROUNDTABLE_DIST']) : path.join(REPO_ROOT, 'dist');
}

/** The private copy every Roundtable start of one run uses (see snapshotRoundtable). */
const SNAPSHOT_DIR = path.join(REPO_ROOT, 'dist', 'bench', 'roundtable-under-test');
let roundtableMain: string | null = null;

function newestMtime(dir: string): number {
  let newest = 0;
  const stack = [dir];
  for (let budget = 20_000; stack.length > 0 && budget > 0; budget--) {
    const current = stack.pop()!;
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) stack.push(full);
      else newest = Math.max(newest, statSync(full).mtimeMs);
    }
  }
  return newest;
}

/**
 * Copies the built server (server/ and shared/) to dist/bench/roundtable-under-test/ once per
 * run, so that every start and restart of the run uses the same build even while other people
 * rebuild dist/ in the same tree. The copy stays under the repository so that node_modules
 * resolves as for the original. A build still being written (files newer than 2 s) is waited for.
 * Returns the build's time, or throws when there is no build.
 */
export async function snapshotRoundtable(): Promise<{ source: string; builtAt: string }> {
  const source = roundtableSource();
  if (!existsSync(path.join(source, 'server', 'main.js'))) {
    throw new Error(`Roundtable is not built (${path.join(source, 'server', 'main.js')} missing): run \`npm run build:server\``);
  }
  for (let attempt = 0; attempt < 10; attempt++) {
    const before = Math.max(newestMtime(path.join(source, 'server')), newestMtime(path.join(source, 'shared')));
    if (Date.now() - before < 2000) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      continue;
    }
    rmSync(SNAPSHOT_DIR, { recursive: true, force: true });
    cpSync(path.join(source, 'server'), path.join(SNAPSHOT_DIR, 'server'), { recursive: true });
    cpSync(path.join(source, 'shared'), path.join(SNAPSHOT_DIR, 'shared'), { recursive: true });
    const after = Math.max(newestMtime(path.join(source, 'server')), newestMtime(path.join(source, 'shared')));
    if (after !== before) continue; // rebuilt while copying: copy again
    roundtableMain = path.join(SNAPSHOT_DIR, 'server', 'main.js');
    return { source, builtAt: new Date(before).toISOString() };
  }
  throw new Error(`the Roundtable build in ${source} kept changing; try again when nobody is building`);
}

/**
 * What the suite needs before it can create and open documents on Roundtable. Today: the id of
 * a group to create documents in (the server seeds the expert groups on first start).
 *
 * When authentication lands (issue 3), this is the one place to change: sign in here (e.g. POST
 * the bench account's credentials) and return the session cookie in `headers` (REST) and in
 * `socketHeaders` (with an allowed `Origin`) — every REST call and every WebSocket upgrade of the
 * suite goes through what this returns.
 */
export interface RoundtableSession {
  groupId: string;
  /** Headers for REST calls (with authentication: the session cookie). */
  headers: Record<string, string>;
  /** Headers for the WebSocket upgrade (with authentication: the cookie and an allowed Origin). */
  socketHeaders: Record<string, string>;
}

export async function prepareRoundtable(baseUrl: string): Promise<RoundtableSession> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const response = await fetch(`${baseUrl}/api/groups`, { headers });
  if (!response.ok) throw new Error(`GET /api/groups: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { groups?: Array<{ id: string }> };
  const groupId = body.groups?.[0]?.id;
  if (!groupId) throw new Error('Roundtable has no group to create benchmark documents in');
  return { groupId, headers, socketHeaders: {} };
}

async function createDocument(baseUrl: string, groupId: string, headers: Record<string, string>, title: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/groups/${groupId}/documents`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'working-draft', title }),
  });
  if (response.status !== 201) throw new Error(`POST documents: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { document?: { id: string } };
  if (!body.document?.id) throw new Error('POST documents: no document id in the answer');
  return body.document.id;
}

/**
 * Roundtable as shipped: `node dist/server/main.js` with its default settings, persistence on
 * (a temporary DATA_DIR, kept across restarts of the same run), logs at `info` on stdout (which
 * the suite drains). Optionally under strace for the persistence workload.
 */
export function roundtableServer(scratchDir: string): BenchServer {
  let managed: ManagedChild | null = null;
  let nodePid: number | null = null;
  let counter = 0;
  return {
    name: 'roundtable',
    async start(options: StartOptions = {}): Promise<RunningServer> {
      const main = roundtableMain ?? (await snapshotRoundtable(), roundtableMain!);
      mkdirSync(scratchDir, { recursive: true });
      const dataDir = options.dataDir ?? mkdtempSync(path.join(scratchDir, 'roundtable-'));
      const traceFile = options.strace ? path.join(scratchDir, `strace-${Date.now()}.txt`) : null;
      const nodeArgs = [...serverNodeFlags(), main];
      const env = cleanEnv({ HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info', NODE_ENV: 'production' });
      const child = traceFile
        ? spawnManaged('strace', [...straceArgs(traceFile), process.execPath, ...nodeArgs], { cwd: REPO_ROOT, env })
        : spawnManaged(process.execPath, nodeArgs, { cwd: REPO_ROOT, env });
      managed = child;
      const line = await child.waitForLine((l) => l.includes('"msg":"listening"'), 30_000);
      const url = (JSON.parse(line) as { url: string }).url;
      const pid = traceFile ? await tracedNodePid(child.child.pid!) : child.child.pid!;
      nodePid = pid;
      registerPid(pid);
      const port = new URL(url).port;
      let prepared: Promise<RoundtableSession> | null = null;
      let session: RoundtableSession | null = null;
      return {
        name: 'roundtable',
        url,
        pid,
        dataDir,
        traceFile,
        docTarget: (docId) => ({
          flavour: 'y-websocket',
          url: `ws://127.0.0.1:${port}/collab/${docId}?ack=1`,
          docName: docId,
          acks: true,
          ...(session && Object.keys(session.socketHeaders).length > 0 ? { headers: session.socketHeaders } : {}),
        }),
        async prepare(n) {
          prepared ??= prepareRoundtable(url);
          session = await prepared;
          const { groupId, headers } = session;
          const ids: string[] = new Array<string>(n);
          // A few at a time: creation is setup, not load (each one writes and fsyncs).
          let next = 0;
          const worker = async (): Promise<void> => {
            while (next < n) {
              const i = next++;
              ids[i] = await createDocument(url, groupId, headers, `bench ${++counter}`);
            }
          };
          await Promise.all(Array.from({ length: Math.min(4, n) }, worker));
          return ids;
        },
      };
    },
    async stop(): Promise<void> {
      const child = managed;
      const pid = nodePid;
      managed = null;
      nodePid = null;
      // SIGTERM goes to node itself (under strace the child is strace): Roundtable flushes
      // every pending write, then exits, and strace follows it out.
      if (child) await child.stop(20_000, pid ?? undefined);
      if (pid !== null) {
        if (isAlive(pid)) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // gone
          }
        }
        unregisterPid(pid);
      }
    },
  };
}

/** The node process strace started (its only child), polled for up to 5 s. */
async function tracedNodePid(stracePid: number): Promise<number> {
  const deadline = performance.now() + 5000;
  while (performance.now() < deadline) {
    const [pid] = childPids(stracePid);
    if (pid !== undefined) return pid;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('could not find the node process under strace');
}
