import { describe, expect, it } from 'vitest';
import {
  displayStatus,
  initialSaveState,
  isDurable,
  reduceSaveState,
  type SaveEvent,
  type SaveState,
} from './saveStatus.js';

const run = (events: SaveEvent[], from: SaveState = initialSaveState): SaveState =>
  events.reduce(reduceSaveState, from);

/** A socket that opened, answered the server's Step1 (frame #1) and got the server's Step2. */
const handshake: SaveEvent[] = [
  { type: 'connecting' },
  { type: 'opened' },
  { type: 'frameSent', count: 1, isStep2: true },
  { type: 'synced', synced: true },
];

describe('save status', () => {
  it('STATUS-1: starts as connecting, with nothing sent', () => {
    expect(displayStatus(initialSaveState)).toBe('connecting');
    expect(displayStatus(run([{ type: 'connecting' }]))).toBe('connecting');
  });

  it('STATUS-2: is saving while connected but not synced, and until Step1 is answered', () => {
    expect(displayStatus(run([{ type: 'connecting' }, { type: 'opened' }]))).toBe('saving');
    const syncedWithoutStep2 = run([{ type: 'connecting' }, { type: 'opened' }, { type: 'synced', synced: true }]);
    expect(displayStatus(syncedWithoutStep2)).toBe('saving');
  });

  it('STATUS-3: does not count an Update as answering Step1 (offline edits travel in the Step2)', () => {
    const state = run([
      { type: 'connecting' },
      { type: 'opened' },
      { type: 'frameSent', count: 1, isStep2: false },
      { type: 'synced', synced: true },
      { type: 'ack', seq: 1 },
    ]);
    expect(state.step1Answered).toBe(false);
    expect(displayStatus(state)).toBe('saving');
  });

  it('STATUS-4: is saved once the Step2 is acknowledged', () => {
    const state = run([...handshake, { type: 'ack', seq: 1 }]);
    expect(isDurable(state)).toBe(true);
    expect(displayStatus(state)).toBe('saved');
  });

  it('STATUS-5: stays saving while the acknowledgement is less than what was sent', () => {
    const state = run([
      ...handshake,
      { type: 'ack', seq: 1 },
      { type: 'localEdit' },
      { type: 'frameSent', count: 2, isStep2: false },
      { type: 'localEdit' },
      { type: 'frameSent', count: 3, isStep2: false },
      { type: 'ack', seq: 2 },
    ]);
    expect(displayStatus(state)).toBe('saving');
    expect(state.unsaved).toBe(true);
    const done = reduceSaveState(state, { type: 'ack', seq: 3 });
    expect(displayStatus(done)).toBe('saved');
    expect(done.unsaved).toBe(false);
  });

  it('STATUS-6: is saving between a local edit and the frame that carries it', () => {
    const state = run([...handshake, { type: 'ack', seq: 1 }, { type: 'localEdit' }]);
    expect(state.editAwaitingFrame).toBe(true);
    expect(displayStatus(state)).toBe('saving');
  });

  it('STATUS-7: ignores an acknowledgement beyond what was sent', () => {
    const state = run([...handshake, { type: 'ack', seq: 5 }]);
    expect(state.ackedSeq).toBe(0);
    expect(displayStatus(state)).toBe('saving');
  });

  it('STATUS-8: never lowers the acknowledged sequence', () => {
    const state = run([
      ...handshake,
      { type: 'localEdit' },
      { type: 'frameSent', count: 2, isStep2: false },
      { type: 'ack', seq: 2 },
      { type: 'ack', seq: 1 },
    ]);
    expect(state.ackedSeq).toBe(2);
    expect(displayStatus(state)).toBe('saved');
  });

  it('STATUS-9: loses sync on close and shows connecting when nothing is unsaved', () => {
    const state = run([...handshake, { type: 'ack', seq: 1 }, { type: 'closed', code: 1006 }]);
    expect(displayStatus(state)).toBe('connecting');
    expect(state.lastCloseCode).toBe(1006);
  });

  it('STATUS-10: shows offline for edits made while the socket is down', () => {
    const state = run([...handshake, { type: 'ack', seq: 1 }, { type: 'closed', code: 1006 }, { type: 'localEdit' }]);
    expect(state.editAwaitingFrame).toBe(false);
    expect(displayStatus(state)).toBe('offline');
    // Still offline while the next socket is being set up.
    expect(displayStatus(reduceSaveState(state, { type: 'connecting' }))).toBe('offline');
  });

  it('STATUS-11: shows offline when the socket drops before an edit was acknowledged', () => {
    const state = run([
      ...handshake,
      { type: 'ack', seq: 1 },
      { type: 'localEdit' },
      { type: 'frameSent', count: 2, isStep2: false },
      { type: 'closed', code: 1006 },
    ]);
    expect(displayStatus(state)).toBe('offline');
  });

  it('STATUS-12: resets the counters on reconnect and saves offline edits through the new Step2', () => {
    const before = run([
      ...handshake,
      { type: 'localEdit' },
      { type: 'frameSent', count: 2, isStep2: false },
      { type: 'ack', seq: 2 },
      { type: 'closed', code: 1006 },
      { type: 'localEdit' },
    ]);
    const reconnecting = reduceSaveState(before, { type: 'connecting' });
    expect(reconnecting).toMatchObject({ sentCount: 0, ackedSeq: 0, synced: false, step1Answered: false });
    // An acknowledgement numbered for the old socket must not count on the new one.
    const opened = run([{ type: 'opened' }, { type: 'ack', seq: 2 }], reconnecting);
    expect(opened.ackedSeq).toBe(0);
    expect(displayStatus(opened)).toBe('saving');
    const synced = run(
      [
        { type: 'frameSent', count: 1, isStep2: true },
        { type: 'synced', synced: true },
      ],
      opened,
    );
    expect(displayStatus(synced)).toBe('saving');
    expect(synced.unsaved).toBe(true);
    const acked = reduceSaveState(synced, { type: 'ack', seq: 1 });
    expect(displayStatus(acked)).toBe('saved');
    expect(acked.unsaved).toBe(false);
  });

  it('STATUS-13: resets the counters when a socket opens even without a connecting event', () => {
    const state = run([...handshake, { type: 'ack', seq: 1 }, { type: 'opened' }]);
    expect(state).toMatchObject({ sentCount: 0, ackedSeq: 0, synced: false });
  });

  it('STATUS-14: ignores frames, acks and sync reported while no socket is open', () => {
    const closed = run([{ type: 'closed', code: null }]);
    expect(run([{ type: 'frameSent', count: 1, isStep2: true }, { type: 'synced', synced: true }, { type: 'ack', seq: 1 }], closed)).toMatchObject({
      sentCount: 0,
      ackedSeq: 0,
      synced: false,
    });
  });

  it('STATUS-15: goes back to saving when the provider reports it lost sync', () => {
    const state = run([...handshake, { type: 'ack', seq: 1 }, { type: 'synced', synced: false }]);
    expect(displayStatus(state)).toBe('saving');
  });

  it('STATUS-16: shows an error after a final close and clears it on a new connection attempt', () => {
    const state = run([
      ...handshake,
      { type: 'closed', code: 4413 },
      { type: 'terminal', code: 4413, reason: 'DOCUMENT_TOO_LARGE' },
    ]);
    expect(displayStatus(state)).toBe('error');
    expect(state.terminal).toEqual({ code: 4413, reason: 'DOCUMENT_TOO_LARGE' });
    expect(displayStatus(reduceSaveState(state, { type: 'connecting' }))).toBe('connecting');
  });

  it('STATUS-17: keeps unsaved edits across a final close', () => {
    const state = run([...handshake, { type: 'localEdit' }, { type: 'terminal', code: 4400, reason: 'MALFORMED_MESSAGE' }]);
    expect(state.unsaved).toBe(true);
    expect(displayStatus(reduceSaveState(state, { type: 'connecting' }))).toBe('offline');
  });

  it('STATUS-27: a read-only session shows read only once synced, never saving or offline', () => {
    expect(displayStatus(run([{ type: 'connecting' }, { type: 'opened' }]), true)).toBe('connecting');
    const synced = run([{ type: 'connecting' }, { type: 'opened' }, { type: 'synced', synced: true }]);
    expect(displayStatus(synced, true)).toBe('read-only');
    // Nothing is ever sent, so a stray local change cannot make it look like it is saving.
    expect(displayStatus(reduceSaveState(synced, { type: 'localEdit' }), true)).toBe('read-only');
    expect(displayStatus(run([...handshake, { type: 'localEdit' }, { type: 'closed', code: 1006 }]), true)).toBe('connecting');
    expect(displayStatus(run([...handshake, { type: 'terminal', code: 4403, reason: 'ACCESS_REVOKED' }]), true)).toBe('error');
  });
});
