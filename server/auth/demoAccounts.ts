import type { GroupRole } from '../../shared/domain/index.js';
import type { Logger } from '../logger.js';
import type { MembershipStore, StoredMembership, UserStore } from '../storage/AccountStore.js';
import type { WorkspaceStore } from '../storage/MetaStore.js';
import type { ActivityLog } from '../services/activityLog.js';
import { SEED_GROUPS } from '../services/seedData.js';
import { buildUser } from '../services/userFactory.js';

/** Every demo account's email ends with this; the README lists them. */
export const DEMO_DOMAIN = 'demo.roundtable.local';
/** Published in the README: demo accounts must never exist on a real installation. */
export const DEMO_PASSWORD = 'roundtable-demo';

export const DEMO_ACCOUNTS: ReadonlyArray<{ email: string; name: string; role: GroupRole }> = [
  { email: `rapporteur@${DEMO_DOMAIN}`, name: 'Ana Petrović', role: 'rapporteur' },
  { email: `member@${DEMO_DOMAIN}`, name: 'Jonas Weber', role: 'member' },
  { email: `member2@${DEMO_DOMAIN}`, name: 'Chiara Rossi', role: 'member' },
  { email: `reader@${DEMO_DOMAIN}`, name: 'Marta Nowak', role: 'reader' },
];

/**
 * With ROUNDTABLE_DEMO=1: makes sure the demo accounts exist and are active, each in every seeded
 * group with its role (a rapporteur, two members and a reader per group). Without it: any demo
 * account left from an earlier demo run is deactivated, so no account with the published
 * password can sign in.
 */
export async function applyDemoAccounts(deps: {
  store: UserStore & MembershipStore & Pick<WorkspaceStore, 'getGroup'>;
  activity: ActivityLog;
  enabled: boolean;
  logger: Logger;
  now: () => Date;
}): Promise<void> {
  const { store, logger } = deps;
  const demoUsers = (await store.listUsers()).filter((user) => user.email.endsWith(`@${DEMO_DOMAIN}`));
  if (!deps.enabled) {
    for (const user of demoUsers.filter((u) => u.active)) {
      await store.updateUser(user.id, { active: false });
      await deps.activity.record('user.deactivated', null, { targetUserId: user.id, details: { reason: 'ROUNDTABLE_DEMO is not set' } });
      logger.warn({ email: user.email }, 'demo account deactivated because ROUNDTABLE_DEMO is not set');
    }
    return;
  }
  const groups = [];
  for (const seed of SEED_GROUPS) if (await store.getGroup(seed.id)) groups.push(seed.id);
  for (const account of DEMO_ACCOUNTS) {
    const existing = demoUsers.find((user) => user.email === account.email);
    if (existing) {
      if (!existing.active) await store.updateUser(existing.id, { active: true });
      continue;
    }
    const user = await buildUser({ email: account.email, name: account.name, password: DEMO_PASSWORD }, deps.now());
    const memberships: StoredMembership[] = groups.map((groupId) => ({ groupId, userId: user.id, role: account.role, addedAt: user.createdAt }));
    await store.insertUser(user, memberships);
    await deps.activity.record('user.created', null, { targetUserId: user.id, details: { email: user.email, demo: true } });
  }
  logger.warn({ accounts: DEMO_ACCOUNTS.map((a) => a.email) }, `ROUNDTABLE_DEMO=1: demo accounts with the published password "${DEMO_PASSWORD}" are active`);
}
