import { SERVER_NAMES, type BenchSettings, type ServerName } from './types.js';

/**
 * Command line and environment of `npm run bench`. Flags win over environment variables, which
 * win over the defaults. The defaults are the full run (≤ 10 minutes on 2 cores); `--quick` is a
 * ~1-minute smoke run (one repetition, short windows) whose numbers are not for the docs.
 */
export interface RunOptions {
  settings: BenchSettings;
  /** Workloads to run (null: all). */
  only: string[] | null;
  servers: ServerName[];
  /** Write the table into docs/PERFORMANCE.md (default: full runs yes, quick runs no). */
  writeDocs: boolean;
  /** `--render FILE`: only rebuild the report (and docs table) from a saved results JSON. */
  render: string | null;
  help: boolean;
}

export const USAGE = `Usage: npm run bench -- [options]
  --quick              ~1 minute smoke run (1 repetition, 1.5 s windows); does not touch docs/
  --only a,b           run only these workloads (many-docs, hot-doc, cold-load, connect-storm,
                       idle, persistence, presence)
  --servers a,b        only these servers (roundtable, y-websocket, hocuspocus)
  --reps N             repetitions per server (medians are over these; default 2)
  --duration S         measured window of steady workloads in seconds (default 9)
  --warmup S           warm-up before each window in seconds (default 2)
  --docs / --no-docs   write / do not write the table into docs/PERFORMANCE.md
  --render FILE        rebuild the report from a saved bench/results/*.json (writes docs/
                       unless --no-docs; starts no server)
Environment: BENCH_QUICK=1, BENCH_ONLY, BENCH_SERVERS, BENCH_REPS, BENCH_DURATION, BENCH_WARMUP, BENCH_DOCS=0|1`;

// 9 s windows and 4 cold loads per server keep the full run under the 10 minutes (it
// was 608 s with 10 s and 5) with room for the persistence workload's persistence-off phase.
const FULL: BenchSettings = { quick: false, reps: 2, durationS: 9, warmupS: 2, coldSamples: 4, coldDiskSamples: 3 };
const QUICK: BenchSettings = { quick: true, reps: 1, durationS: 1.5, warmupS: 0.5, coldSamples: 2, coldDiskSamples: 1 };

function list(value: string | undefined): string[] | null {
  if (value === undefined) return null;
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length > 0 ? items : null;
}

function positive(name: string, value: string | undefined, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new Error(`${name} must be a positive ${integer ? 'integer' : 'number'}, got "${value}"`);
  return n;
}

export function parseOptions(argv: readonly string[], env: Record<string, string | undefined>, knownWorkloads: readonly string[]): RunOptions {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument "${arg}"\n${USAGE}`);
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    if (eq > 0) flags.set(name, arg.slice(eq + 1));
    else if (['only', 'servers', 'reps', 'duration', 'warmup', 'render'].includes(name)) {
      const value = argv[++i];
      if (value === undefined) throw new Error(`--${name} needs a value`);
      flags.set(name, value);
    } else flags.set(name, true);
  }
  const known = new Set(['quick', 'only', 'servers', 'reps', 'duration', 'warmup', 'docs', 'no-docs', 'render', 'help']);
  for (const name of flags.keys()) if (!known.has(name)) throw new Error(`unknown option --${name}\n${USAGE}`);
  const str = (flag: string, envName: string): string | undefined => {
    const v = flags.get(flag);
    return typeof v === 'string' ? v : env[envName];
  };

  const quick = flags.has('quick') || env['BENCH_QUICK'] === '1';
  const base = quick ? QUICK : FULL;
  const settings: BenchSettings = {
    ...base,
    reps: positive('reps', str('reps', 'BENCH_REPS'), true) ?? base.reps,
    durationS: positive('duration', str('duration', 'BENCH_DURATION'), false) ?? base.durationS,
    warmupS: positive('warmup', str('warmup', 'BENCH_WARMUP'), false) ?? base.warmupS,
  };

  const only = list(str('only', 'BENCH_ONLY'));
  for (const name of only ?? []) if (!knownWorkloads.includes(name)) throw new Error(`unknown workload "${name}" (known: ${knownWorkloads.join(', ')})`);
  const servers = (list(str('servers', 'BENCH_SERVERS')) ?? [...SERVER_NAMES]) as ServerName[];
  for (const name of servers) if (!SERVER_NAMES.includes(name)) throw new Error(`unknown server "${name}" (known: ${SERVER_NAMES.join(', ')})`);

  let writeDocs = !quick && only === null;
  if (env['BENCH_DOCS'] === '1') writeDocs = true;
  if (env['BENCH_DOCS'] === '0') writeDocs = false;
  const render = typeof flags.get('render') === 'string' ? (flags.get('render') as string) : null;
  if (render !== null) writeDocs = true;
  if (flags.has('docs')) writeDocs = true;
  if (flags.has('no-docs')) writeDocs = false;

  return { settings, only, servers, writeDocs, render, help: flags.has('help') };
}
