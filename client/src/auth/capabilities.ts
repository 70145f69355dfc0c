import { can, GROUP_ROLE_LABELS, type DocumentView, type GroupStanding, type TokenScope } from '../../../shared/domain/index.js';

type DocumentAccessLevel = DocumentView['access'];

/**
 * What the interface offers a person in one group. Derived only from the shared roles table
 * (`can`), so the client never has its own idea of who may do what; the server enforces the
 * same table and refuses anything this gets wrong.
 */
export interface GroupCapabilities {
  canView: boolean;
  /** Create documents and change their content and metadata. */
  canEdit: boolean;
  /** Invite, change roles, remove members. */
  canManageMembers: boolean;
}

/**
 * @param scope how this browser is authenticated: a read-only token can never edit or manage,
 *   whatever the role (the browser uses a full session; scripts may not).
 */
export function groupCapabilities(standing: GroupStanding, scope: TokenScope = 'full'): GroupCapabilities {
  const writable = scope === 'full';
  return {
    canView: can(standing, 'group.view'),
    canEdit: writable && can(standing, 'document.edit'),
    canManageMembers: writable && can(standing, 'members.manage'),
  };
}

/** The badge text for a standing: "Admin", "Rapporteur", "Member", "Reader"; null for none. */
export function standingLabel(standing: GroupStanding): string | null {
  if (standing === null) return null;
  return standing === 'admin' ? 'Admin' : GROUP_ROLE_LABELS[standing];
}

/**
 * How a document opens. The server's `access` decides; anything unexpected (an old cached copy
 * without it, a read-only token) opens read-only, which can only hide controls, never leak.
 */
export function documentMode(access: DocumentAccessLevel | undefined, scope: TokenScope = 'full'): DocumentAccessLevel {
  return access === 'edit' && scope === 'full' ? 'edit' : 'read';
}

/**
 * The controls on one row of a group's member list. Managers do not get controls on their own
 * row: a rapporteur who demotes or removes themselves locks themselves out of the very panel
 * they are using. A workspace admin's rights do not come from the membership, so they may.
 */
export function memberRowControls(standing: GroupStanding, isSelf: boolean): { canChangeRole: boolean; canRemove: boolean } {
  const manage = can(standing, 'members.manage') && (!isSelf || standing === 'admin');
  return { canChangeRole: manage, canRemove: manage };
}
