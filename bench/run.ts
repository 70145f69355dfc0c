import { execFileSync, fork } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { USAGE, parseOptions } from './config.js';
import { writeIntoDocs } from './metrics/docsWriter.js';
import { directoryBytes, resetPeakRss, sampleProcess } from './metrics/procStat.js';
import { countStrace } from './metrics/straceCounts.js';
import { buildReport, type ReportMeta } from './metrics/report.js';
import { isAlive, registerPid, unregisterPid } from './servers/childProcess.js';
import { createBenchServer } from './servers/index.js';
import { snapshotRoundtable } from './servers/roundtable.js';
import { loopDelayFile, type LoopDelayReading } from './servers/loopDelayFile.js';
import { REPO_ROOT } from './servers/nodeArgs.js';
import type { RunningServer } from './servers/types.js';
import type { BenchSettings, ChildMessage, LoadgenJob, ParentMessage, RpcRequest, ServerName, ServerStat, WorkloadRun } from './types.js';
import { WORKLOADS } from './workloads/index.js';
import type { WorkloadDescriptor } from './workloads/types.js';

/**
 * `npm run bench`: for every workload, repetition and server (order alternating between
 * repetitions), start the server fresh in its own process, fork a load generator, answer its
 * requests (create documents, read /proc, GC, restart, strace counts), collect the result and
 * stop both. Then medians, ratios to the best baseline, a table on stdout, JSON in
 * bench/results/ and (full runs) the table in docs/PERFORMANCE.md.
 */

const JOB_TIMEOUT_MS = 6 * 60_000;
const LOADGEN = new URL('./loadgen/main.js', import.meta.url);

const log = (message: string): void => void process.stderr.write(`${message}\n`);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function statOf(server: RunningServer): ServerStat {
  const sample = sampleProcess(server.pid);
  return { at: performance.now(), ...sample, dataDirBytes: server.dataDir ? directoryBytes(server.dataDir) : null };
}

