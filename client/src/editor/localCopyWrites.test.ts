import * as Y from 'yjs';
import type { IndexeddbPersistence } from 'y-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { batchRemoteWrites, REMOTE_WRITE_AT_ONCE_BYTES, REMOTE_WRITE_DELAY_MS } from './localCopyWrites.js';

const PROVIDER = { name: 'provider' };

/** A Y.Doc with a stand-in persistence that records what it is asked to store. */
function setup() {
  const ydoc = new Y.Doc();
  const stored: Array<{ update: Uint8Array; origin: unknown }> = [];
  const persistence = {
    _destroyed: false,
    _storeUpdate: (update: Uint8Array, origin: unknown) => void stored.push({ update, origin }),
  };
  // As y-indexeddb's constructor does.
  ydoc.on('update', persistence._storeUpdate);
  const stop = batchRemoteWrites(persistence as unknown as IndexeddbPersistence, ydoc, (origin) => origin === PROVIDER);
  /** A change made by another person: built in their doc, applied with the provider as origin. */
  const remote = (text: string): void => {
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(ydoc));
    const before = Y.encodeStateVector(other);
    other.getText('t').insert(0, text);
    Y.applyUpdate(ydoc, Y.encodeStateAsUpdate(other, before), PROVIDER);
  };
  /** The document as the stored updates rebuild it. */
  const restored = (): string => {
    const copy = new Y.Doc();
    for (const { update } of stored) Y.applyUpdate(copy, update);
    return copy.getText('t').toString();
  };
  return { ydoc, stored, persistence, stop, remote, restored };
}

describe('batchRemoteWrites', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('VIEW-3: the person’s own edits are stored at once, one by one, as y-indexeddb does', () => {
    const { ydoc, stored, restored } = setup();
    ydoc.getText('t').insert(0, 'a');
    ydoc.getText('t').insert(1, 'b');
    expect(stored).toHaveLength(2);
    expect(restored()).toBe('ab');
  });

  it('VIEW-3: others’ updates are stored merged, once per batch window, and nothing is lost', () => {
    const { stored, remote, restored } = setup();
    for (const char of 'hello') remote(char);
    expect(stored).toHaveLength(0);
    vi.advanceTimersByTime(REMOTE_WRITE_DELAY_MS);
    expect(stored).toHaveLength(1);
    expect(restored()).toBe('olleh');
    remote('!');
    vi.advanceTimersByTime(REMOTE_WRITE_DELAY_MS);
    expect(stored).toHaveLength(2);
    expect(restored()).toBe('!olleh');
  });

  it('VIEW-3: a big received update (a document’s first content) is stored at once, with what waited before it', () => {
    const { stored, remote, restored } = setup();
    remote('x');
    remote('y'.repeat(REMOTE_WRITE_AT_ONCE_BYTES));
    expect(stored).toHaveLength(1);
    expect(restored()).toBe(`${'y'.repeat(REMOTE_WRITE_AT_ONCE_BYTES)}x`);
  });

  it('VIEW-3: stopping stores what waits; discarding (a copy about to be deleted) or a destroyed persistence stores nothing', () => {
    const first = setup();
    first.remote('kept');
    first.stop();
    expect(first.restored()).toBe('kept');
    first.ydoc.getText('t').insert(0, '?');
    // After stopping, y-indexeddb's own handler is not put back: the session is closing.
    expect(first.stored).toHaveLength(1);

    const second = setup();
    second.remote('dropped');
    second.stop({ discard: true });
    expect(second.stored).toHaveLength(0);

    const third = setup();
    third.remote('late');
    third.persistence._destroyed = true;
    vi.advanceTimersByTime(REMOTE_WRITE_DELAY_MS);
    expect(third.stored).toHaveLength(0);
  });
});
