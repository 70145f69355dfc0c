import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { straceArgs } from '../metrics/straceCounts.js';
import { childPids } from '../metrics/procStat.js';
import { isAlive, registerPid, spawnManaged, unregisterPid, type ManagedChild } from './childProcess.js';
import { REPO_ROOT, cleanEnv, serverNodeFlags, shippedRoundtableFlags, siblingScript } from './nodeArgs.js';
import { BENCH_ADMIN, BENCH_LIMIT_ENV, createDocument, sessionFor, signIn, type RoundtableSession } from './roundtableAuth.js';
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
 * Everything the suite needs before it can create and open documents on a started Roundtable:
 * a signed-in session (reused across restarts of the same data directory, as sessions live in
 * meta.json and a restart signs nobody out) and a group to create documents in. Every REST call
 * and every WebSocket upgrade of the suite goes through what this returns.
 */
export async function prepareRoundtable(baseUrl: string, cookie: string | null): Promise<RoundtableSession> {
  return sessionFor(baseUrl, cookie ?? (await signIn(baseUrl)));
}

/**
 * Roundtable as shipped: `node dist/server/main.js` with its default settings, persistence on
 * (a temporary DATA_DIR, kept across restarts of the same run), authentication on (the first
 * admin from ROUNDTABLE_ADMIN_EMAIL/PASSWORD; the suite signs in as it right after the start),
 * logs at `info` on stdout (which the suite drains). The only settings changed are the per-user
 * socket limits (BENCH_LIMIT_ENV). Optionally under strace for the persistence workload.
 */
export function roundtableServer(scratchDir: string): BenchServer {
  let managed: ManagedChild | null = null;
  let nodePid: number | null = null;
  let counter = 0;
  /** The session cookie of the data directory it was issued on (survives restarts of that directory). */
  let signedIn: { dataDir: string; cookie: string } | null = null;
  return {
    name: 'roundtable',
    async start(options: StartOptions = {}): Promise<RunningServer> {
      const main = roundtableMain ?? (await snapshotRoundtable(), roundtableMain!);
      mkdirSync(scratchDir, { recursive: true });
      const dataDir = options.dataDir ?? mkdtempSync(path.join(scratchDir, 'roundtable-'));
      const traceFile = options.strace ? path.join(scratchDir, `strace-${Date.now()}.txt`) : null;
      // Persistence off: the same build and flags, started by the suite's entry with documents in memory.
      const entry = options.persistence === false ? [siblingScript('roundtableWithoutPersistence.js'), path.dirname(main)] : [main];
      const nodeArgs = [...shippedRoundtableFlags(), ...serverNodeFlags(), ...entry];
      const env = cleanEnv({
        HOST: '127.0.0.1',
        PORT: '0',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
        NODE_ENV: 'production',
        ROUNDTABLE_ADMIN_EMAIL: BENCH_ADMIN.email,
        ROUNDTABLE_ADMIN_PASSWORD: BENCH_ADMIN.password,
        ...BENCH_LIMIT_ENV,
      });
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
      // Signed in before the server is handed out, so that sockets of a restarted server (cold
      // load from disk) carry credentials too. The Origin follows the new port of each start.
      const session = await prepareRoundtable(url, signedIn?.dataDir === dataDir ? signedIn.cookie : null);
      signedIn = { dataDir, cookie: session.socketHeaders['cookie']! };
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
          headers: session.socketHeaders,
          identity: session.identity,
        }),
        async prepare(n) {
          const ids: string[] = new Array<string>(n);
          // A few at a time: creation is setup, not load (each one writes and fsyncs).
          let next = 0;
          const worker = async (): Promise<void> => {
            while (next < n) {
              const i = next++;
              ids[i] = await createDocument(url, session, `bench ${++counter}`);
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
