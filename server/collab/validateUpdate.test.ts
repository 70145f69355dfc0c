import * as encoding from 'lib0/encoding';
import * as prng from 'lib0/prng';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  DECODE_BOMBS,
  expectedOperations,
  manyDeletionsUpdate,
  manyStructsUpdate,
  mutate,
  sampleUpdates,
} from '../../tests/helpers/fuzzInputs.js';
import { MAX_VALUE_DEPTH, UpdateTooLargeError, scanUpdate, validateUpdate } from './validateUpdate.js';

const SEED = Number(process.env.FUZZ_SEED ?? 687);
const MUTATIONS = Number(process.env.FUZZ_MUTATIONS ?? 20_000);

describe('checking untrusted updates before they are applied', () => {
  it('FUZZ-1: every update Yjs encodes is accepted, and the scan counts exactly its structs, deletions and values', () => {
    const updates = sampleUpdates();
    expect(updates.length).toBeGreaterThan(10);
    for (const update of updates) {
      expect(scanUpdate(update)).toBe(expectedOperations(update));
      expect(() => validateUpdate(update, 100_000)).not.toThrow();
    }
  });

  it(`FUZZ-2: seeded mutations of valid updates (seed ${SEED}): whatever the check accepts is applied whole or not at all, to an empty and to a full document`, () => {
    const gen = prng.create(SEED);
    const updates = sampleUpdates();
    const full = updates.at(-1)!;
    let accepted = 0;
    let appliedWhole = 0;
    for (let i = 0; i < MUTATIONS; i++) {
      const mutated = mutate(gen, prng.oneOf(gen, updates));
      try {
        validateUpdate(mutated, 100_000);
      } catch {
        continue; // refused before Yjs saw it: nothing applied
      }
      accepted++;
      for (const start of [null, full]) {
        const doc = new Y.Doc();
        if (start) Y.applyUpdate(doc, start);
        const before = Y.encodeStateAsUpdate(doc);
        const emitted: Uint8Array[] = [];
        doc.on('update', (update: Uint8Array) => emitted.push(update));
        try {
          Y.applyUpdate(doc, mutated);
          appliedWhole++;
        } catch {
          // Yjs may still refuse content while reading the structs (bad UTF-8 or JSON); it does so
          // before integrating anything: the document and what the room would store are untouched.
          expect(Buffer.from(Y.encodeStateAsUpdate(doc)).equals(Buffer.from(before)), `mutation ${i} of seed ${SEED} was half-applied`).toBe(true);
          expect(emitted, `mutation ${i} of seed ${SEED} emitted an update`).toEqual([]);
        }
        doc.destroy();
      }
    }
    // Some mutations (a changed character, a changed clock) are still valid updates.
    expect(accepted).toBeGreaterThan(0);
    expect(appliedWhole).toBeGreaterThan(0);
    if (process.env.FUZZ_MUTATIONS) console.log(`FUZZ-2: seed ${SEED}, ${MUTATIONS} mutations, ${accepted} accepted, ${appliedWhole} applications whole`);
  }, 600_000);

  it.each(DECODE_BOMBS)('FUZZ-2: the decode bomb "%s" is refused as a V1 update', (_name, bytes) => {
    expect(() => validateUpdate(bytes, 100_000)).toThrow();
    // Whatever the limit: the scan refuses it from its grammar alone.
    expect(() => scanUpdate(bytes)).toThrow(RangeError);
  });

  it('FUZZ-3: an update with more operations than allowed is refused by the scan, which builds nothing', () => {
    expect(scanUpdate(manyStructsUpdate(1000))).toBe(1000);
    expect(() => validateUpdate(manyStructsUpdate(1001), 1000)).toThrow(UpdateTooLargeError);
    expect(() => validateUpdate(manyDeletionsUpdate(1001), 1000)).toThrow(UpdateTooLargeError);
    // A count that claims billions of structs stops at the limit or at the end of the input.
    expect(() => scanUpdate(manyStructsUpdate(10, 2 ** 40), 1000)).toThrow(RangeError);
    expect(() => scanUpdate(manyStructsUpdate(5000, 2 ** 40), 1000)).toThrow(UpdateTooLargeError);
    // 8 million one-byte structs (15 MiB) are refused after reading the first thousand.
    expect(() => scanUpdate(manyStructsUpdate(8_000_000), 1000)).toThrow(UpdateTooLargeError);
  });

  it('FUZZ-3: values nested deeper than the model needs, sub-documents and trailing bytes are refused', () => {
    const deep = new Y.Doc();
    let value: unknown = 'leaf';
    for (let i = 0; i <= MAX_VALUE_DEPTH; i++) value = [value];
    deep.getArray('a').insert(0, [value]);
    expect(() => scanUpdate(Y.encodeStateAsUpdate(deep))).toThrow(/nested deeper/);

    const withSubdoc = new Y.Doc();
    withSubdoc.getMap('m').set('sub', new Y.Doc());
    expect(() => scanUpdate(Y.encodeStateAsUpdate(withSubdoc))).toThrow(/sub-documents/);

    const valid = sampleUpdates()[0]!;
    const encoder = encoding.createEncoder();
    encoding.writeUint8Array(encoder, valid);
    encoding.writeUint8(encoder, 0);
    expect(() => scanUpdate(encoding.toUint8Array(encoder))).toThrow(/after the update's delete set/);
  });
});
