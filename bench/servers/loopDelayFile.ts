import os from 'node:os';
import path from 'node:path';

/** Where a server process writes its event-loop delay reading (signalProbes.ts, read by run.ts). */
export function loopDelayFile(pid: number): string {
  return path.join(os.tmpdir(), `roundtable-bench-loop-delay-${pid}.json`);
}

export interface LoopDelayReading {
  maxMs: number;
  p99Ms: number;
  meanMs: number;
  count: number;
}