async function runJob(serverName: ServerName, workload: WorkloadDescriptor, rep: number, settings: BenchSettings, scratch: string, cacheDir: string): Promise<WorkloadRun> {
  const controller = createBenchServer(serverName, scratch);
  let running = await controller.start();
  const loadgen = fork(LOADGEN, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--max-semi-space-size=32'] });
  registerPid(loadgen.pid);

  const handle = async (request: RpcRequest): Promise<unknown> => {
    switch (request.method) {
      case 'docs': {
        const names = await running.prepare(Number(request.args[0]));
        return names.map((name) => running.docTarget(name));
      }
      case 'targets':
        return (request.args[0] as string[]).map((name) => running.docTarget(name));
      case 'stat': {
        const stat = statOf(running);
        if ((request.args[0] as { resetPeak?: boolean } | undefined)?.resetPeak) resetPeakRss(running.pid);
        return stat;
      }
      case 'gc':
        process.kill(running.pid, 'SIGUSR2');
        await sleep(500);
        return statOf(running);
      case 'loopDelay': {
        // SIGWINCH toggles the preload's histogram (servers/signalProbes.ts); the reading is a file.
        const file = loopDelayFile(running.pid);
        const stop = request.args[0] === 'stop';
        if (stop) rmSync(file, { force: true });
        process.kill(running.pid, 'SIGWINCH');
        if (!stop) return null;
        for (let waited = 0; waited < 3000; waited += 20) {
          if (existsSync(file)) {
            const reading = JSON.parse(readFileSync(file, 'utf8')) as LoopDelayReading;
            rmSync(file, { force: true });
            return reading;
          }
          await sleep(20);
        }
        return null;
      }
      case 'restart': {
        const { strace, persistence } = (request.args[0] ?? {}) as { strace?: boolean; persistence?: boolean };
        const dataDir = running.dataDir ?? undefined;
        await controller.stop();
        running = await controller.start({ ...(dataDir ? { dataDir } : {}), strace: Boolean(strace), ...(persistence === false ? { persistence } : {}) });
        return null;
      }
      case 'trace': {
        if (!running.traceFile || !running.dataDir) return null;
        const { fromMs, toMs } = request.args[0] as { fromMs: number; toMs: number };
        return countStrace(readFileSync(running.traceFile, 'utf8'), { dataDir: running.dataDir, fromSec: fromMs / 1000, toSec: toMs / 1000 });
      }
      default:
        throw new Error(`unknown rpc ${String(request.method)}`);
    }
  };

  const job: LoadgenJob = { workload: workload.name, server: serverName, rep, settings, cacheDir };
  try {
    return await new Promise<WorkloadRun>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out after ${JOB_TIMEOUT_MS / 1000} s`)), JOB_TIMEOUT_MS);
      loadgen.on('message', (message: ChildMessage) => {
        if (message.kind === 'rpc') {
          const reply = (m: ParentMessage): void => {
            if (loadgen.connected) loadgen.send(m);
          };
          handle(message).then(
            (value) => reply({ kind: 'rpc-result', id: message.id, ok: true, value }),
            (error: unknown) => reply({ kind: 'rpc-result', id: message.id, ok: false, error: String(error) }),
          );
        } else if (message.kind === 'result') {
          clearTimeout(timer);
          resolve(message.run);
        } else {
          clearTimeout(timer);
          reject(new Error(message.error));
        }
      });
      loadgen.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`load generator exited with ${code} before reporting`));
      });
      loadgen.send({ kind: 'start', job } satisfies ParentMessage);
    });
  } finally {
    if (loadgen.pid !== undefined && isAlive(loadgen.pid) && loadgen.exitCode === null) {
      await Promise.race([new Promise((resolve) => loadgen.once('exit', resolve)), sleep(2000)]);
      if (loadgen.exitCode === null) loadgen.kill('SIGKILL');
    }
    unregisterPid(loadgen.pid);
    await controller.stop();
  }
}

function failedRun(workload: string, server: ServerName, rep: number, error: unknown): WorkloadRun {
  return {
    workload,
    server,
    rep,
    valid: false,
    invalidReasons: [`run failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`],
    loadgenCpu: 0,
    metrics: {},
    errors: 1,
    converged: null,
    notes: [],
    wallSeconds: 0,
  };
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 5000 }).trim();
  } catch {
    return null;
  }
}

/** `--render FILE`: rebuilds the report from a saved results JSON (no servers started). */
function renderSaved(file: string, writeDocs: boolean): void {
  const saved = JSON.parse(readFileSync(path.resolve(file), 'utf8')) as { meta: ReportMeta; runs: WorkloadRun[] };
  const report = buildReport(saved.runs, WORKLOADS, saved.meta);
  process.stdout.write(`${report.markdown}\n`);
  if (writeDocs) {
    const docs = path.join(REPO_ROOT, 'docs', 'PERFORMANCE.md');
    writeIntoDocs(docs, report.markdown);
    log(`table written into ${path.relative(REPO_ROOT, docs)}`);
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), process.env, WORKLOADS.map((w) => w.name));
  if (options.help) {
    log(USAGE);
    return;
  }
  if (options.render) {
    renderSaved(options.render, options.writeDocs);
    return;
  }
  const { settings } = options;
  const workloads = options.only ? WORKLOADS.filter((w) => options.only!.includes(w.name)) : [...WORKLOADS];
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'roundtable-bench-'));
  const cacheDir = path.join(os.tmpdir(), 'roundtable-bench-cache');
  // BENCH_KEEP_SCRATCH=1 keeps data directories and strace logs for inspection.
  if (process.env['BENCH_KEEP_SCRATCH'] === '1') log(`scratch directory (kept): ${scratch}`);
  else process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      log(`\n${signal}: stopping every server and generator`);
      process.exit(130);
    });
  }

  const runs: WorkloadRun[] = [];
  const unavailable = new Map<ServerName, string>();
  const started = performance.now();
  const elapsed = (): string => `${Math.round((performance.now() - started) / 1000)
    .toString()
    .padStart(4)} s`;
  let roundtableBuild: { source: string; builtAt: string } | null = null;
  if (options.servers.includes('roundtable') && workloads.some((w) => w.servers.includes('roundtable'))) {
    try {
      roundtableBuild = await snapshotRoundtable();
      log(`Roundtable under test: ${path.relative(REPO_ROOT, roundtableBuild.source) || '.'} built ${roundtableBuild.builtAt} (copied for this run)`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      unavailable.set('roundtable', message);
      log(`Roundtable skipped: ${message}`);
    }
  }
  log(`Roundtable bench: ${settings.quick ? 'QUICK smoke run' : 'full run'}, ${settings.reps} repetition(s), ${settings.durationS} s windows, ${settings.warmupS} s warm-up`);

  for (const workload of workloads) {
    const servers = workload.servers.filter((s) => options.servers.includes(s));
    for (let rep = 0; rep < settings.reps; rep++) {
      // Alternate the order so that neither side always runs on a warmer (or more tired) machine.
      const order = rep % 2 === 0 ? servers : [...servers].reverse();
      for (const server of order) {
        if (unavailable.has(server)) continue;
        log(`[${elapsed()}] ${workload.name} · rep ${rep + 1}/${settings.reps} · ${server}`);
        try {
          const run = await runJob(server, workload, rep, settings, scratch, cacheDir);
          runs.push(run);
          const headline = workload.metrics
            .filter((m) => !m.hidden)
            .slice(0, 3)
            .map((m) => `${m.key}=${run.metrics[m.key] ?? '—'}`)
            .join(' ');
          log(`           ${run.valid ? 'ok' : 'INVALID'} in ${run.wallSeconds} s · gen CPU ${Math.round(run.loadgenCpu * 100)}% · errors ${run.errors} · ${headline}${run.invalidReasons.length ? ` · ${run.invalidReasons.join('; ')}` : ''}`);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          log(`           FAILED: ${message.split('\n').slice(0, 6).join('\n           ')}`);
          runs.push(failedRun(workload.name, server, rep, error));
        }
      }
    }
  }

  const totalSeconds = Math.round((performance.now() - started) / 1000);
  const cpu = os.cpus();
  const when = new Date();
  const meta: ReportMeta = {
    date: when.toISOString(),
    commit: gitCommit(),
    node: process.version,
    cpus: cpu.length,
    cpuModel: cpu[0]?.model ?? null,
    totalSeconds,
    settings,
    servers: options.servers,
    only: options.only,
    unavailable: Object.fromEntries(unavailable),
    roundtableBuild,
  };
  const report = buildReport(runs, workloads, meta);
  process.stdout.write(`\n${report.markdown}\n`);

  const resultsDir = path.join(REPO_ROOT, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${when.toISOString().replace(/[:.]/g, '-')}.json`);
  const json = {
    meta,
    summary: report.rows.map((r) => ({ workload: r.workload, metric: r.spec.key, label: r.spec.label, unit: r.spec.unit, values: r.values, best: r.best, ratio: r.ratio, target: r.spec.target ?? null, met: r.met })),
    health: report.health,
    runs,
  };
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  log(`results: ${path.relative(REPO_ROOT, file)}`);
  if (options.writeDocs) {
    const docs = path.join(REPO_ROOT, 'docs', 'PERFORMANCE.md');
    writeIntoDocs(docs, report.markdown);
    log(`table written into ${path.relative(REPO_ROOT, docs)}`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
