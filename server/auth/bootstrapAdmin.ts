import type { UserStore } from '../storage/AccountStore.js';
import type { ActivityLog } from '../services/activityLog.js';
import { buildUser } from '../services/userFactory.js';
import { generatePassword } from './passwords.js';

export interface FirstAdmin {
  email: string;
  /** Set only when the password was generated: it must be shown once, then it is gone. */
  generatedPassword: string | null;
}

/**
 * On a workspace without any account, creates the first admin: ROUNDTABLE_ADMIN_EMAIL /
 * ROUNDTABLE_ADMIN_PASSWORD when set, otherwise `admin@roundtable.local` with a generated
 * password that the caller prints once. Resolves to null when accounts exist already (the
 * variables are then ignored: they are a way in for a fresh install, not a back door).
 */
export async function ensureFirstAdmin(deps: {
  users: UserStore;
  activity: ActivityLog;
  admin: { email: string; password: string | null };
  now: () => Date;
}): Promise<FirstAdmin | null> {
  if ((await deps.users.listUsers()).length > 0) return null;
  const generatedPassword = deps.admin.password === null ? generatePassword() : null;
  const user = await buildUser(
    { email: deps.admin.email, name: 'Administrator', password: deps.admin.password ?? generatedPassword, isAdmin: true },
    deps.now(),
  );
  await deps.users.insertUser(user);
  await deps.activity.record('user.created', null, { targetUserId: user.id, details: { email: user.email, isAdmin: true, firstAdmin: true } });
  return { email: user.email, generatedPassword };
}
