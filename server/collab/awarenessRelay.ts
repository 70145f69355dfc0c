import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { encodeAwarenessMessage } from '../../shared/protocol/index.js';

/**
 * Smallest gap between two awareness relays of one room. Carets and selections are painted at
 * most once per display frame, so relaying a room's presence more often than that is invisible;
 * what it costs is one socket write per peer per relay, which is where presence spends its CPU
 * (100 people moving carets 5×/s: 50,000 writes/s relayed one by one, ~3,000/s coalesced). The
 * first change after a quiet moment goes out at the end of the current event-loop turn, with no
 * wait; only a room that keeps changing waits, on average half a window.
 */
export const AWARENESS_WINDOW_MS = 16;

/**
 * Relays a room's awareness to its peers, coalesced: the states received since the last relay
 * go out as one message (encoded once, the same bytes for every peer), holding the latest state
 * of each client id. Entries are copied as received, byte for byte (client id, clock, JSON), so
 * nothing is decoded or re-encoded beyond the framing; when a single received frame makes up the
 * whole relay, that frame itself is sent.
 *
 * Takes updates that were already stamped and applied by the Room; it only decides when and in
 * which message they travel.
 */
export class AwarenessRelay {
  /** Encoded entries by client id, latest received last. */
  private pending = new Map<number, Uint8Array>();
  /** The received frame, when it alone is the pending relay and was not rewritten by the stamp. */
  private single: Uint8Array | null = null;
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private lastRelayAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly broadcast: (message: Uint8Array) => void,
    private readonly windowMs: number = AWARENESS_WINDOW_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Queues an awareness update (`[count]{clientID, clock, state}`) for the next relay. `frame` is
   * the received message carrying exactly `update`, or null when the stamp rewrote it.
   */
  add(update: Uint8Array, frame: Uint8Array | null): void {
    const wasEmpty = this.pending.size === 0;
    for (const [clientId, entry] of awarenessEntries(update)) {
      // Re-inserted so a client's latest state keeps its place last.
      this.pending.delete(clientId);
      this.pending.set(clientId, entry);
    }
    this.single = wasEmpty ? frame : null;
    this.schedule();
  }

  /** Drops queued states of clients whose removal is being announced right now. */
  forget(clientIds: Iterable<number>): void {
    for (const clientId of clientIds) {
      if (this.pending.delete(clientId)) this.single = null;
    }
  }

  /** Sends everything queued now. */
  readonly flush = (): void => {
    this.cancel();
    if (this.pending.size === 0) return;
    this.lastRelayAt = this.now();
    const message = this.single ?? encodeAwarenessMessage(joinEntries([...this.pending.values()]));
    this.pending.clear();
    this.single = null;
    this.broadcast(message);
  };

  /** Forgets what is queued and stops the timers (the room is going away). */
  dispose(): void {
    this.cancel();
    this.pending.clear();
    this.single = null;
  }

  private schedule(): void {
    if (this.timer !== null || this.immediate !== null) return;
    const wait = this.lastRelayAt + this.windowMs - this.now();
    if (wait <= 0) this.immediate = setImmediate(this.flush);
    else this.timer = setTimeout(this.flush, Math.ceil(wait));
  }

  private cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    if (this.immediate !== null) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }
}

/** The entries of an awareness update as [clientID, encoded entry bytes], without decoding any state. */
export function awarenessEntries(update: Uint8Array): Array<[number, Uint8Array]> {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const entries: Array<[number, Uint8Array]> = [];
  for (let i = 0; i < count; i++) {
    const start = decoder.pos;
    const clientId = decoding.readVarUint(decoder);
    decoding.readVarUint(decoder); // clock
    decoding.readVarUint8Array(decoder); // the state's JSON, length-prefixed exactly like a string
    entries.push([clientId, update.subarray(start, decoder.pos)]);
  }
  return entries;
}

/** `[count]` followed by the entries: a valid awareness update holding all of them. */
export function joinEntries(entries: readonly Uint8Array[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) encoding.writeUint8Array(encoder, entry);
  return encoding.toUint8Array(encoder);
}
