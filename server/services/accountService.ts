import type { PublicUser } from '../../shared/domain/index.js';
import type { AccessEvents } from '../auth/accessEvents.js';
import type { Principal } from '../auth/authenticate.js';
import { burnPasswordCheck, hashPassword, verifyPassword } from '../auth/passwords.js';
import type { SessionService } from '../auth/sessions.js';
import { AccountConflictError, toPublicUser, type StoredUser, type UserStore } from '../storage/AccountStore.js';
import type { ActivityLog } from './activityLog.js';
import { buildUser } from './userFactory.js';

export interface AccountServiceDeps {
  users: UserStore;
  sessions: SessionService;
  events: AccessEvents;
  activity: ActivityLog;
  now: () => Date;
}

/** The current password given to change it was wrong (HTTP: 401 INVALID_CREDENTIALS). */
export class WrongPasswordError extends Error {
  constructor() {
    super('The current password is not correct.');
    this.name = 'WrongPasswordError';
  }
}

/**
 * Accounts: creation and changes by admins, a person's own profile and password, and checking a
 * password at sign-in. Every change that can take rights away announces it (AccessEvents), so
 * open sockets are re-checked.
 */
export class AccountService {
  constructor(private readonly deps: AccountServiceDeps) {}

  /**
   * The user for an email and password, or null — the same null, after the same scrypt work,
   * for an unknown email, a wrong password, a deactivated account and one without a password.
   */
  async checkCredentials(email: string, password: string): Promise<StoredUser | null> {
    const user = await this.deps.users.findUserByEmail(email);
    if (!user || user.passwordHash === null) return burnPasswordCheck(password).then(() => null);
    const matches = await verifyPassword(password, user.passwordHash);
    return matches && user.active ? user : null;
  }

  async createUser(actorId: string | null, input: { email: string; name: string; password: string; isAdmin?: boolean; color?: string }): Promise<PublicUser> {
    if (await this.deps.users.findUserByEmail(input.email)) throw new AccountConflictError('An account with this email already exists.');
    const user = await buildUser(input, this.deps.now());
    await this.deps.users.insertUser(user);
    await this.deps.activity.record('user.created', actorId, { targetUserId: user.id, details: { email: user.email, isAdmin: user.isAdmin } });
    return toPublicUser(user);
  }

  /**
   * An admin's change to a user. Deactivating ends their sessions (their tokens stop working
   * while inactive) and closes their sockets; the last active admin cannot be demoted or
   * deactivated, so the workspace always has someone who can manage it.
   */
  async patchUser(actorId: string, userId: string, patch: { name?: string; isAdmin?: boolean; active?: boolean; color?: string }): Promise<PublicUser | undefined> {
    const current = await this.deps.users.getUser(userId);
    if (!current) return undefined;
    const losesAdmin = current.isAdmin && current.active && (patch.isAdmin === false || patch.active === false);
    if (losesAdmin && (await this.activeAdminCount()) <= 1) {
      throw new AccountConflictError('This is the last active admin: make someone else an admin first.');
    }
    const updated = await this.deps.users.updateUser(userId, { ...patch, ...(patch.color ? { color: patch.color.toLowerCase() } : {}) });
    if (!updated) return undefined;
    if (patch.active === false && current.active) {
      await this.deps.sessions.revokeAllOf(userId, 'user deactivated');
      await this.deps.activity.record('user.deactivated', actorId, { targetUserId: userId });
    } else {
      await this.deps.activity.record('user.updated', actorId, { targetUserId: userId, details: describePatch(patch) });
    }
    // Admin flag, activity or name changed: sockets re-check (and pick up a new name and colour).
    this.deps.events.emit({ userId, reason: 'user changed' });
    return toPublicUser(updated);
  }

  async patchMe(principal: Principal, patch: { name?: string; color?: string }): Promise<PublicUser> {
    const updated = await this.deps.users.updateUser(principal.user.id, { ...patch, ...(patch.color ? { color: patch.color.toLowerCase() } : {}) });
    this.deps.events.emit({ userId: principal.user.id, reason: 'profile changed' });
    return toPublicUser(updated ?? principal.user);
  }

  /** Changes the password after checking the current one; ends every other session of the user. */
  async changePassword(principal: Principal, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.deps.users.getUser(principal.user.id);
    const ok = user?.passwordHash ? await verifyPassword(currentPassword, user.passwordHash) : await burnPasswordCheck(currentPassword);
    if (!ok) throw new WrongPasswordError();
    await this.deps.users.updateUser(principal.user.id, { passwordHash: await hashPassword(newPassword) });
    const keep = principal.via === 'session' ? principal.credentialId : undefined;
    await this.deps.sessions.revokeAllOf(principal.user.id, 'password changed', keep);
    await this.deps.activity.record('user.updated', principal.user.id, { targetUserId: principal.user.id, details: { change: 'password' } });
  }

  private async activeAdminCount(): Promise<number> {
    return (await this.deps.users.listUsers()).filter((user) => user.isAdmin && user.active).length;
  }
}

function describePatch(patch: Record<string, unknown>): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[key] = value;
  }
  return out;
}
