import { SERVER_NAMES } from '../types.js';
import { fanoutMetricSpecs, runFanout } from './fanout.js';
import type { WorkloadDescriptor } from './types.js';

/** Workload 1: many small rooms, the everyday shape of a busy server. */
export const manyDocs: WorkloadDescriptor = {
  name: 'many-docs',
  title: 'Many documents',
  shape: '50 documents × 4 clients × 2 edits/s (400 edits/s in, 1,200 deliveries/s out)',
  servers: SERVER_NAMES,
  metrics: fanoutMetricSpecs({
    p99: { maxRatio: 1.0, text: '≤ 1.0× best' },
    cpu: { maxRatio: 0.7, text: '≤ 0.7× best' },
  }),
  async run(ctx) {
    const { settings } = ctx;
    const result = await runFanout(ctx, { docs: 50, clientsPerDoc: 4, editsPerSecond: 2, paragraphs: 4 }, { warmupS: settings.warmupS, durationS: settings.durationS });
    return { metrics: result.metrics, loadgenCpu: result.window.loadgenCpu, converged: result.converged };
  },
};
