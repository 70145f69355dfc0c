import { coldLoad } from './coldLoad.js';
import { connectStorm } from './connectStorm.js';
import { hotDoc } from './hotDoc.js';
import { idleFootprint } from './idleFootprint.js';
import { manyDocs } from './manyDocs.js';
import { persistence } from './persistence.js';
import { presence } from './presence.js';
import type { WorkloadDescriptor } from './types.js';

/** Every workload of issue 5, in the order they run and appear in the table. */
export const WORKLOADS: readonly WorkloadDescriptor[] = [manyDocs, hotDoc, coldLoad, connectStorm, idleFootprint, persistence, presence];

export function workloadByName(name: string): WorkloadDescriptor {
  const found = WORKLOADS.find((w) => w.name === name);
  if (!found) throw new Error(`unknown workload "${name}" (known: ${WORKLOADS.map((w) => w.name).join(', ')})`);
  return found;
}
