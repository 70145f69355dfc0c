/**
 * The save-status state machine behind the editor header's "Saved" badge.
 *
 * It is pure (events in, state out) so that every transition is unit-tested without a socket;
 * `saveTracker.ts` feeds it from the WebsocketProvider, the counting WebSocket and the Y.Doc.
 *
 * The one promise it must keep: `saved` is shown only when the server has acknowledged, on the
 * current socket, every update-carrying frame we sent on it, after the server's SyncStep1 was
 * answered (our Step2 carries everything the server lacked, including edits made offline), and
 * no local edit is still waiting to go out. Counters are per socket because the server numbers
 * acknowledgements per connection: a new socket starts again at 0.
 */

export type SocketPhase = 'idle' | 'connecting' | 'open';

export interface TerminalClose {
  code: number;
  reason: string;
}

export interface SaveState {
  socket: SocketPhase;
  /** The provider received the server's SyncStep2 on this socket. */
  synced: boolean;
  /** We answered the server's SyncStep1 with our Step2 on this socket. */
  step1Answered: boolean;
  /** Update-carrying frames (Step2, Update) sent on this socket. */
  sentCount: number;
  /** Highest Saved acknowledgement received on this socket. */
  ackedSeq: number;
  /** A local edit happened on an open socket and its Update frame has not been counted yet. */
  editAwaitingFrame: boolean;
  /** Local edits exist that the server has not yet acknowledged as durable. */
  unsaved: boolean;
  /** Close code of the last socket that closed, if the server gave one. */
  lastCloseCode: number | null;
  /** Set when the server closed with a final (44xx) code: the provider stopped reconnecting. */
  terminal: TerminalClose | null;
}

export type SaveEvent =
  /** The provider created a new socket (first connection or a reconnect). */
  | { type: 'connecting' }
  | { type: 'opened' }
  | { type: 'closed'; code: number | null }
  /** The server closed with a code that means reconnecting cannot help. */
  | { type: 'terminal'; code: number; reason: string }
  | { type: 'synced'; synced: boolean }
  /** An update-carrying frame left on the current socket; `count` is that socket's counter. */
  | { type: 'frameSent'; count: number; isStep2: boolean }
  | { type: 'ack'; seq: number }
  /** The Y.Doc changed because of this user (not the provider, not IndexedDB). */
  | { type: 'localEdit' };

export type DisplayStatus = 'connecting' | 'offline' | 'saving' | 'saved' | 'error' | 'read-only';

export const initialSaveState: SaveState = {
  socket: 'idle',
  synced: false,
  step1Answered: false,
  sentCount: 0,
  ackedSeq: 0,
  editAwaitingFrame: false,
  unsaved: false,
  lastCloseCode: null,
  terminal: null,
};

/** Per-socket fields, reset whenever a socket goes away or a new one starts. */
const freshSocket = {
  synced: false,
  step1Answered: false,
  sentCount: 0,
  ackedSeq: 0,
  editAwaitingFrame: false,
} as const;

/** Everything sent on this socket is acknowledged and nothing local is still pending. */
export function isDurable(state: SaveState): boolean {
  return (
    state.socket === 'open' &&
    state.synced &&
    state.step1Answered &&
    state.sentCount >= 1 &&
    state.ackedSeq >= state.sentCount &&
    !state.editAwaitingFrame
  );
}

function apply(state: SaveState, event: SaveEvent): SaveState {
  switch (event.type) {
    case 'connecting':
      return { ...state, ...freshSocket, socket: 'connecting', terminal: null };
    case 'opened':
      // A socket that opens has nothing sent on it yet; counters were reset at 'connecting',
      // reset them again in case the provider skipped that event.
      return { ...state, ...freshSocket, socket: 'open' };
    case 'closed':
      return { ...state, ...freshSocket, socket: 'idle', lastCloseCode: event.code };
    case 'terminal':
      return {
        ...state,
        ...freshSocket,
        socket: 'idle',
        lastCloseCode: event.code,
        terminal: { code: event.code, reason: event.reason },
      };
    case 'synced':
      return state.socket === 'open' ? { ...state, synced: event.synced } : state;
    case 'frameSent':
      if (state.socket !== 'open') return state;
      return {
        ...state,
        sentCount: Math.max(state.sentCount, event.count),
        step1Answered: state.step1Answered || event.isStep2,
        editAwaitingFrame: false,
      };
    case 'ack':
      // An acknowledgement beyond what we sent would be a server bug; believing it could show
      // "Saved" for frames the server never received, so it is ignored.
      if (state.socket !== 'open' || event.seq > state.sentCount) return state;
      return { ...state, ackedSeq: Math.max(state.ackedSeq, event.seq) };
    case 'localEdit':
      // On an open socket the provider sends the Update right after this event (our listener
      // is registered first); while offline the edit waits for the next socket's Step2.
      return { ...state, unsaved: true, editAwaitingFrame: state.socket === 'open' };
  }
}

export function reduceSaveState(state: SaveState, event: SaveEvent): SaveState {
  const next = apply(state, event);
  return next.unsaved && isDurable(next) ? { ...next, unsaved: false } : next;
}

/**
 * @param readOnly the session sends no content (the person's role only lets them read): there
 *   is nothing to save, so a live, synced connection shows "Read only" instead of Saved/Saving.
 */
export function displayStatus(state: SaveState, readOnly = false): DisplayStatus {
  if (state.terminal) return 'error';
  if (readOnly) return state.socket === 'open' && state.synced ? 'read-only' : 'connecting';
  if (state.socket !== 'open') return state.unsaved ? 'offline' : 'connecting';
  return isDurable(state) ? 'saved' : 'saving';
}

export const STATUS_LABELS: Record<DisplayStatus, string> = {
  connecting: 'Connecting',
  offline: 'Offline — changes kept on this device',
  saving: 'Saving…',
  saved: 'Saved',
  error: 'Disconnected',
  'read-only': 'Read only',
};
