import { parentPort } from 'node:worker_threads';
import * as Y from 'yjs';
import { snapshotOfRecords } from './storedRecords.js';
import { planLoad } from './updateSlices.js';
import type { PlanReply, PlanRequest } from './loadPlanner.js';

/**
 * Worker thread of the load planner (loadPlanner.ts): decodes a large document's stored records
 * and cuts them into slices (updateSlices.ts) off the main event loop, which meanwhile keeps
 * serving every other document. Two replies per plan: the sync part (state vector, merged
 * records) as soon as it is decoded, then the slices; one per merge and per snapshot. Buffers are transferred,
 * not copied.
 */
parentPort?.on('message', (request: PlanRequest) => {
  try {
    if (request.kind === 'merge' || request.kind === 'snapshot') {
      const single = request.kind === 'merge' ? Y.mergeUpdates(request.records as Uint8Array[]) : snapshotOfRecords(request.records);
      post({ id: request.id, single }, [single]);
      return;
    }
    const plan = planLoad(request.records, request.limits, (sync) => {
      // The merged bytes are copied: the decoded structs still point into them (binary content).
      const merged = sync.merged?.slice() ?? null;
      post({ id: request.id, sync: { stateVector: sync.stateVector, merged } }, [sync.stateVector, ...(merged ? [merged] : [])]);
    });
    post({ id: request.id, slices: plan.slices }, plan.slices);
  } catch (error) {
    post({ id: request.id, error: error instanceof Error ? error.message : String(error) }, []);
  }
});

function post(reply: PlanReply, buffers: Uint8Array[]): void {
  // A buffer listed twice (two views of one ArrayBuffer) would make postMessage throw.
  parentPort!.postMessage(reply, [...new Set(buffers.map((bytes) => bytes.buffer as ArrayBuffer))]);
}
