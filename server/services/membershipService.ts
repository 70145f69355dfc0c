import type { GroupRole, MemberEntry } from '../../shared/domain/index.js';
import type { AccessEvents } from '../auth/accessEvents.js';
import type { MembershipStore, StoredMembership, StoredUser, UserStore } from '../storage/AccountStore.js';
import type { ActivityLog } from './activityLog.js';

export interface MembershipServiceDeps {
  store: MembershipStore & UserStore;
  events: AccessEvents;
  activity: ActivityLog;
  now: () => Date;
}

/**
 * Group memberships: who is in a group with which role. Changes are announced so that sockets of
 * the person concerned are re-checked at once (removed: closed; demoted: reconnect read-only).
 */
export class MembershipService {
  constructor(private readonly deps: MembershipServiceDeps) {}

  /** The group's members, in the order they joined; emails only when `withEmails`. */
  async list(groupId: string, withEmails: boolean): Promise<MemberEntry[]> {
    const memberships = await this.deps.store.listMemberships({ groupId });
    const users = new Map((await this.deps.store.listUsers()).map((user) => [user.id, user]));
    return memberships.flatMap((membership) => {
      const user = users.get(membership.userId);
      return user ? [toMemberEntry(membership, user, withEmails)] : [];
    });
  }

  /** Adds the user to the group or changes their role; undefined when the user does not exist. */
  async setRole(actorId: string, groupId: string, userId: string, role: GroupRole, withEmails: boolean): Promise<MemberEntry | undefined> {
    const user = await this.deps.store.getUser(userId);
    if (!user) return undefined;
    const existing = await this.deps.store.getMembership(groupId, userId);
    const membership: StoredMembership = { groupId, userId, role, addedAt: existing?.addedAt ?? this.deps.now().toISOString() };
    const previous = await this.deps.store.putMembership(membership);
    if (previous?.role !== role) {
      await this.deps.activity.record('member.role-changed', actorId, { groupId, targetUserId: userId, details: { from: previous?.role ?? null, to: role } });
      this.deps.events.emit({ userId, groupId, reason: 'role changed' });
    }
    return toMemberEntry(membership, user, withEmails);
  }

  /** Removes the user from the group; false when they were not a member. */
  async remove(actorId: string, groupId: string, userId: string): Promise<boolean> {
    const removed = await this.deps.store.deleteMembership(groupId, userId);
    if (!removed) return false;
    await this.deps.activity.record('member.removed', actorId, { groupId, targetUserId: userId, details: { role: removed.role } });
    this.deps.events.emit({ userId, groupId, reason: 'removed from group' });
    return true;
  }
}

export function toMemberEntry(membership: StoredMembership, user: StoredUser, withEmail: boolean): MemberEntry {
  return {
    user: { id: user.id, name: user.name, color: user.color, active: user.active, ...(withEmail ? { email: user.email } : {}) },
    role: membership.role,
    addedAt: membership.addedAt,
  };
}
