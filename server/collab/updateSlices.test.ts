import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { planLoad, type SliceLimits } from './updateSlices.js';

/** Same state vector, same delete set and same content: the two documents are one. */
function expectSameDocument(actual: Y.Doc, expected: Y.Doc): void {
  expect(Y.decodeStateVector(Y.encodeStateVector(actual))).toEqual(Y.decodeStateVector(Y.encodeStateVector(expected)));
  expect(Y.equalSnapshots(Y.snapshot(actual), Y.snapshot(expected))).toBe(true);
  expect(actual.getXmlFragment('default').toString()).toBe(expected.getXmlFragment('default').toString());
  expect(actual.getMap('meta').toJSON()).toEqual(expected.getMap('meta').toJSON());
}

/** Applies a plan's slices one by one; none may leave Yjs with structs it cannot integrate yet. */
function buildFromSlices(slices: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  for (const slice of slices) {
    Y.applyUpdate(doc, slice);
    expect(doc.store.pendingStructs).toBeNull();
  }
  expect(doc.store.pendingDs).toBeNull();
  return doc;
}

/** A deterministic PRNG, so a failing case can be replayed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A document written by `authors` replicas that edit concurrently and sync now and then: items
 * of one client have origins, right origins and parents in other clients' later clock ranges,
 * there are deletions (inside and across paragraphs), paragraphs and map entries.
 */
function multiAuthorDocument(authors: number, rounds: number, seed: number): Y.Doc {
  const random = prng(seed);
  // Client ids chosen so that the lowest id writes last: a client order alone is not causal.
  const replicas = Array.from({ length: authors }, (_, i) => {
    const doc = new Y.Doc();
    doc.clientID = 1000 - i * 7;
    return doc;
  });
  const syncAll = (): void => {
    for (const a of replicas) for (const b of replicas) if (a !== b) Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  };
  for (let round = 0; round < rounds; round++) {
    for (const doc of replicas) {
      const fragment = doc.getXmlFragment('default');
      const roll = random();
      if (fragment.length === 0 || roll < 0.15) {
        const paragraph = new Y.XmlElement('paragraph');
        fragment.insert(Math.floor(random() * (fragment.length + 1)), [paragraph]);
        paragraph.insert(0, [new Y.XmlText(`p${round} `)]);
      } else if (roll < 0.25) {
        doc.getMap('meta').set(`k${Math.floor(random() * 5)}`, round);
      } else if (roll < 0.35 && fragment.length > 2) {
        fragment.delete(Math.floor(random() * fragment.length), 1);
      } else {
        const paragraph = fragment.get(Math.floor(random() * fragment.length)) as Y.XmlElement;
        const text = paragraph.get(0) as Y.XmlText | undefined;
        if (!text) continue;
        if (random() < 0.2 && text.length > 3) text.delete(Math.floor(random() * (text.length - 2)), 2);
        else text.insert(Math.floor(random() * (text.length + 1)), `w${round}.${doc.clientID} `);
      }
    }
    if (random() < 0.3) syncAll();
  }
  syncAll();
  return replicas[0]!;
}

const tiny: SliceLimits = { maxStructs: 3, maxBytes: 64 };

describe('loading a document in slices (updateSlices)', () => {
  it('LOAD-3: a single-client document with deletions built from slices equals one loaded at once', () => {
    const source = new Y.Doc();
    const fragment = source.getXmlFragment('default');
    for (let i = 0; i < 40; i++) {
      const paragraph = new Y.XmlElement('paragraph');
      fragment.insert(fragment.length, [paragraph]);
      paragraph.insert(0, [new Y.XmlText(`line ${i} with some words`)]);
      if (i % 5 === 0) (paragraph.get(0) as Y.XmlText).delete(2, 4);
    }
    fragment.delete(3, 2);
    const stored = Y.encodeStateAsUpdate(source);
    const plan = planLoad([stored], tiny);
    expect(plan.slices.length).toBeGreaterThan(10);
    expect(plan.merged).toBeNull();
    expect(plan.stateVector).toEqual(Y.encodeStateVector(source));
    const atOnce = new Y.Doc();
    Y.applyUpdate(atOnce, stored);
    expectSameDocument(buildFromSlices(plan.slices), atOnce);
  });

  it('LOAD-3: multi-client documents with cross-client dependencies and deletions built from slices equal one loaded at once', () => {
    for (const seed of [1, 2, 3]) {
      const source = multiAuthorDocument(4, 80, seed);
      const stored = Y.encodeStateAsUpdate(source);
      for (const limits of [tiny, { maxStructs: 1, maxBytes: 1 }, { maxStructs: 50, maxBytes: 4096 }]) {
        const plan = planLoad([stored], limits);
        expect(plan.stateVector).toEqual(Y.encodeStateVector(source));
        expectSameDocument(buildFromSlices(plan.slices), source);
      }
    }
  }, 60_000);

  it('LOAD-3: a snapshot followed by log records is merged once and sliced like a single record', () => {
    const source = multiAuthorDocument(3, 60, 11);
    const snapshot = Y.encodeStateAsUpdate(source);
    const tail: Uint8Array[] = [];
    source.on('update', (update: Uint8Array) => tail.push(update));
    const fragment = source.getXmlFragment('default');
    for (let i = 0; i < 10; i++) (fragment.get(0) as Y.XmlElement).insert(0, [new Y.XmlText(`late ${i}`)]);
    fragment.delete(1, 1);
    const plan = planLoad([snapshot, ...tail], tiny);
    expect(plan.merged).not.toBeNull();
    const fromMerged = new Y.Doc();
    Y.applyUpdate(fromMerged, plan.merged!);
    expectSameDocument(fromMerged, source);
    expect(plan.stateVector).toEqual(Y.encodeStateVector(source));
    expectSameDocument(buildFromSlices(plan.slices), source);
  });

  it('LOAD-3: an empty document plans to an empty state vector and applies cleanly', () => {
    const plan = planLoad([]);
    expect(Y.decodeStateVector(plan.stateVector).size).toBe(0);
    const doc = buildFromSlices(plan.slices);
    expect(doc.store.clients.size).toBe(0);
  });
});
