import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { applyAwarenessUpdate } from 'y-protocols/awareness';
import type { WebsocketProvider } from 'y-websocket';
import { MessageType, SyncMessageType } from '../../../shared/protocol/index.js';
import { browserFrameClock, type FrameClock } from './frameClock.js';

/** The person counts as typing for this long after their last edit. */
export const TYPING_WINDOW_MS = 250;
/**
 * Others' changes wait at most this long while the person types (VIEW-5). Long enough to reach
 * the person's next keystroke at a brisk typing pace (~80 ms a character), short enough not to
 * be noticed next to the network's own latency.
 */
export const MAX_DEFER_MS = 100;

type MessageHandler = WebsocketProvider['messageHandlers'][number];

export interface OwnInputFirstOptions {
  /** Whether an update's transaction origin is this person's own edit (not the provider, not the device's copy). */
  isLocalEdit: (origin: unknown) => boolean;
  clock?: FrameClock;
  typingWindowMs?: number;
  maxDeferMs?: number;
}

/**
 * The person's own keystrokes are painted first: while they type, others' changes received from
 * the server are held back and applied together, in one Yjs transaction, right after the frame
 * that shows the person's keystroke (VIEW-5, issue 5).
 *
 * Why: applying one remote keystroke costs the page ~2.5 ms (y-tiptap builds a new editor
 * document and dispatches it, then the view measures the caret, which forces a layout of the
 * whole editor), and its DOM change has to be laid out and painted in the next frame. Applied
 * the moment it arrives, a remote change often lands between the person's key and the frame
 * that shows it, or just before the key, and that frame then carries the remote change as well:
 * with ten others typing, those keystrokes were the ones over one frame. Applied right after the
 * person's keystroke has been painted, it is laid out in a frame of its own, long before their
 * next key; and several changes received meanwhile cost y-tiptap one pass instead of several.
 *
 * When the person is not typing, changes are applied the moment they arrive, as before. While
 * they type, a change waits for the frame after their next keystroke but at most MAX_DEFER_MS
 * (a timer, which also covers a hidden page that produces no frames).
 *
 * What is held back, and why only that:
 * - sync Update messages (others' edits): applied with the provider as origin, as the provider
 *   does, so the save status, this device's copy (VIEW-3) and the undo history (which tracks
 *   only the editor's own origin) treat them as others' changes, as before;
 * - awareness messages that arrive while updates are held: a caret may point into text that is
 *   still held back, and would vanish until it is applied; they are applied after the updates.
 * Everything else runs at once: a Step1 or Step2 first applies what is held (the order of the
 * sync protocol is kept), a closed connection too (before the provider drops others' presence);
 * Saved acknowledgements, auth and awareness queries are not touched.
 *
 * It wraps the provider's own per-instance handler table (y-websocket 3.x), as saveTracker.ts
 * does, so the stock provider stays unchanged. Deferring inside the y-tiptap binding instead
 * would be wrong: the binding writes every editor change to the Y.Doc by comparing the two, and
 * would delete remote content that is in the Y.Doc but not yet in the editor.
 *
 * @returns stop: applies what is held at once and puts the provider's handlers back; to call
 *   before the provider and the Y.Doc are destroyed.
 */
