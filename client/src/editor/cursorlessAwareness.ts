import type { Awareness } from 'y-protocols/awareness';
import type { FrameClock } from './frameClock.js';

/** The awareness field y-tiptap's cursor plugin publishes the local selection in. */
export const CURSOR_FIELD = 'cursor';

/**
 * The document's awareness as a read-only editor should see it: everything passes through
 * (others' states and carets are drawn, our `user` is published so others see us as an
 * avatar), except that our own `cursor` field is never set.
 *
 * Why: CollaborationCaret's cursor plugin (y-tiptap `yCursorPlugin`) writes the local selection
 * into `cursor` whenever the editor has focus, and every other client draws a named caret from
 * that field. A reader cannot type, so a caret of theirs in the text would tell the writers
 * someone is about to change that passage. A non-editable ProseMirror view rarely has focus,
 * but selecting text or a keyboard focus can still give it one; filtering the field is certain.
 */
export function withoutLocalCursor(awareness: Awareness): Awareness {
  if (awareness.getLocalState()?.[CURSOR_FIELD] != null) awareness.setLocalStateField(CURSOR_FIELD, null);
  return withSetLocalStateField(awareness, (field, value) => {
    if (field === CURSOR_FIELD) return;
    awareness.setLocalStateField(field, value);
  });
}

/**
 * The document's awareness as an editable editor's caret plugin should see it: a caret that did
 * not move is not published again.
 *
 * Why: y-tiptap's cursor plugin republishes the local selection after every remote change of
 * the document ("force"), even when its relative position — which a remote change does not
 * move — is the same. Every such call sends an awareness message that the server relays to
 * everyone, and that no peer reacts to (their awareness sees no change): with ten people typing,
 * each browser sent one caret message per remote keystroke, ~50 per second, for a caret that
 * stood still (issue 5). A caret that moved, appeared or went away is published as before; the
 * awareness protocol's own 15-second renewal keeps the state alive.
 *
 * With `frames`, a moved caret is published in a task right after the next frame (the latest
 * position, once), not inside the key event: publishing encodes and sends an awareness message
 * and runs every local presence listener, ~0.3 ms before the frame that shows the character
 * could be produced (VIEW-5); the others see the caret one frame later.
 */
export function withoutRepeatedCursor(awareness: Awareness, redrawIntervalMs = CARET_REDRAW_INTERVAL_MS, frames: FrameClock | null = null): Awareness {
  const publish = (value: unknown): void => {
    if (value != null) {
      const current: unknown = awareness.getLocalState()?.[CURSOR_FIELD];
      // Relative positions serialise to plain JSON (type, item id, association): equal JSON is
      // the same caret, and it is what peers would decode.
      if (current != null && JSON.stringify(current) === JSON.stringify(value)) return;
    }
    awareness.setLocalStateField(CURSOR_FIELD, value);
  };
  let pending: { value: unknown } | null = null;
  let cancelPending: (() => void) | null = null;
  return withSetLocalStateField(
    awareness,
    (field, value) => {
      if (field !== CURSOR_FIELD) return void awareness.setLocalStateField(field, value);
      // A caret that goes away (blur, the editor closing) is published at once, dropping a
      // move still waiting; a move waits for the frame that shows the keystroke (VIEW-5).
      if (frames === null || value == null) {
        cancelPending?.();
        cancelPending = null;
        pending = null;
        return publish(value);
      }
      pending = { value };
      cancelPending ??= frames.afterNextFrame(
        () => undefined,
        () => {
          cancelPending = null;
          const latest = pending;
          pending = null;
          if (latest) publish(latest.value);
        },
      );
    },
    redrawIntervalMs,
  );
}

/**
 * How often, at most, others' carets are redrawn for presence alone (VIEW-4). A change of the
 * text redraws them at once anyway (y-tiptap rebuilds the carets for every remote change).
 */
export const CARET_REDRAW_INTERVAL_MS = 50;

type Listener = (...args: unknown[]) => void;

/**
 * A listener called at most once per `intervalMs` (the first call at once, later ones at the end
 * of the interval with the latest arguments).
 *
 * Why for the caret plugin's 'change' listener: each call rebuilds every remote caret and runs
 * a full editor transaction (plugins, view, toolbar subscriptions) and a frame; someone typing
 * changes their presence with every keystroke, right next to the text change that already
 * redrew their caret. Coalescing presence-only redraws halves the editor's work per remote
 * keystroke; a caret moved without typing appears at most 50 ms later.
 */
function throttled(listener: Listener, intervalMs: number): Listener {
  let last = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest: unknown[] = [];
  const run = (): void => {
    timer = undefined;
    last = Date.now();
    listener(...latest);
  };
  return (...args) => {
    latest = args;
    if (timer !== undefined) return;
    const wait = last + intervalMs - Date.now();
    if (wait <= 0) run();
    else timer = setTimeout(run, wait);
  };
}

/**
 * The awareness with `setLocalStateField` replaced and, with `changeIntervalMs`, its 'change'
 * listeners throttled; everything else is the real one.
 */
function withSetLocalStateField(awareness: Awareness, setLocalStateField: (field: string, value: unknown) => void, changeIntervalMs?: number): Awareness {
  const wrapped = new WeakMap<Listener, Listener>();
  const on = (event: string, listener: Listener): void => {
    if (event !== 'change' || changeIntervalMs === undefined) return void awareness.on(event, listener);
    const slow = wrapped.get(listener) ?? throttled(listener, changeIntervalMs);
    wrapped.set(listener, slow);
    awareness.on(event, slow);
  };
  const off = (event: string, listener: Listener): void => {
    awareness.off(event, (event === 'change' ? wrapped.get(listener) : undefined) ?? listener);
  };
  return new Proxy(awareness, {
    get(target, property) {
      if (property === 'setLocalStateField') return setLocalStateField;
      if (property === 'on') return on;
      if (property === 'off') return off;
      const value: unknown = Reflect.get(target, property, target);
      // Methods run against the real awareness (its private fields and observers live there).
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
