import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { withoutLocalCursor } from './cursorlessAwareness.js';

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
