import type { InviteView } from '../../../shared/domain/index.js';

/** How long a new invitation link works; a week by default (a meeting cycle). */
export const EXPIRY_CHOICES = [
  { hours: 24, label: '1 day' },
  { hours: 72, label: '3 days' },
  { hours: 168, label: '1 week' },
  { hours: 336, label: '2 weeks' },
  { hours: 720, label: '30 days' },
] as const;

/** Not used and not expired: still waiting for someone. */
export function isPending(invite: Pick<InviteView, 'usedAt' | 'expiresAt'>, now: Date = new Date()): boolean {
  if (invite.usedAt !== null) return false;
  const expires = Date.parse(invite.expiresAt);
  return !Number.isNaN(expires) && expires > now.getTime();
}
