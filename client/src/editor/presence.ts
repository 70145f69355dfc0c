import { isValidIdentity, normalizeName } from '../identity/identity.js';

/** One person in the document, however many tabs or windows they have open. */
export interface Participant {
  /** The account id (what the server stamps); a name-and-colour key for a state without one. */
  key: string;
  name: string;
  color: string;
  isSelf: boolean;
  /** Number of awareness states (tabs) behind this person. */
  sessions: number;
}

/**
 * Turns awareness states into the avatar list. The server stamps every state's `user` with the
 * account (`{ id, name, color }`), so a person is their account id: two tabs of the same
 * person are one avatar, and two people who happen to share a name stay two. A state without
 * an id (the local state before the server's stamp comes back) falls back to name and colour.
 * States without a valid `user` are skipped.
 *
 * @param selfUserId the signed-in account: your other tabs count as you, too.
 */
export function participantsFromAwareness(
  states: ReadonlyMap<number, Record<string, unknown>>,
  selfClientId: number,
  selfUserId: string | null = null,
): Participant[] {
  const byKey = new Map<string, Participant>();
  for (const [clientId, state] of states) {
    const user = state['user'];
    if (!isValidIdentity(user)) continue;
    const id = (user as { id?: unknown }).id;
    const name = normalizeName(user.name);
    const color = user.color.toLowerCase();
    const key = typeof id === 'string' && id !== '' ? `id:${id}` : `name:${name.toLowerCase()}|${color}`;
    const isSelf = clientId === selfClientId || (selfUserId !== null && id === selfUserId);
    const existing = byKey.get(key);
    if (existing) {
      existing.sessions += 1;
      existing.isSelf ||= isSelf;
      // The latest name wins only for our own stamp: a renamed person shows the new name.
      if (isSelf) Object.assign(existing, { name, color });
    } else {
      byKey.set(key, { key, name, color, isSelf, sessions: 1 });
    }
  }
  return [...byKey.values()].sort((a, b) => Number(b.isSelf) - Number(a.isSelf) || a.name.localeCompare(b.name));
}
