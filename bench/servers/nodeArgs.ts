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
