import { performance } from 'node:perf_hooks';
import type { ChildMessage, LoadgenJob, ParentMessage, WorkloadRun } from '../types.js';
import { workloadByName } from '../workloads/index.js';
import { createIpcControl } from './control.js';
import { ErrorLog, Recorder } from './session.js';

/**
 * The load-generator process (forked by bench/run.ts, one per workload × server × repetition).
 * It runs in its own process so that its CPU never counts as the server's and so that its own
 * saturation can be detected: above ~85% of one core over a measured window, the run is marked
 * invalid, because the latencies would then measure the generator, not the server.
 */
const LOADGEN_CPU_LIMIT = 0.85;

const control = createIpcControl();

function send(message: ChildMessage): void {
  process.send!(message);
}

async function run(job: LoadgenJob): Promise<WorkloadRun> {
  const workload = workloadByName(job.workload);
  const started = performance.now();
  const notes: string[] = [];
  const errors = new ErrorLog();
  const output = await workload.run({
    server: job.server,
    settings: job.settings,
    ctl: control,
    recorder: new Recorder(),
    errors,
    cacheDir: job.cacheDir,
    notes,
  });
  const invalidReasons: string[] = [];
  if (output.loadgenCpu > LOADGEN_CPU_LIMIT) {
    invalidReasons.push(`load generator at ${Math.round(output.loadgenCpu * 100)}% of a core (limit ${LOADGEN_CPU_LIMIT * 100}%)`);
  }
  if (errors.samples.length > 0) notes.push(...errors.samples.slice(0, 5));
  return {
    workload: job.workload,
    server: job.server,
    rep: job.rep,
    valid: invalidReasons.length === 0,
    invalidReasons,
    loadgenCpu: Math.round(output.loadgenCpu * 1000) / 1000,
    metrics: output.metrics,
    errors: errors.count,
    converged: output.converged,
    notes,
    wallSeconds: Math.round((performance.now() - started) / 100) / 10,
  };
}

process.on('message', (message: ParentMessage) => {
  if (message.kind === 'start') {
    run(message.job).then(
      (result) => {
        send({ kind: 'result', run: result });
        // Sockets are closed by the workload; exit promptly even if a timer is left behind.
        setTimeout(() => process.exit(0), 100).unref();
      },
      (error: unknown) => {
        send({ kind: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
        setTimeout(() => process.exit(1), 100).unref();
      },
    );
    return;
  }
  control.dispatch(message);
});

// The orchestrator going away must not leave a generator hammering a server.
process.on('disconnect', () => process.exit(2));
