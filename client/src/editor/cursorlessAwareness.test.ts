import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { CARET_REDRAW_INTERVAL_MS, withoutLocalCursor, withoutRepeatedCursor } from './cursorlessAwareness.js';
import { manualFrames } from './testing/manualFrames.js';

describe('withoutLocalCursor', () => {
  it('publishes the user but never a cursor', () => {
    const awareness = new Awareness(new Y.Doc());
    const readOnly = withoutLocalCursor(awareness);
    readOnly.setLocalStateField('user', { id: 'u1', name: 'Ana', color: '#0f766e' });
    readOnly.setLocalStateField('cursor', { anchor: {}, head: {} });
    expect(awareness.getLocalState()).toEqual({ user: { id: 'u1', name: 'Ana', color: '#0f766e' } });
    awareness.destroy();
  });

  it('removes a cursor published before it was wrapped', () => {
    const awareness = new Awareness(new Y.Doc());
    awareness.setLocalStateField('cursor', { anchor: {}, head: {} });
    withoutLocalCursor(awareness);
    expect(awareness.getLocalState()?.['cursor']).toBeNull();
    awareness.destroy();
  });

  it('passes everything else through: states, client id, events', () => {
    const awareness = new Awareness(new Y.Doc());
    const readOnly = withoutLocalCursor(awareness);
    expect(readOnly.clientID).toBe(awareness.clientID);
    expect(readOnly.getStates()).toBe(awareness.getStates());
    const seen: string[] = [];
    const listener = () => seen.push('change');
    readOnly.on('change', listener);
    awareness.setLocalStateField('user', { name: 'Ana', color: '#0f766e' });
    readOnly.off('change', listener);
    awareness.setLocalStateField('user', { name: 'Bo', color: '#0f766e' });
    expect(seen).toEqual(['change']);
    awareness.destroy();
  });
});

describe('withoutRepeatedCursor', () => {
  const caret = (doc: Y.Doc, index: number) => {
    const text = doc.getText('t');
    return { anchor: Y.createRelativePositionFromTypeIndex(text, index), head: Y.createRelativePositionFromTypeIndex(text, index) };
  };

  it('VIEW-2: a caret that did not move is not published again; a moved, new or removed caret is', () => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'hello world');
    const awareness = new Awareness(doc);
    const updates: number[] = [];
    awareness.on('update', () => updates.push(awareness.getLocalState()?.['cursor'] === null ? 0 : 1));
    const editable = withoutRepeatedCursor(awareness);
    editable.setLocalStateField('cursor', caret(doc, 3));
    expect(updates).toHaveLength(1);
    // The same relative position, built again (what y-tiptap does after every remote change).
    editable.setLocalStateField('cursor', caret(doc, 3));
    expect(updates).toHaveLength(1);
    // A remote insertion elsewhere does not move a relative position either.
    doc.getText('t').insert(11, '!');
    editable.setLocalStateField('cursor', caret(doc, 3));
    expect(updates).toHaveLength(1);
    editable.setLocalStateField('cursor', caret(doc, 4));
    expect(updates).toHaveLength(2);
    editable.setLocalStateField('cursor', null);
    editable.setLocalStateField('cursor', caret(doc, 4));
    expect(updates).toEqual([1, 1, 0, 1]);
    // Other fields pass through untouched, even when equal.
    editable.setLocalStateField('user', { name: 'Ana', color: '#0f766e' });
    editable.setLocalStateField('user', { name: 'Ana', color: '#0f766e' });
    expect(updates).toHaveLength(6);
    awareness.destroy();
  });
});

describe('withoutRepeatedCursor with frames', () => {
  const caret = (doc: Y.Doc, index: number) => {
    const text = doc.getText('t');
    return { anchor: Y.createRelativePositionFromTypeIndex(text, index), head: Y.createRelativePositionFromTypeIndex(text, index) };
  };

  it('VIEW-5: a moved caret is published after the next frame, once, at its latest position; a removed one at once', () => {
    const { clock: frames, frame } = manualFrames();
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'hello world');
    const awareness = new Awareness(doc);
    const published: unknown[] = [];
    awareness.on('update', () => published.push(awareness.getLocalState()?.['cursor'] ?? null));
    const editable = withoutRepeatedCursor(awareness, CARET_REDRAW_INTERVAL_MS, frames);
    editable.setLocalStateField('cursor', caret(doc, 3));
    editable.setLocalStateField('cursor', caret(doc, 4));
    expect(published).toHaveLength(0);
    frame();
    expect(published).toEqual([caret(doc, 4)]);
    // Unmoved: nothing after the frame either.
    editable.setLocalStateField('cursor', caret(doc, 4));
    frame();
    expect(published).toHaveLength(1);
    // Removed while a move waits: at once, and the move is dropped.
    editable.setLocalStateField('cursor', caret(doc, 5));
    editable.setLocalStateField('cursor', null);
    expect(published).toEqual([caret(doc, 4), null]);
    frame();
    expect(published).toHaveLength(2);
    // Other fields are never held.
    editable.setLocalStateField('user', { name: 'Ana', color: '#0f766e' });
    expect(published).toHaveLength(3);
    awareness.destroy();
  });
});

describe('caret redraws', () => {
  afterEach(() => void vi.useRealTimers());

  it('VIEW-4: the caret plugin hears of presence changes at most once per interval, the latest last; other events and listeners are untouched', () => {
    vi.useFakeTimers();
    const awareness = new Awareness(new Y.Doc());
    const editable = withoutRepeatedCursor(awareness);
    const heard: number[] = [];
    const updates: number[] = [];
    const listener = (changes: { updated: number[] }) => void heard.push(changes.updated.length);
    const onUpdate = () => void updates.push(1);
    editable.on('change', listener);
    editable.on('update', onUpdate);
    const move = (n: number) => awareness.setLocalStateField('user', { name: `Ana ${n}`, color: '#0f766e' });
    move(1);
    expect(heard).toHaveLength(1);
    move(2);
    move(3);
    expect(heard).toHaveLength(1);
    expect(updates).toHaveLength(3);
    vi.advanceTimersByTime(CARET_REDRAW_INTERVAL_MS);
    expect(heard).toHaveLength(2);
    // Quiet for an interval: the next change is heard at once.
    vi.advanceTimersByTime(CARET_REDRAW_INTERVAL_MS);
    move(4);
    expect(heard).toHaveLength(3);
    // Removing the listener through the wrapper removes the throttled one.
    vi.advanceTimersByTime(CARET_REDRAW_INTERVAL_MS);
    editable.off('change', listener);
    move(5);
    vi.advanceTimersByTime(CARET_REDRAW_INTERVAL_MS);
    expect(heard).toHaveLength(3);
    editable.off('update', onUpdate);
    awareness.destroy();
  });
});
