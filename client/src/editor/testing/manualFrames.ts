import type { FrameClock } from '../frameClock.js';

/**
 * A frame clock whose frames the test produces with `frame()`: every callback waiting for the
 * next frame runs then (unless cancelled). No time passes and no timer fires; for tests that
 * need those, see the ManualClock in ownInputFirst.test.ts.
 */
export function manualFrames(): { clock: FrameClock; frame: () => void } {
  let waiting: Array<() => void> = [];
  const clock: FrameClock = {
    now: () => 0,
    afterNextFrame: (_framing, painted) => {
      let cancelled = false;
      waiting.push(() => {
        if (!cancelled) painted();
      });
      return () => void (cancelled = true);
    },
    setTimer: () => () => undefined,
  };
  const frame = (): void => {
    const due = waiting;
    waiting = [];
    for (const run of due) run();
  };
  return { clock, frame };
}
