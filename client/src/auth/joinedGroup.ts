import type { GroupMembership } from '../../../shared/domain/index.js';

/**
 * The group an accepted invitation put the person in: the membership that is new or whose
 * role changed. The invitation preview names the group but not its id, so the id is read from
 * the memberships `/api/me` returns before and after. Null when nothing changed (an admin, or
 * someone who already had that role): then the groups overview is the place to land.
 */
export function joinedGroupId(before: readonly GroupMembership[], after: readonly GroupMembership[]): string | null {
  const previous = new Map(before.map((m) => [m.groupId, m.role]));
  const changed = after.find((m) => previous.get(m.groupId) !== m.role);
  return changed?.groupId ?? null;
}
