import { useCallback, useMemo, useRef, useSyncExternalStore } from 'react';
import { notifyAfterNextFrame } from './frameClock.js';
import type { SaveTracker } from './saveTracker.js';
import { initialSaveState, type SaveState } from './saveStatus.js';

const noSubscription = () => () => {};

/**
 * The part of the save state a component shows, re-rendering it only when that part changes.
 *
 * Why: the tracker changes state three times per keystroke (the local edit, its frame, the
 * server's acknowledgement). Subscribed to the whole state, the document page re-rendered —
 * header, toolbar, title, editor surface — three times for every character typed (issue 5).
 * Most of it only cares whether the connection ended or the page shows a placeholder.
 *
 * @param select derives what is shown; it may change between renders (the latest is used).
 * @param isEqual when the derived value counts as unchanged (default `Object.is`; derive
 *   primitives, or pass a comparison for objects).
 * @param waitsForPaint for which new values to re-render in a task after the next frame instead
 *   of at the end of the event that changed the state: what changes with every keystroke (the
 *   badge going to *Saving*), so that the keystroke's frame is not held up by it (VIEW-5). Every
 *   other change renders at once, as before: deferring those too (an acknowledgement arriving
 *   after the frame) would only add a frame of its own.
 */
export function useSaveSelector<T>(
  tracker: SaveTracker | null,
  select: (state: SaveState) => T,
  isEqual: (a: T, b: T) => boolean = Object.is,
  waitsForPaint?: (value: T) => boolean,
): T {
  const selectRef = useRef(select);
  selectRef.current = select;
  const equalRef = useRef(isEqual);
  equalRef.current = isEqual;
  const waitsRef = useRef(waitsForPaint);
  waitsRef.current = waitsForPaint;
  const defers = waitsForPaint !== undefined;
  const last = useRef<{ value: T } | null>(null);
  const getSnapshot = useCallback((): T => {
    const next = selectRef.current(tracker ? tracker.getState() : initialSaveState);
    // The same value object for an equal result: useSyncExternalStore then skips the render.
    if (last.current && equalRef.current(last.current.value, next)) return last.current.value;
    last.current = { value: next };
    return next;
  }, [tracker]);
  const subscribe = useMemo(() => {
    if (!tracker) return noSubscription;
    if (!defers) return tracker.subscribe;
    return notifyAfterNextFrame(tracker.subscribe, () => waitsRef.current?.(selectRef.current(tracker.getState())) ?? false);
  }, [tracker, defers]);
  return useSyncExternalStore(subscribe, getSnapshot);
}

/** Shallow equality of two flat records (e.g. a selector's result of a few primitives). */
export function shallowEqual<T extends object>(a: T, b: T): boolean {
  if (a === b) return true;
  const keys = Object.keys(a) as Array<keyof T>;
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.is(a[key], b[key]));
}
