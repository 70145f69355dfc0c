import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import { encodeAwarenessMessage, encodeSaved, encodeSyncStep2, encodeUpdateMessage, MessageType } from '../../../shared/protocol/index.js';
import type { FrameClock } from './frameClock.js';
import { MAX_DEFER_MS, paintOwnInputFirst, TYPING_WINDOW_MS } from './ownInputFirst.js';
import { FakeWebSocket, fakeWebSocketClass } from './testing/fakeWebSocket.js';

/** Frames and timers driven by the test: `frame()` is the browser producing one frame. */
class ManualClock implements FrameClock {
  time = 0;
  private waiting: Array<{ framing: () => void; painted: () => void; cancelled: boolean }> = [];
  private timers: Array<{ at: number; callback: () => void; cancelled: boolean }> = [];

  now = (): number => this.time;

  afterNextFrame(framing: () => void, painted: () => void): () => void {
    const entry = { framing, painted, cancelled: false };
    this.waiting.push(entry);
    return () => void (entry.cancelled = true);
  }

  setTimer(callback: () => void, ms: number): () => void {
    const timer = { at: this.time + ms, callback, cancelled: false };
    this.timers.push(timer);
    return () => void (timer.cancelled = true);
  }

  /** requestAnimationFrame callbacks run; `between` runs after them, before the tasks posted from them. */
  frame(between: () => void = () => undefined): void {
    const due = this.waiting.splice(0);
    for (const entry of due) if (!entry.cancelled) entry.framing();
    between();
    for (const entry of due) if (!entry.cancelled) entry.painted();
  }

  advance(ms: number): void {
    this.time += ms;
    for (const timer of this.timers.splice(0)) {
      if (timer.cancelled) continue;
      if (timer.at <= this.time) timer.callback();
      else this.timers.push(timer);
    }
  }
}

/** The editor's own origin, as y-tiptap's sync plugin key is for the real editor. */
const EDITOR = { name: 'editor' };

/** A Tiptap-shaped document: fragment → paragraph → text. */
function paragraphs(doc: Y.Doc, count: number): void {
  doc.getXmlFragment('default').insert(
    0,
    Array.from({ length: count }, (_, i) => {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText(`paragraph ${i}`)]);
      return p;
    }),
  );
}

const textOf = (doc: Y.Doc, index: number): Y.XmlText => (doc.getXmlFragment('default').get(index) as Y.XmlElement).get(0) as Y.XmlText;

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const dispose of cleanup.splice(0)) dispose();
});

/**
 * This browser's Y.Doc behind a real, unmodified WebsocketProvider over a fake socket; the test
 * plays the server, which relays what another person (their own Y.Doc) types.
 */
function setup() {
  FakeWebSocket.instances = [];
  const ydoc = new Y.Doc();
  const other = new Y.Doc();
  paragraphs(other, 3);
  Y.applyUpdate(ydoc, Y.encodeStateAsUpdate(other));
  const provider = new WebsocketProvider('ws://test/collab', 'doc-1', ydoc, {
    connect: false,
    disableBc: true,
    WebSocketPolyfill: fakeWebSocketClass as unknown as typeof WebSocket,
  });
  const clock = new ManualClock();
  const stop = paintOwnInputFirst(provider, { isLocalEdit: (origin) => origin === EDITOR, clock });
  provider.connect();
  const socket = FakeWebSocket.latest();
  socket.serverOpen();
  cleanup.push(() => {
    stop();
    provider.destroy();
    ydoc.destroy();
    other.destroy();
  });

  /** What y-tiptap's binding listens to: one call per transaction that touched the document. */
  const observed: Array<{ origin: unknown; text: string }> = [];
  ydoc.getXmlFragment('default').observeDeep((_events, transaction) => {
    observed.push({ origin: transaction.origin, text: textOf(ydoc, 2).toString() });
  });

  /** The other person types at the start of the third paragraph; the server relays it. */
  const remoteTypes = (chars: string): void => {
    for (const char of chars) {
      const before = Y.encodeStateVector(other);
      textOf(other, 2).insert(0, char);
      socket.serverSend(encodeUpdateMessage(Y.encodeStateAsUpdate(other, before)));
    }
  };
  /** The person types at the end of the first paragraph, as the editor writes it. */
  const localTypes = (char: string): void => {
    ydoc.transact(() => textOf(ydoc, 0).insert(textOf(ydoc, 0).length, char), EDITOR);
  };
  const remoteText = (): string => textOf(ydoc, 2).toString();
  return { ydoc, other, provider, socket, clock, stop, observed, remoteTypes, localTypes, remoteText };
}

