import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { browserFrameClock, FRAME_FALLBACK_MS, notifyAfterNextFrame } from './frameClock.js';
import { manualFrames } from './testing/manualFrames.js';

/** requestAnimationFrame as the test's page has it: callbacks run when the test produces a frame. */
function stubFrames() {
  let next = 1;
  const callbacks = new Map<number, () => void>();
  const requests = { count: 0 };
  vi.stubGlobal('requestAnimationFrame', (callback: () => void) => {
    requests.count++;
    callbacks.set(next, callback);
    return next++;
  });
  vi.stubGlobal('cancelAnimationFrame', (id: number) => void callbacks.delete(id));
  return {
    requests,
    frame(): void {
      const due = [...callbacks.values()];
      callbacks.clear();
      for (const callback of due) callback();
    },
  };
}

describe('browserFrameClock', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('VIEW-5: calls back during the next frame, then in a task of its own after it', () => {
    const frames = stubFrames();
    const calls: string[] = [];
    browserFrameClock().afterNextFrame(
      () => calls.push('framing'),
      () => calls.push('painted'),
    );
    frames.frame();
    expect(calls).toEqual(['framing']);
    vi.advanceTimersByTime(0);
    expect(calls).toEqual(['framing', 'painted']);
    // The fallback timer is gone: nothing runs twice.
    vi.advanceTimersByTime(FRAME_FALLBACK_MS);
    expect(calls).toEqual(['framing', 'painted']);
  });

  it('VIEW-5: everything waiting for the same frame shares one frame callback and one timer', () => {
    const frames = stubFrames();
    const clock = browserFrameClock();
    const calls: string[] = [];
    clock.afterNextFrame(() => calls.push('first framing'), () => calls.push('first painted'));
    browserFrameClock().afterNextFrame(() => calls.push('second framing'), () => calls.push('second painted'));
    expect(frames.requests.count).toBe(1);
    expect(vi.getTimerCount()).toBe(1);
    frames.frame();
    vi.advanceTimersByTime(0);
    expect(calls).toEqual(['first framing', 'second framing', 'first painted', 'second painted']);
    // Asking again once a frame is out waits for the next one.
    clock.afterNextFrame(() => calls.push('next framing'), () => undefined);
    expect(frames.requests.count).toBe(2);
    frames.frame();
    expect(calls.at(-1)).toBe('next framing');
    vi.advanceTimersByTime(0);
  });

  it('VIEW-5: posts the task after the frame at user-visible priority where the browser has scheduler.postTask', () => {
    const frames = stubFrames();
    const priorities: string[] = [];
    vi.stubGlobal('scheduler', {
      postTask: (callback: () => void, { priority }: { priority: string }) => {
        priorities.push(priority);
        callback();
        return Promise.resolve();
      },
    });
    let painted = false;
    browserFrameClock().afterNextFrame(
      () => undefined,
      () => void (painted = true),
    );
    frames.frame();
    expect(painted).toBe(true);
    expect(priorities).toEqual(['user-visible']);
  });

  it('VIEW-5: a page that produces no frames (hidden) is called back by a timer, and a cancelled wait never', () => {
    stubFrames();
    const calls: string[] = [];
    const clock = browserFrameClock();
    clock.afterNextFrame(
      () => calls.push('framing'),
      () => calls.push('painted'),
    );
    const cancel = clock.afterNextFrame(
      () => calls.push('cancelled framing'),
      () => calls.push('cancelled painted'),
    );
    cancel();
    vi.advanceTimersByTime(FRAME_FALLBACK_MS - 1);
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(calls).toEqual(['framing', 'painted']);
  });
});

describe('notifyAfterNextFrame', () => {
  it('VIEW-5: a subscriber hears of waiting changes after the next frame, once for all of them, of others at once, and of none after unsubscribing', () => {
    const { clock, frame } = manualFrames();
    const storeListeners = new Set<() => void>();
    let waits = true;
    const subscribe = notifyAfterNextFrame(
      (listener) => {
        storeListeners.add(listener);
        return () => storeListeners.delete(listener);
      },
      () => waits,
      clock,
    );
    let heard = 0;
    const unsubscribe = subscribe(() => heard++);
    const change = (): void => storeListeners.forEach((listener) => listener());
    change();
    change();
    expect(heard).toBe(0);
    frame();
    expect(heard).toBe(1);
    frame();
    expect(heard).toBe(1);
    // A change that does not wait is heard at once, and a waiting one is then not repeated.
    change();
    waits = false;
    change();
    expect(heard).toBe(2);
    frame();
    expect(heard).toBe(2);
    waits = true;
    change();
    unsubscribe();
    frame();
    expect(heard).toBe(2);
    expect(storeListeners.size).toBe(0);
  });
});
