import { describe, expect, it } from 'vitest';
import { EXPIRY_CHOICES, isPending } from './invites.js';

describe('isPending', () => {
  const now = new Date('2024-05-10T12:00:00Z');
  it('is pending only while unused and unexpired', () => {
    expect(isPending({ usedAt: null, expiresAt: '2024-05-11T12:00:00Z' }, now)).toBe(true);
    expect(isPending({ usedAt: '2024-05-10T11:00:00Z', expiresAt: '2024-05-11T12:00:00Z' }, now)).toBe(false);
    expect(isPending({ usedAt: null, expiresAt: '2024-05-10T12:00:00Z' }, now)).toBe(false);
    expect(isPending({ usedAt: null, expiresAt: 'garbage' }, now)).toBe(false);
  });

  it('offers only expiries the server accepts (1 hour to 30 days)', () => {
    for (const { hours } of EXPIRY_CHOICES) {
      expect(Number.isInteger(hours)).toBe(true);
      expect(hours).toBeGreaterThanOrEqual(1);
      expect(hours).toBeLessThanOrEqual(24 * 30);
    }
  });
});
