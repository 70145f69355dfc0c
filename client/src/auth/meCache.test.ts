import { describe, expect, it } from 'vitest';
import type { MeResponse } from '../../../shared/domain/index.js';
import { forgetAccount, loadCachedMe, ME_CACHE_KEY, parseCachedMe, saveCachedMe, userStoragePrefix } from './meCache.js';

class MemoryStorage {
  readonly items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  key(i: number) {
    return [...this.items.keys()][i] ?? null;
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

const me: MeResponse = {
  user: { id: 'u1', email: 'ana@example.eu', name: 'Ana', color: '#0f766e', isAdmin: false, active: true, createdAt: '2024-01-01T00:00:00Z' },
  memberships: [{ groupId: 'digital-transition', role: 'member' }],
  auth: { via: 'session', scope: 'full' },
};

describe('me cache', () => {
  it('round-trips and refuses anything malformed', () => {
    const storage = new MemoryStorage();
    saveCachedMe(me, storage);
    expect(loadCachedMe(storage)).toEqual(me);
    expect(parseCachedMe('{nope')).toBeNull();
    expect(parseCachedMe(JSON.stringify({ user: { id: 1 }, memberships: [] }))).toBeNull();
    expect(parseCachedMe(JSON.stringify({ user: me.user }))).toBeNull();
  });

  it('forgets the account and only that account', () => {
    const storage = new MemoryStorage();
    saveCachedMe(me, storage);
    storage.setItem(`${userStoragePrefix('u1')}documentMeta.d1`, '{}');
    storage.setItem(`${userStoragePrefix('u2')}documentMeta.d1`, '{}');
    storage.setItem('unrelated', 'x');
    forgetAccount('u1', storage);
    expect([...storage.items.keys()].sort()).toEqual([`${userStoragePrefix('u2')}documentMeta.d1`, 'unrelated']);
    expect(storage.getItem(ME_CACHE_KEY)).toBeNull();
  });
});
