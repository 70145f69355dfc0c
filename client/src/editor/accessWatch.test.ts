import { describe, expect, it } from 'vitest';
import { closeReaction, RECHECK_INTERVAL_MS } from './accessWatch.js';

describe('closeReaction', () => {
  const never = Number.NEGATIVE_INFINITY;

  it('maps the access close codes', () => {
    expect(closeReaction(4401, never, 0)).toBe('sign-in');
    expect(closeReaction(4403, never, 0)).toBe('revoked');
    expect(closeReaction(4001, never, 0)).toBe('recheck');
  });

  it('rechecks after permission changes every time', () => {
    expect(closeReaction(4001, 1000, 1001)).toBe('recheck');
  });

  it('asks the API about a socket that died without a close frame, but not on every retry', () => {
    expect(closeReaction(1006, never, 5000)).toBe('recheck');
    expect(closeReaction(1006, 5000, 5000 + RECHECK_INTERVAL_MS - 1)).toBe('none');
    expect(closeReaction(1006, 5000, 5000 + RECHECK_INTERVAL_MS)).toBe('recheck');
  });

  it('leaves every other close to the provider and the status badge', () => {
    for (const code of [null, 1000, 1001, 1009, 4400, 4413, 4500]) expect(closeReaction(code, never, 0)).toBe('none');
  });
});
