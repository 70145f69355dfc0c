import type { ServerName } from '../types.js';
import { baselineServer } from './baselines.js';
import { roundtableServer } from './roundtable.js';
import type { BenchServer } from './types.js';

/** A fresh controller for one server kind; `scratchDir` holds data directories and traces. */
export function createBenchServer(name: ServerName, scratchDir: string): BenchServer {
  return name === 'roundtable' ? roundtableServer(scratchDir) : baselineServer(name);
}
