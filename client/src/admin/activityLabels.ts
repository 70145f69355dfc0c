import type { ActivityEntry, ActivityType } from '../../../shared/domain/index.js';

export const ACTIVITY_LABELS: Record<ActivityType, string> = {
  'auth.sign-in': 'Signed in',
  'auth.sign-in-failed': 'Failed sign-in',
  'auth.sign-out': 'Signed out',
  'user.created': 'Account created',
  'user.updated': 'Account changed',
  'user.deactivated': 'Account deactivated',
  'member.role-changed': 'Role changed',
  'member.removed': 'Member removed',
  'invite.created': 'Invitation created',
  'invite.accepted': 'Invitation accepted',
  'invite.revoked': 'Invitation withdrawn',
  'token.created': 'API token created',
  'token.revoked': 'API token revoked',
  'document.created': 'Document created',
};

/** Entries that deserve attention in the log get a warning tone. */
export function activityTone(type: string): 'warning' | 'normal' {
  return type === 'auth.sign-in-failed' || type === 'user.deactivated' || type === 'member.removed' ? 'warning' : 'normal';
}

export function activityLabel(type: string): string {
  return (ACTIVITY_LABELS as Record<string, string>)[type] ?? type;
}

/**
 * The entry's free-form details as "key: value" pairs for people. Keys that name a secret are
 * never shown, even if a server bug put one there; internal ids (`inviteId`, `tokenId`) say
 * nothing to a person and are left out too.
 */
export function activityDetails(entry: Pick<ActivityEntry, 'details'>): string[] {
  if (!entry.details) return [];
  return Object.entries(entry.details)
    .filter(([key, value]) => value !== null && value !== '' && !/password|secret|hash|token$/i.test(key) && !/Id$/.test(key))
    .map(([key, value]) => `${key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}: ${String(value)}`);
}
