import type { MeResponse } from '../../../shared/domain/index.js';

/**
 * The last `GET /api/me` answer, kept on the device for one purpose: opening documents from
 * this device's copy while the server cannot be reached (the offline mode the editor already
 * had). It holds no secret (the session cookie is httpOnly and never touches JS) and is
 * deleted on sign-out and whenever the server says the session has ended, so it can never
 * stand in for someone who signed out.
 */
export const ME_CACHE_KEY = 'roundtable.me';

/** Everything this device keeps for one account in localStorage starts with this. */
export function userStoragePrefix(userId: string): string {
  return `roundtable.user.${userId}.`;
}

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem' | 'removeItem'>;
type ListableStorage = Storage & Pick<globalThis.Storage, 'length' | 'key'>;

/** Reading `localStorage` itself throws when storage is disabled by privacy settings. */
function defaultStorage(): ListableStorage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

export function parseCachedMe(raw: string | null): MeResponse | null {
  if (raw === null) return null;
  try {
    const value = JSON.parse(raw) as Partial<MeResponse> | null;
    const user = value?.user;
    if (!user || typeof user.id !== 'string' || typeof user.name !== 'string' || typeof user.color !== 'string') return null;
    if (!Array.isArray(value.memberships)) return null;
    return value as MeResponse;
  } catch {
    return null;
  }
}

export function loadCachedMe(storage: Storage | undefined = defaultStorage()): MeResponse | null {
  try {
    return parseCachedMe(storage?.getItem(ME_CACHE_KEY) ?? null);
  } catch {
    return null;
  }
}

export function saveCachedMe(me: MeResponse, storage: Storage | undefined = defaultStorage()): void {
  try {
    storage?.setItem(ME_CACHE_KEY, JSON.stringify(me));
  } catch {
    // A full or disabled storage only costs the offline mode.
  }
}

/**
 * Forgets the account on this device: the cached /api/me and every per-user localStorage entry
 * (document titles kept for offline use). The per-user IndexedDB copies of documents are kept
 * on purpose: they may hold edits not yet on the server, which are sent when the same person
 * signs in again. They are named by user id, so nobody else is ever shown them (see
 * collabSession.ts).
 */
export function forgetAccount(userId: string | null, storage: ListableStorage | undefined = defaultStorage()): void {
  try {
    storage?.removeItem(ME_CACHE_KEY);
    if (!storage || userId === null) return;
    const prefix = userStoragePrefix(userId);
    const doomed: string[] = [];
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      if (key?.startsWith(prefix)) doomed.push(key);
    }
    for (const key of doomed) storage.removeItem(key);
  } catch {
    // Disabled storage holds nothing to forget.
  }
}
