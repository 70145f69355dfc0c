import * as decoding from 'lib0/decoding';
import { MessageType } from '../../shared/protocol/index.js';
import type { RoomPeer } from './Room.js';

/** Test-only (not used by the server): what the Room tests share. */

/** A peer that records what the room sends it and how it was closed. */
export class FakePeer implements RoomPeer {
  readonly sent: Uint8Array[] = [];
  closedWith: number | null = null;
  send(message: Uint8Array): void {
    this.sent.push(message);
  }
  close(code: number): void {
    this.closedWith = code;
  }
  /** The sync messages received, as [sub-type, payload]. */
  syncMessages(): Array<[number, Uint8Array]> {
    const out: Array<[number, Uint8Array]> = [];
    for (const frame of this.sent) {
      const decoder = decoding.createDecoder(frame);
      if (decoding.readVarUint(decoder) !== MessageType.Sync) continue;
      out.push([decoding.readVarUint(decoder), decoding.readVarUint8Array(decoder)]);
    }
    return out;
  }
}

/** Whether a promise has settled yet, readable synchronously. */
export function settled(promise: Promise<unknown>): { done: boolean } {
  const state = { done: false };
  promise.then(
    () => (state.done = true),
    () => (state.done = true),
  );
  return state;
}

/** One event-loop turn: a room flushes its batch (setImmediate) and the promises behind it run. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
