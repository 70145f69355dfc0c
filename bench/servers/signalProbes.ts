import { renameSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { loopDelayFile } from './loopDelayFile.js';

/**
 * Preloaded into every server process the suite starts (`node --expose-gc --import <this>`), so
 * that the same probes exist in all three servers without touching any server's code:
 *
 * - SIGUSR2 runs a full garbage collection: the idle-footprint workload reads RSS "after GC".
 * - SIGWINCH toggles an event-loop delay histogram (`monitorEventLoopDelay`, 5 ms resolution):
 *   the first signal starts it, the second writes `{ maxMs, p99Ms, meanMs, count }` to
 *   `loopDelayFile(pid)` and stops it. The cold-load workload brackets each load with it: the
 *   delay of the server's main loop is what every other document waits (issue 5). It only runs
 *   between the two signals, so it costs the other workloads nothing.
 */
process.on('SIGUSR2', () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
});

let histogram: IntervalHistogram | null = null;

process.on('SIGWINCH', () => {
  if (histogram === null) {
    histogram = monitorEventLoopDelay({ resolution: 5 });
    histogram.enable();
    return;
  }
  histogram.disable();
  const ns = 1e6;
  const result = { maxMs: histogram.max / ns, p99Ms: histogram.percentile(99) / ns, meanMs: histogram.mean / ns, count: histogram.count };
  histogram = null;
  // Written aside and renamed, so the orchestrator never reads half a file.
  const file = loopDelayFile(process.pid);
  writeFileSync(`${file}.tmp`, JSON.stringify(result));
  renameSync(`${file}.tmp`, file);
});