export function paintOwnInputFirst(provider: WebsocketProvider, options: OwnInputFirstOptions): () => void {
  const { isLocalEdit, clock = browserFrameClock(), typingWindowMs = TYPING_WINDOW_MS, maxDeferMs = MAX_DEFER_MS } = options;
  const ydoc = provider.doc;
  const handlers = provider.messageHandlers;
  const originalSync = handlers[MessageType.Sync];
  const originalAwareness = handlers[MessageType.Awareness];
  if (!originalSync || !originalAwareness) throw new Error('the provider has no sync or awareness handler to wrap');

  let updates: Uint8Array[] = [];
  let awarenessUpdates: Uint8Array[] = [];
  let heldSince = 0;
  let lastEditAt = Number.NEGATIVE_INFINITY;
  // Local edits so far; of them, how many the frame being produced shows, and how many a
  // produced frame has shown. The person has a keystroke waiting for its frame while
  // `edits !== editsPainted`.
  let edits = 0;
  let editsInFrame = 0;
  let editsPainted = 0;
  let cancelFrame: (() => void) | null = null;
  let cancelTimer: (() => void) | null = null;
  let stopped = false;

  const keystrokeAwaitingPaint = (): boolean => edits !== editsPainted;

  const applyHeld = (): void => {
    cancelTimer?.();
    cancelTimer = null;
    const held = updates;
    const heldAwareness = awarenessUpdates;
    updates = [];
    awarenessUpdates = [];
    if (held.length > 0) {
      // One transaction: observers (y-tiptap's binding, the save tracker, the device's copy)
      // run once for all of them. Not local: it comes from the network, as in the provider.
      try {
        Y.transact(
          ydoc,
          () => {
            for (const update of held) {
              try {
                Y.applyUpdate(ydoc, update, provider);
              } catch (error) {
                // As y-protocols does for one update: report it, go on with the others.
                console.error('Caught error while handling a Yjs update', error);
              }
            }
          },
          provider,
          false,
        );
      } catch (error) {
        // Thrown by an observer at the end of the transaction; the updates are applied.
        console.error('Caught error while handling a Yjs update', error);
      }
    }
    // After the text they may point into.
    for (const update of heldAwareness) applyAwarenessUpdate(provider.awareness, update, provider);
  };

  const watchFrame = (): void => {
    if (cancelFrame !== null || stopped) return;
    cancelFrame = clock.afterNextFrame(
      () => {
        editsInFrame = edits;
      },
      () => {
        cancelFrame = null;
        editsPainted = editsInFrame;
        // A key pressed after this frame began is shown by the next one; wait for that too,
        // unless what is held has waited long enough.
        if (keystrokeAwaitingPaint()) watchFrame();
        if (updates.length > 0 && (!keystrokeAwaitingPaint() || clock.now() - heldSince >= maxDeferMs)) applyHeld();
      },
    );
  };

  const onDeadline = (): void => {
    cancelTimer = null;
    // A keystroke still waiting for its frame goes first: the frame watcher applies what is
    // held right after it (within FRAME_FALLBACK_MS even on a page that produces no frames).
    if (keystrokeAwaitingPaint() && cancelFrame !== null) return;
    applyHeld();
  };

  const hold = (update: Uint8Array): void => {
    if (updates.length === 0) {
      heldSince = clock.now();
      cancelTimer = clock.setTimer(onDeadline, maxDeferMs);
    }
    updates.push(update);
  };

  const onLocalUpdate = (_update: Uint8Array, origin: unknown): void => {
    if (!isLocalEdit(origin)) return;
    lastEditAt = clock.now();
    edits++;
    watchFrame();
  };

  const sync: MessageHandler = (encoder, decoder, messageProvider, emitSynced, messageType) => {
    if (decoding.peekVarUint(decoder) === SyncMessageType.Update) {
      if (updates.length > 0 || clock.now() - lastEditAt < typingWindowMs) {
        decoding.readVarUint(decoder);
        // A view into this message's own buffer, which nothing else reuses. Nothing is written
        // to the encoder, so the provider sends no reply (an Update has none).
        hold(decoding.readVarUint8Array(decoder));
        return;
      }
    } else {
      applyHeld();
    }
    originalSync(encoder, decoder, messageProvider, emitSynced, messageType);
  };

  const awareness: MessageHandler = (encoder, decoder, messageProvider, emitSynced, messageType) => {
    if (updates.length > 0) {
      awarenessUpdates.push(decoding.readVarUint8Array(decoder));
      return;
    }
    originalAwareness(encoder, decoder, messageProvider, emitSynced, messageType);
  };

  // The provider emits this before it removes the others' presence of the closed connection.
  const onConnectionClose = (): void => applyHeld();

  handlers[MessageType.Sync] = sync;
  handlers[MessageType.Awareness] = awareness;
  ydoc.on('update', onLocalUpdate);
  provider.on('connection-close', onConnectionClose);

  return () => {
    if (stopped) return;
    stopped = true;
    cancelFrame?.();
    cancelFrame = null;
    applyHeld();
    if (handlers[MessageType.Sync] === sync) handlers[MessageType.Sync] = originalSync;
    if (handlers[MessageType.Awareness] === awareness) handlers[MessageType.Awareness] = originalAwareness;
    ydoc.off('update', onLocalUpdate);
    provider.off('connection-close', onConnectionClose);
  };
}
