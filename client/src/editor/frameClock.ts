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

interface Waiter {
  framing: () => void;
  painted: () => void;
  cancelled: boolean;
}

/** Everything waiting for the next frame, page-wide: one frame callback and one timer for all. */
let waiters: Waiter[] = [];
let frameRequest = 0;
let fallbackTimer: ReturnType<typeof setTimeout> | undefined;

function runEach(due: Waiter[], phase: 'framing' | 'painted'): void {
  for (const waiter of due) {
    if (waiter.cancelled) continue;
    try {
      waiter[phase]();
    } catch (error) {
      // One failing caller must not keep the others waiting.
      console.error(error);
    }
  }
}

function takeWaiters(): Waiter[] {
  cancelAnimationFrame(frameRequest);
  clearTimeout(fallbackTimer);
  frameRequest = 0;
  fallbackTimer = undefined;
  const due = waiters;
  waiters = [];
  return due;
}

function onFrame(): void {
  const due = takeWaiters();
  runEach(due, 'framing');
  postTaskAfterFrame(() => runEach(due, 'painted'));
}

function onFallback(): void {
  const due = takeWaiters();
  runEach(due, 'framing');
  runEach(due, 'painted');
}

/**
 * The page's frames. Every caller shares one `requestAnimationFrame` and one fallback timer per
 * frame: the key event of one keystroke asks for the next frame three times (held updates, the
 * save badge, the caret broadcast), and each timer set inside it is time before that frame.
 */
export function browserFrameClock(): FrameClock {
  return {
    now: () => performance.now(),
    afterNextFrame(framing, painted) {
      const waiter: Waiter = { framing, painted, cancelled: false };
      waiters.push(waiter);
      if (frameRequest === 0) frameRequest = requestAnimationFrame(onFrame);
      fallbackTimer ??= setTimeout(onFallback, FRAME_FALLBACK_MS);
      return () => void (waiter.cancelled = true);
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
 * right after the next frame, once for all the changes before it — when `waits()` says so at
 * the change; otherwise at once (which also makes a waiting notification unnecessary).
 *
 * Why: a store that changes with the person's keystroke (the save state goes to *Saving*)
 * re-renders its React subscribers synchronously at the end of the key event, before the frame
 * that shows the character can be produced (VIEW-5). What they show is just as right one frame
 * later. Changes that come on their own (an acknowledgement) are not held: waiting would only
 * make them cost a frame of their own after the next one, and every extra frame keeps the
 * browser's frame clock running, so that the next keystroke waits for its tick.
 */
export function notifyAfterNextFrame(subscribe: Subscribe, waits: () => boolean, clock: FrameClock = browserFrameClock()): Subscribe {
  return (listener) => {
    let cancel: (() => void) | null = null;
    const unsubscribe = subscribe(() => {
      if (!waits()) {
        cancel?.();
        cancel = null;
        listener();
        return;
      }
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
