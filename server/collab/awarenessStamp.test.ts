import { describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { stampAwarenessUpdate } from './awarenessStamp.js';

const me = { id: 'u1', name: 'Ana', color: '#1f5fa8' };

function update(entries: Array<[number, number, unknown]>): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const [id, clock, state] of entries) {
    encoding.writeVarUint(encoder, id);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, JSON.stringify(state));
  }
  return encoding.toUint8Array(encoder);
}

function entries(bytes: Uint8Array): Array<[number, number, unknown]> {
  const decoder = decoding.createDecoder(bytes);
  const count = decoding.readVarUint(decoder);
  return Array.from({ length: count }, () => [decoding.readVarUint(decoder), decoding.readVarUint(decoder), JSON.parse(decoding.readVarString(decoder))]);
}

describe('awareness stamping', () => {
  it('SEC-7: the user field is replaced by the account, the rest of the state is kept', () => {
    const stamped = stampAwarenessUpdate(update([[7, 3, { user: { name: 'Mallory', color: '#000000', id: 'u2' }, cursor: { anchor: 5 } }]]), me, () => true)!;
    expect(stamped.changed).toBe(true);
    expect(entries(stamped.update)).toEqual([[7, 3, { user: me, cursor: { anchor: 5 } }]]);
  });

  it('SEC-7: an update already carrying exactly the stamp is returned as is (relayed without re-encoding)', () => {
    const bytes = update([[7, 3, { user: { id: 'u1', name: 'Ana', color: '#1f5fa8' } }], [7, 4, null]]);
    const stamped = stampAwarenessUpdate(bytes, me, () => true)!;
    expect(stamped.changed).toBe(false);
    expect(stamped.update).toBe(bytes);
  });

  it('SEC-7: entries for client ids the sender may not use, and non-object states, are dropped', () => {
    const stamped = stampAwarenessUpdate(update([[1, 1, { a: 1 }], [2, 1, { b: 2 }], [3, 1, 'text'], [4, 1, [1]]]), me, (id) => id !== 2)!;
    expect(entries(stamped.update)).toEqual([[1, 1, { a: 1, user: me }]]);
    expect(stampAwarenessUpdate(update([[2, 1, { b: 2 }]]), me, () => false)).toBeNull();
  });

  it('SEC-7: a malformed update throws (the connection is then closed with 4400)', () => {
    expect(() => stampAwarenessUpdate(Uint8Array.from([1, 7, 1, 3, 0x7b]), me, () => true)).toThrow();
    expect(() => stampAwarenessUpdate(Uint8Array.from([5]), me, () => true)).toThrow();
    expect(() => stampAwarenessUpdate(Uint8Array.from([...update([[1, 1, null]]), 9]), me, () => true)).toThrow(/trailing/);
  });
});