describe('paintOwnInputFirst', () => {
  it('VIEW-5: others’ changes are applied the moment they arrive while the person is not typing', () => {
    const { clock, observed, remoteTypes, remoteText, localTypes } = setup();
    remoteTypes('a');
    expect(remoteText()).toBe('aparagraph 2');
    remoteTypes('b');
    expect(observed).toHaveLength(2);
    // Typed a while ago: no longer typing.
    localTypes('x');
    clock.frame();
    clock.advance(TYPING_WINDOW_MS);
    remoteTypes('c');
    expect(remoteText()).toBe('cbaparagraph 2');
  });

  it('VIEW-5: while the person types, others’ changes wait for the frame that shows the keystroke, then are applied in one transaction', () => {
    const { provider, clock, observed, remoteTypes, remoteText, localTypes } = setup();
    localTypes('x');
    remoteTypes('abc');
    expect(remoteText()).toBe('paragraph 2');
    // Not while the frame is being produced: only once it is out.
    clock.frame(() => expect(remoteText()).toBe('paragraph 2'));
    expect(remoteText()).toBe('cbaparagraph 2');
    const remote = observed.filter((o) => o.origin === provider);
    expect(remote).toEqual([{ origin: provider, text: 'cbaparagraph 2' }]);
  });

  it('VIEW-5: changes received between keystrokes wait for the next keystroke’s frame, at most MAX_DEFER_MS', () => {
    const { clock, remoteTypes, remoteText, localTypes } = setup();
    localTypes('x');
    clock.frame();
    clock.advance(30);
    remoteTypes('a');
    clock.frame(); // a frame without a keystroke of the person's
    expect(remoteText()).toBe('paragraph 2');
    clock.advance(30);
    localTypes('y');
    clock.frame();
    expect(remoteText()).toBe('aparagraph 2');
    // Nobody types any more: the deadline applies them without any frame (a hidden page).
    remoteTypes('b');
    clock.advance(MAX_DEFER_MS - 1);
    expect(remoteText()).toBe('aparagraph 2');
    clock.advance(1);
    expect(remoteText()).toBe('baparagraph 2');
  });

  it('VIEW-5: a key pressed while a frame is produced is painted before others’ changes too', () => {
    const { clock, remoteTypes, remoteText, localTypes } = setup();
    localTypes('x');
    remoteTypes('a');
    clock.frame(() => localTypes('y'));
    expect(remoteText()).toBe('paragraph 2');
    clock.frame();
    expect(remoteText()).toBe('aparagraph 2');
  });

  it('VIEW-5: the deadline does not cut in before the frame of a keystroke, and a late frame still applies them', () => {
    const { clock, remoteTypes, remoteText, localTypes } = setup();
    localTypes('x');
    clock.frame();
    remoteTypes('a');
    clock.advance(MAX_DEFER_MS - 5);
    localTypes('y');
    clock.advance(10);
    expect(remoteText()).toBe('paragraph 2');
    // Overdue: applied after this frame even though another key came while it was produced.
    clock.frame(() => localTypes('z'));
    expect(remoteText()).toBe('aparagraph 2');
  });

  it('VIEW-5: a Step2 applies what is held first; a Saved acknowledgement is handled at once and applies nothing', () => {
    const { ydoc, other, provider, socket, clock, remoteTypes, remoteText, localTypes } = setup();
    const acks: number[] = [];
    provider.messageHandlers[MessageType.Saved] = () => void acks.push(1);
    localTypes('x');
    remoteTypes('a');
    socket.serverSend(encodeSaved(1));
    expect(acks).toHaveLength(1);
    expect(remoteText()).toBe('paragraph 2');
    // A Step2 with only what is new to the server since the held update.
    const serverHad = Y.encodeStateVector(other);
    textOf(other, 1).insert(0, 'step2 ');
    // The text of the Step2's transaction's neighbour when the Step2 lands.
    let besideStep2: string | null = null;
    ydoc.on('afterTransaction', (transaction: Y.Transaction) => {
      if (besideStep2 === null && transaction.origin === provider && textOf(ydoc, 1).toString().startsWith('step2')) besideStep2 = remoteText();
    });
    socket.serverSend(encodeSyncStep2(other, serverHad));
    expect(besideStep2).toBe('aparagraph 2');
    expect(textOf(ydoc, 1).toString()).toBe('step2 paragraph 1');
    clock.frame();
  });

  it('VIEW-5: others’ carets that arrive behind held changes are applied after them; alone, at once', () => {
    const { provider, socket, clock, remoteTypes, remoteText, localTypes } = setup();
    const peer = new Awareness(new Y.Doc());
    cleanup.push(() => peer.destroy());
    const seen: string[] = [];
    provider.awareness.on('change', () => {
      const state = provider.awareness.getStates().get(peer.clientID) as { caret?: string } | undefined;
      seen.push(`${state?.caret ?? '-'} over ${remoteText()}`);
    });
    const sendCaret = (caret: string): void => {
      peer.setLocalStateField('caret', caret);
      socket.serverSend(encodeAwarenessMessage(encodeAwarenessUpdate(peer, [peer.clientID])));
    };
    sendCaret('idle');
    expect(seen).toEqual(['idle over paragraph 2']);
    localTypes('x');
    remoteTypes('a');
    sendCaret('after a');
    expect(seen).toHaveLength(1);
    clock.frame();
    expect(seen).toEqual(['idle over paragraph 2', 'after a over aparagraph 2']);
  });

  it('VIEW-5: undoing the person’s typing leaves others’ held-back text alone (it is applied as the provider’s)', () => {
    const { ydoc, clock, remoteTypes, remoteText, localTypes } = setup();
    const undo = new Y.UndoManager(ydoc.getXmlFragment('default'), { trackedOrigins: new Set([EDITOR]) });
    cleanup.push(() => undo.destroy());
    localTypes('x');
    remoteTypes('ab');
    clock.frame();
    undo.undo();
    expect(textOf(ydoc, 0).toString()).toBe('paragraph 0');
    expect(remoteText()).toBe('baparagraph 2');
  });

  it('VIEW-5: a closed connection applies what is held before the provider drops others’ presence', () => {
    const { provider, socket, clock, remoteTypes, remoteText, localTypes } = setup();
    const peer = new Awareness(new Y.Doc());
    cleanup.push(() => peer.destroy());
    localTypes('x');
    remoteTypes('a');
    socket.serverSend(encodeAwarenessMessage(encodeAwarenessUpdate(peer, [peer.clientID])));
    socket.serverClose(1006);
    expect(remoteText()).toBe('aparagraph 2');
    clock.frame();
    clock.advance(MAX_DEFER_MS);
    // Gone with the connection, not brought back by a late, held message.
    expect(provider.awareness.getStates().has(peer.clientID)).toBe(false);
  });

  it('VIEW-5: stopping applies what is held and gives the provider its own handlers back', () => {
    const { provider, stop, remoteTypes, remoteText, localTypes } = setup();
    const wrapped = provider.messageHandlers[MessageType.Sync];
    localTypes('x');
    remoteTypes('a');
    stop();
    expect(remoteText()).toBe('aparagraph 2');
    expect(provider.messageHandlers[MessageType.Sync]).not.toBe(wrapped);
    localTypes('y');
    remoteTypes('b');
    expect(remoteText()).toBe('baparagraph 2');
  });
});
