import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root, from this file's compiled location dist/bench/bench/servers/. */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** Compiled sibling module of this directory (dist/bench/bench/servers/<name>.js). */
export function siblingScript(name: string): string {
  return fileURLToPath(new URL(`./${name}`, import.meta.url));
}

/**
 * Node flags for every server process: the GC-on-SIGUSR2 preload (idle footprint) and nothing
 * else, so all three servers run with the same V8 settings. For diagnosis only,
 * BENCH_SERVER_NODE_FLAGS adds flags (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) to every server.
 */
export function serverNodeFlags(): string[] {
  const extra = (process.env['BENCH_SERVER_NODE_FLAGS'] ?? '').split(' ').filter(Boolean);
  return ['--expose-gc', `--import=${new URL('./gcOnSignal.js', import.meta.url).href}`, ...extra];
}

/**
 * The node flags Roundtable ships with: `npm start` is `node <flags> scripts/start.mjs`
 * (package.json), and start.mjs runs the server in that same process, so those flags are the
 * shipped server's V8 settings (docs/OPERATIONS.md gives the same command for running
 * `dist/server/main.js` directly). The suite starts `dist/server/main.js` itself, so it passes
 * them too — Roundtable as shipped, not as a bare `node` would run it. A start script of another
 * shape is an error, so that the two cannot drift apart silently.
 */
export function shippedRoundtableFlags(packageJson = path.join(REPO_ROOT, 'package.json')): string[] {
  const start = (JSON.parse(readFileSync(packageJson, 'utf8')) as { scripts?: Record<string, string> }).scripts?.['start'] ?? '';
  return parseStartScript(start);
}

/** `node [--flag ...] scripts/start.mjs` → the flags. */
export function parseStartScript(start: string): string[] {
  const words = start.trim().split(/\s+/);
  if (words[0] !== 'node' || words.at(-1) !== 'scripts/start.mjs' || !words.slice(1, -1).every((word) => word.startsWith('--'))) {
    throw new Error(`package.json "start" is ${JSON.stringify(start)}; the bench expects \`node [--flags] scripts/start.mjs\``);
  }
  return words.slice(1, -1);
}

/**
 * The environment handed to servers: ours minus variables that would change a baseline's
 * behaviour (y-websocket's leveldb persistence and HTTP callback, gc switch, inherited NODE_OPTIONS).
 */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ['YPERSISTENCE', 'CALLBACK_URL', 'CALLBACK_OBJECTS', 'GC', 'NODE_OPTIONS', 'PORT', 'HOST', 'DATA_DIR']) delete env[key];
  return { ...env, ...extra };
}

export function tempName(prefix: string): string {
  return path.join(prefix, `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`);
}
