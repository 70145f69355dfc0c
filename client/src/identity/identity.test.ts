import { describe, expect, it } from 'vitest';
import { IDENTITY_COLORS, initials, isHexColor, isValidIdentity, normalizeName } from './identity.js';

describe('identity', () => {
  it('accepts only names with text and caret-compatible colours', () => {
    expect(isValidIdentity({ name: 'Ana', color: '#0f766e' })).toBe(true);
    expect(isValidIdentity({ name: '   ', color: '#1d4ed8' })).toBe(false);
    // CollaborationCaret only draws six-digit hex colours.
    expect(isValidIdentity({ name: 'Ana', color: 'red' })).toBe(false);
    expect(isValidIdentity({ name: 'Ana', color: '#fff' })).toBe(false);
    expect(isValidIdentity('Ana')).toBe(false);
    expect(isHexColor('#A1B2C3')).toBe(true);
  });

  it('normalises names', () => {
    expect(normalizeName('  Maria   Rossi \n')).toBe('Maria Rossi');
    expect(normalizeName('x'.repeat(100))).toHaveLength(80);
  });

  it('offers only caret-compatible colours', () => {
    for (const color of IDENTITY_COLORS) expect(color).toMatch(/^#[0-9a-f]{6}$/);
  });

  it('makes initials', () => {
    expect(initials('Maria van der Berg')).toBe('MB');
    expect(initials('ana')).toBe('AN');
    expect(initials('Ö')).toBe('Ö');
    expect(initials('élodie simon')).toBe('ÉS');
    expect(initials('  ')).toBe('?');
  });
});
