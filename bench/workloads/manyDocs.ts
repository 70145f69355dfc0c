import { fanoutWorkload } from './fanout.js';

/** Workload 1: many small rooms, the everyday shape of a busy server. */
export const manyDocs = fanoutWorkload(
  'many-docs',
  'Many documents',
  '50 documents × 4 clients × 2 edits/s (400 edits/s in, 1,200 deliveries/s out)',
  { docs: 50, clientsPerDoc: 4, editsPerSecond: 2, paragraphs: 4 },
);
