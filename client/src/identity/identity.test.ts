import { describe, expect, it } from 'vitest';
import {
  IDENTITY_COLORS,
  IDENTITY_STORAGE_KEY,
  initials,
  loadIdentity,
  normalizeName,
  parseIdentity,
  randomIdentityColor,
  saveIdentity,
} from './identity.js';

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
}

describe('identity', () => {
  it('round-trips through storage', () => {
    const storage = new MemoryStorage();
    saveIdentity({ name: 'Maria Rossi', color: '#1d4ed8' }, storage);
    expect(JSON.parse(storage.getItem(IDENTITY_STORAGE_KEY)!)).toEqual({ name: 'Maria Rossi', color: '#1d4ed8' });
    expect(loadIdentity(storage)).toEqual({ name: 'Maria Rossi', color: '#1d4ed8' });
  });

  it('treats missing, malformed or invalid stored values as not chosen', () => {
    expect(parseIdentity(null)).toBeNull();
    expect(parseIdentity('{not json')).toBeNull();
    expect(parseIdentity(JSON.stringify({ name: '   ', color: '#1d4ed8' }))).toBeNull();
    // CollaborationCaret only draws six-digit hex colours.
    expect(parseIdentity(JSON.stringify({ name: 'Ana', color: 'red' }))).toBeNull();
    expect(parseIdentity(JSON.stringify({ name: 'Ana', color: '#fff' }))).toBeNull();
  });

  it('survives a storage that throws', () => {
    const throwing = {
      getItem: () => {
        throw new Error('denied');
      },
    };
    expect(loadIdentity(throwing)).toBeNull();
  });

  it('normalises names', () => {
    expect(normalizeName('  Maria   Rossi \n')).toBe('Maria Rossi');
    expect(normalizeName('x'.repeat(100))).toHaveLength(40);
    expect(parseIdentity(JSON.stringify({ name: ' Ana  K ', color: '#1D4ED8' }))).toEqual({ name: 'Ana K', color: '#1d4ed8' });
  });

  it('offers only caret-compatible colours', () => {
    for (const color of IDENTITY_COLORS) expect(color).toMatch(/^#[0-9a-f]{6}$/);
    expect(randomIdentityColor(() => 0)).toBe(IDENTITY_COLORS[0]);
    expect(randomIdentityColor(() => 0.9999)).toBe(IDENTITY_COLORS[IDENTITY_COLORS.length - 1]);
  });

  it('makes initials', () => {
    expect(initials('Maria van der Berg')).toBe('MB');
    expect(initials('ana')).toBe('AN');
    expect(initials('Ö')).toBe('Ö');
    expect(initials('élodie simon')).toBe('ÉS');
    expect(initials('  ')).toBe('?');
  });
});
