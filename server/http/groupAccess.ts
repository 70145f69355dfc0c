import { can, type Group, type GroupStanding, type Permission } from '../../shared/domain/index.js';
import { standingIn } from '../auth/access.js';
import type { Principal } from '../auth/authenticate.js';
import type { MetaStore } from '../storage/MetaStore.js';
import { forbidden, notFound } from './errors.js';

/**
 * The group behind `:groupId` if the principal may see it; otherwise the same 404 as for an
 * unknown id, so nobody can tell a group they are not in from one that does not exist.
 */
export async function visibleGroup(meta: MetaStore, principal: Principal, groupId: string): Promise<{ group: Group; standing: GroupStanding }> {
  const group = await meta.getGroup(groupId);
  if (!group) throw notFound('group');
  const standing = await standingIn(meta, principal, groupId);
  if (!can(standing, 'group.view')) throw notFound('group');
  return { group, standing };
}

/** Like visibleGroup, and then 403 FORBIDDEN unless the standing grants `permission`. */
export async function groupWith(meta: MetaStore, principal: Principal, groupId: string, permission: Permission, action: string): Promise<{ group: Group; standing: GroupStanding }> {
  const found = await visibleGroup(meta, principal, groupId);
  if (!can(found.standing, permission)) throw forbidden(`Your role in this group does not allow you to ${action}.`);
  return found;
}
