import { isValidIdentity, normalizeName } from '../identity/identity.js';

/** One person in the document, however many tabs or windows they have open. */
export interface Participant {
  key: string;
  name: string;
  color: string;
  isSelf: boolean;
  /** Number of awareness states (tabs) behind this person. */
  sessions: number;
}

/**
 * Turns awareness states into the avatar list. States without a valid `user` (a client that
 * has not published one yet) are skipped. Until accounts exist there is no user id, so a
 * person is their name and colour: the same identity in two tabs shows one avatar.
 */
export function participantsFromAwareness(states: ReadonlyMap<number, Record<string, unknown>>, selfClientId: number): Participant[] {
  const byKey = new Map<string, Participant>();
  for (const [clientId, state] of states) {
    const user = state['user'];
    if (!isValidIdentity(user)) continue;
    const name = normalizeName(user.name);
    const color = user.color.toLowerCase();
    const key = `${name.toLowerCase()}|${color}`;
    const isSelf = clientId === selfClientId;
    const existing = byKey.get(key);
    if (existing) {
      existing.sessions += 1;
      existing.isSelf ||= isSelf;
    } else {
      byKey.set(key, { key, name, color, isSelf, sessions: 1 });
    }
  }
  return [...byKey.values()].sort((a, b) => Number(b.isSelf) - Number(a.isSelf) || a.name.localeCompare(b.name));
}
