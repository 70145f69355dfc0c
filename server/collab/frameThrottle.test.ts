import { afterEach, describe, expect, it, vi } from 'vitest';
import { FrameThrottle } from './frameThrottle.js';
import { TurnBudget, type FrameQueue } from './turnBudget.js';

describe('per-socket rate limits', () => {
  it('ABUSE-4: a burst passes, then the sustained rate; the rest is dropped, and the wait for the next token is known', () => {
    let now = 0;
    const throttle = new FrameThrottle({ perSecond: 10, burst: 30, now: () => now });
    const verdicts = Array.from({ length: 40 }, () => throttle.take());
    expect(verdicts.filter((v) => v === 'pass')).toHaveLength(30);
    expect(verdicts.slice(30).every((v) => v === 'drop')).toBe(true);
    expect(throttle.msUntilToken()).toBe(100);
    now += 100;
    expect(throttle.take()).toBe('pass');
    expect(throttle.take()).toBe('drop');
    now += 1000;
    expect(throttle.spend()).toBe(true); // a held-back message uses a token without counting as an arrival
  });

  it('ABUSE-5: three times the rate for a long time is dropping, never a flood', () => {
    let now = 0;
    const throttle = new FrameThrottle({ perSecond: 10, burst: 30, now: () => now });
    for (let i = 0; i < 30 * 60; i++) {
      expect(throttle.take()).not.toBe('flood');
      now += 1000 / 30;
    }
  });

  it('ABUSE-6: more than ten times the rate within the flood window is a flood', () => {
    let now = 0;
    const throttle = new FrameThrottle({ perSecond: 10, burst: 30, now: () => now });
    let verdict = 'pass';
    let sent = 0;
    while (verdict !== 'flood' && sent < 10_000) {
      verdict = throttle.take();
      sent++;
      now += 1000 / 150; // 15× the rate
    }
    expect(verdict).toBe('flood');
    expect(sent).toBe(501); // 10 × 10/s × 5 s, then one more
  });
});

describe('the turn budget', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('FUZZ-6: once a turn has used its budget, frames wait in their queues and are served round-robin in later turns, in order per socket', async () => {
    let now = 0;
    const budget = new TurnBudget(20, () => now);
    const handled: string[] = [];
    const queue = (name: string, frames: number): FrameQueue & { left: number } => {
      const q = {
        left: frames,
        handleNext(): boolean {
          handled.push(`${name}${frames - q.left}`);
          now += 15; // every frame costs 15 ms
          q.left--;
          return q.left > 0;
        },
      };
      return q;
    };
    // One turn: the first frame is handled at once, the second still fits (15 < 20), then no more.
    expect(budget.tryEnter()).toBe(true);
    now += 15;
    expect(budget.tryEnter()).toBe(true);
    now += 15;
    expect(budget.tryEnter()).toBe(false);
    const a = queue('a', 3);
    const b = queue('b', 2);
    budget.schedule(a);
    budget.schedule(b);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Two frames per later turn at most (15 + 15 > 20 stops the turn), alternating sockets.
    expect(handled).toEqual(['a0', 'b0', 'a1', 'b1', 'a2']);
  });
});
