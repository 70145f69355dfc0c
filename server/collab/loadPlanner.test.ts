import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { WorkerLoadPlanner } from './loadPlanner.js';
import type { SyncPlan } from './updateSlices.js';

describe('WorkerLoadPlanner', () => {
  // Under vitest the worker module (compiled loadWorker.js) does not exist next to the sources:
  // exactly the case of a worker that cannot start. Loading must not fail because of it.
  it('LOAD-3, COMPACT-2: plans, merges and snapshots in-process, correctly, when the worker cannot run', async () => {
    const errors: Error[] = [];
    const planner = new WorkerLoadPlanner((error) => errors.push(error));
    const source = new Y.Doc();
    source.getText('t').insert(0, 'hello world');
    const snapshot = Y.encodeStateAsUpdate(source);
    const tail: Uint8Array[] = [];
    source.on('update', (update: Uint8Array) => tail.push(update));
    source.getText('t').delete(0, 6);
    let sync: SyncPlan | null = null;
    const slices = await planner.plan([snapshot, ...tail], (s) => (sync = s));
    expect(errors.length).toBeGreaterThan(0);
    expect(sync!.stateVector).toEqual(Y.encodeStateVector(source));
    const built = new Y.Doc();
    for (const slice of slices) Y.applyUpdate(built, slice);
    expect(built.getText('t').toString()).toBe('world');
    const merged = new Y.Doc();
    Y.applyUpdate(merged, await planner.merge([snapshot, ...tail]));
    expect(merged.getText('t').toString()).toBe('world');
    const compacted = new Y.Doc();
    Y.applyUpdate(compacted, await planner.snapshot([snapshot, ...tail]));
    expect(compacted.getText('t').toString()).toBe('world');
    await planner.close();
  });
});
