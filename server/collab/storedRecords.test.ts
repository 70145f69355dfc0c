import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { snapshotOfRecords } from './storedRecords.js';

function recorded(doc: Y.Doc): Uint8Array[] {
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  return updates;
}

describe('snapshotOfRecords', () => {
  it('COMPACT-2: a snapshot of stored records is their document with deleted content collected', () => {
    const source = new Y.Doc();
    const records = recorded(source);
    source.getText('t').insert(0, 'hello '.repeat(200) + 'world');
    source.getText('t').delete(0, 1200);
    const snapshot = snapshotOfRecords(records);
    const loaded = new Y.Doc();
    Y.applyUpdate(loaded, snapshot);
    expect(loaded.getText('t').toString()).toBe('world');
    expect(Y.encodeStateVector(loaded)).toEqual(Y.encodeStateVector(source));
    expect(snapshot.byteLength).toBeLessThan(Y.mergeUpdates(records).byteLength / 4);
  });

  it('COMPACT-2: records still waiting for what they build on are kept in the snapshot, never dropped', () => {
    const alice = new Y.Doc();
    const aliceRecords = recorded(alice);
    alice.getText('t').insert(0, 'from alice');
    const bob = new Y.Doc();
    Y.applyUpdate(bob, aliceRecords[0]!);
    const bobRecords = recorded(bob);
    bob.getText('t').insert(10, ', and bob');
    bob.getText('t').delete(0, 5);
    // Bob's records without Alice's: Yjs keeps them aside as pending.
    const snapshot = snapshotOfRecords(bobRecords);
    const loaded = new Y.Doc();
    Y.applyUpdate(loaded, snapshot);
    Y.applyUpdate(loaded, aliceRecords[0]!);
    expect(loaded.store.pendingStructs).toBeNull();
    expect(loaded.store.pendingDs).toBeNull();
    expect(loaded.getText('t').toString()).toBe(bob.getText('t').toString());
  });
});
