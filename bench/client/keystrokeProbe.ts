/**
 * In-page measurement of keystroke-to-paint, installed before the app loads (`addInitScript`).
 *
 * For every keydown the page records, with the Performance API, the time from the event's own
 * timestamp (when the browser received the key) to the end of the frame that shows its effect:
 * a `requestAnimationFrame` callback runs just before that frame is painted, and a task posted
 * from it runs right after the paint. The span is stored as a
 * `performance.measure('keystroke-to-paint')` entry, so the suite reads plain User Timing entries.
 *
 * The task is posted with `scheduler.postTask(…, { priority: 'user-blocking' })`, not as a
 * message: an ordinary message waits behind every task already queued when the frame ends —
 * typically WebSocket messages with remote keystrokes that arrived during the frame — so the
 * span measured the paint *plus* unrelated work queued behind it (up to several ms per remote
 * update before issue 5's client fixes). A user-blocking task runs before those. Browsers
 * without `scheduler.postTask` fall back to the message.
 *
 * Why not the Event Timing API (`PerformanceEventTiming.duration`, the same span measured by the
 * browser): it reports only events of at least 16 ms (`durationThreshold` cannot go lower), so
 * the fast keystrokes would be missing and every percentile biased upwards.
 *
 * Kept as a string: the bench's TypeScript has no DOM library, and this runs in the page.
 */
export const KEYSTROKE_MEASURE = 'keystroke-to-paint';

export const KEYSTROKE_PROBE_SCRIPT = `
(() => {
  const afterPaint = (callback) => {
    if (window.scheduler && typeof window.scheduler.postTask === 'function') {
      window.scheduler.postTask(callback, { priority: 'user-blocking' });
      return;
    }
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      callback();
    };
    channel.port2.postMessage(0);
  };
  document.addEventListener('keydown', (event) => {
    if (!window.__keystrokeProbe) return;
    const start = event.timeStamp;
    requestAnimationFrame(() =>
      afterPaint(() => performance.measure(${JSON.stringify(KEYSTROKE_MEASURE)}, { start, end: performance.now() })),
    );
  }, true);
})();
`;

/** Turns measuring on (keystrokes typed before, e.g. to place the caret, are not counted). */
export const START_PROBE_SCRIPT = `window.__keystrokeProbe = true; performance.clearMeasures(${JSON.stringify(KEYSTROKE_MEASURE)});`;

/** The recorded spans in ms, in order. */
export const READ_PROBE_SCRIPT = `performance.getEntriesByName(${JSON.stringify(KEYSTROKE_MEASURE)}).map((entry) => entry.duration)`;
