import { documentAccess, type DocumentAccess, type DocumentMeta, type GroupStanding } from '../../shared/domain/index.js';
import type { MembershipStore } from '../storage/AccountStore.js';
import type { Principal } from './authenticate.js';

/**
 * Rights of a principal, always derived from shared/domain/roles.ts (the one table) and the
 * stored memberships, never from anything the client says. Read-only tokens cap whatever the
 * role allows at 'read'.
 */

/** The principal's standing in a group: 'admin' for workspace admins, their role, or null. */
export async function standingIn(store: MembershipStore, principal: Principal, groupId: string): Promise<GroupStanding> {
  if (principal.user.isAdmin) return 'admin';
  return (await store.getMembership(groupId, principal.user.id))?.role ?? null;
}

/** What the principal may do with one document, given their standing in its group. */
export function accessTo(principal: Principal, standing: GroupStanding, document: Pick<DocumentMeta, 'state'>): DocumentAccess {
  const access = documentAccess(standing, document.state);
  return access === 'edit' && principal.scope === 'read' ? 'read' : access;
}

/** Convenience: standing + access for one document. */
export async function documentAccessFor(store: MembershipStore, principal: Principal, document: DocumentMeta): Promise<DocumentAccess> {
  return accessTo(principal, await standingIn(store, principal, document.groupId), document);
}
