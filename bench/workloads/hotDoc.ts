import { SERVER_NAMES } from '../types.js';
import { fanoutMetricSpecs, runFanout } from './fanout.js';
import type { WorkloadDescriptor } from './types.js';

/** Workload 2: one crowded document, where per-delivery cost dominates (100 in, ~9,900 out). */
export const hotDoc: WorkloadDescriptor = {
  name: 'hot-doc',
  title: 'Hot document',
  shape: '1 document × 100 clients × 1 edit/s (100 edits/s in, 9,900 deliveries/s out)',
  servers: SERVER_NAMES,
  metrics: fanoutMetricSpecs({
    p99: { maxRatio: 1.0, text: '≤ 1.0× best' },
    cpu: { maxRatio: 0.7, text: '≤ 0.7× best' },
  }),
  async run(ctx) {
    const { settings } = ctx;
    const result = await runFanout(ctx, { docs: 1, clientsPerDoc: 100, editsPerSecond: 1, paragraphs: 10 }, { warmupS: settings.warmupS, durationS: settings.durationS });
    return { metrics: result.metrics, loadgenCpu: result.window.loadgenCpu, converged: result.converged };
  },
};
