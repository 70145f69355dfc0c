import { fanoutWorkload } from './fanout.js';

/** Workload 2: one crowded document, where per-delivery cost dominates (100 in, ~9,900 out). */
export const hotDoc = fanoutWorkload(
  'hot-doc',
  'Hot document',
  '1 document × 100 clients × 1 edit/s (100 edits/s in, 9,900 deliveries/s out)',
  { docs: 1, clientsPerDoc: 100, editsPerSecond: 1, paragraphs: 10 },
);
