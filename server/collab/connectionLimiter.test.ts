import { describe, expect, it } from 'vitest';
import { ConnectionLimiter } from './connectionLimiter.js';

describe('per-user socket limits', () => {
  it('AUTH-19: new sockets per minute and open sockets per user are limited; releasing frees a slot', () => {
    let now = 0;
    const limiter = new ConnectionLimiter(3, 2, () => now);
    const a = limiter.tryAcquire('ana')!;
    const b = limiter.tryAcquire('ana')!;
    expect(limiter.tryAcquire('ana')).toBeNull(); // two open at once
    expect(limiter.tryAcquire('bob')).not.toBeNull(); // per user
    a();
    a(); // releasing twice frees one slot only
    const c = limiter.tryAcquire('ana')!;
    expect(c).not.toBeNull();
    b();
    c();
    expect(limiter.tryAcquire('ana')).toBeNull(); // three opened within the minute
    now += 60_000;
    expect(limiter.tryAcquire('ana')).not.toBeNull();
  });

  it('AUTH-19: the minute slides: each opening frees its slot exactly 60 s later, also with a high limit', () => {
    let now = 0;
    const limiter = new ConnectionLimiter(1_000, Number.MAX_SAFE_INTEGER, () => now);
    // 1,000 openings spread over 10 s fill the minute.
    for (let i = 0; i < 1_000; i++) {
      now = i * 10;
      expect(limiter.tryAcquire('ana')).not.toBeNull();
    }
    now = 59_999;
    expect(limiter.tryAcquire('ana')).toBeNull();
    // At 60 s the first opening (t = 0) has left the window: one slot, not more.
    now = 60_000;
    expect(limiter.tryAcquire('ana')).not.toBeNull();
    expect(limiter.tryAcquire('ana')).toBeNull();
    // 50 ms later the openings at 10..50 ms have left too: five more slots.
    now = 60_050;
    for (let i = 0; i < 5; i++) expect(limiter.tryAcquire('ana')).not.toBeNull();
    expect(limiter.tryAcquire('ana')).toBeNull();
    // Once the whole burst is a minute old the user has the full budget again.
    now = 60_050 + 60_000;
    for (let i = 0; i < 1_000; i++) expect(limiter.tryAcquire('ana')).not.toBeNull();
    expect(limiter.tryAcquire('ana')).toBeNull();
  });

  it('AUTH-19: a refused attempt does not count, and a released socket keeps its place in the minute', () => {
    let now = 0;
    const limiter = new ConnectionLimiter(2, 1, () => now);
    const first = limiter.tryAcquire('ana')!;
    expect(limiter.tryAcquire('ana')).toBeNull(); // one open at a time
    first();
    const second = limiter.tryAcquire('ana')!; // the refusal above used no slot of the minute
    expect(second).not.toBeNull();
    second();
    expect(limiter.tryAcquire('ana')).toBeNull(); // two opened this minute, though none is open
    now = 60_000;
    expect(limiter.tryAcquire('ana')).not.toBeNull();
  });
});
