/**
 * When the browser has produced its next frame, as seen from the page: what ownInputFirst.ts
 * waits for before it applies others' changes. An interface so that its tests can drive frames
 * by hand.
 */
export interface FrameClock {
  now(): number;
  /**
   * Calls `framing` while the next frame is being produced (a `requestAnimationFrame`
   * callback: whatever the page changed before it is in that frame) and `painted` in a task
   * right after that frame. Returns a function that cancels both.
   */
  afterNextFrame(framing: () => void, painted: () => void): () => void;
  /** A plain timer; returns a function that cancels it. */
  setTimer(callback: () => void, ms: number): () => void;
}

/**
 * A hidden page produces no frames (`requestAnimationFrame` does not fire): after this long
 * without one, `afterNextFrame` calls back from a timer instead, so nothing waits for a frame
 * that never comes. Six frames: a visible page always has produced one by then.
 */
export const FRAME_FALLBACK_MS = 100;

interface PostTaskScheduler {
  postTask(callback: () => void, options: { priority: 'user-blocking' | 'user-visible' | 'background' }): Promise<unknown>;
}

/**
 * Runs `callback` in a task of its own, after the frame whose `requestAnimationFrame` callback
 * calls this: Chromium's `scheduler.postTask` at `user-visible` (normal) priority, so input
 * events and `user-blocking` tasks go first; elsewhere a zero-delay timer.
 */
function postTaskAfterFrame(callback: () => void): void {
  const scheduler = (globalThis as { scheduler?: Partial<PostTaskScheduler> }).scheduler;
  if (typeof scheduler?.postTask === 'function') {
    // A task aborted by nobody never rejects; the catch only keeps a lint rule quiet.
    scheduler.postTask(callback, { priority: 'user-visible' }).catch(() => undefined);
    return;
  }
  setTimeout(callback, 0);
}

export function browserFrameClock(): FrameClock {
  return {
    now: () => performance.now(),
    afterNextFrame(framing, painted) {
      let cancelled = false;
      const finish = (): void => {
        if (!cancelled) painted();
      };
      const frame = requestAnimationFrame(() => {
        clearTimeout(fallback);
        if (cancelled) return;
        framing();
        postTaskAfterFrame(finish);
      });
      const fallback = setTimeout(() => {
        cancelAnimationFrame(frame);
        if (cancelled) return;
        framing();
        finish();
      }, FRAME_FALLBACK_MS);
      return () => {
        cancelled = true;
        cancelAnimationFrame(frame);
        clearTimeout(fallback);
      };
    },
    setTimer(callback, ms) {
      const timer = setTimeout(callback, ms);
      return () => clearTimeout(timer);
    },
  };
}

type Subscribe = (listener: () => void) => () => void;

/**
 * A `subscribe` (as `useSyncExternalStore` takes it) whose listeners hear of a change in a task
 * right after the next frame, once for all the changes before it.
 *
 * Why: a store that changes with the person's keystroke (the save state goes to *Saving*)
 * re-renders its React subscribers synchronously at the end of the key event, before the frame
 * that shows the character can be produced (VIEW-5). What they show is just as right one frame
 * later.
 */
export function notifyAfterNextFrame(subscribe: Subscribe, clock: FrameClock = browserFrameClock()): Subscribe {
  return (listener) => {
    let cancel: (() => void) | null = null;
    const unsubscribe = subscribe(() => {
      cancel ??= clock.afterNextFrame(
        () => undefined,
        () => {
          cancel = null;
          listener();
        },
      );
    });
    return () => {
      cancel?.();
      cancel = null;
      unsubscribe();
    };
  };
}
