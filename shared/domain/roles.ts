import type { DocumentState } from './documents.js';

/**
 * Who may do what: the one table, used by the server to enforce and by the client to decide
 * what to show. The server never trusts the client's reading of it.
 */
export const GROUP_ROLES = ['rapporteur', 'member', 'reader'] as const;
export type GroupRole = (typeof GROUP_ROLES)[number];

export const GROUP_ROLE_LABELS: Record<GroupRole, string> = {
  rapporteur: 'Rapporteur',
  member: 'Member',
  reader: 'Reader',
};

/** Things a person can do inside a group. Workspace admins can do all of them everywhere. */
export const PERMISSIONS = [
  'group.view', // see the group, its documents' titles and its members
  'document.read', // open a document the role may see (see `canSeeDocument`)
  'document.edit', // change content and metadata, create documents
  'document.changeState', // move documents between draft, review and final
  'members.manage', // invite, change roles, remove members of the group
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Record<GroupRole, readonly Permission[]> = {
  rapporteur: ['group.view', 'document.read', 'document.edit', 'document.changeState', 'members.manage'],
  member: ['group.view', 'document.read', 'document.edit'],
  reader: ['group.view', 'document.read'],
};

/** A person's standing in one group: their role there, or workspace admin, or nothing. */
export type GroupStanding = GroupRole | 'admin' | null;

export function can(standing: GroupStanding, permission: Permission): boolean {
  if (standing === 'admin') return true;
  if (standing === null) return false;
  return ROLE_PERMISSIONS[standing].includes(permission);
}

/**
 * Which document states each role may see. THE place that makes readers see only final
 * documents: today every document is a draft (the publication workflow is not built yet), so
 * readers see drafts read-only; when states arrive, change the reader row to ['final'].
 */
export const VISIBLE_STATES: Record<GroupRole, readonly DocumentState[]> = {
  rapporteur: ['draft', 'review', 'final'],
  member: ['draft', 'review', 'final'],
  reader: ['draft', 'review', 'final'],
};

export function canSeeDocument(standing: GroupStanding, state: DocumentState): boolean {
  if (standing === 'admin') return true;
  if (standing === null) return false;
  return can(standing, 'document.read') && VISIBLE_STATES[standing].includes(state);
}

/** What a connection or request may do with one document. */
export type DocumentAccess = 'edit' | 'read' | 'none';

export function documentAccess(standing: GroupStanding, state: DocumentState): DocumentAccess {
  if (!canSeeDocument(standing, state)) return 'none';
  return can(standing, 'document.edit') ? 'edit' : 'read';
}
