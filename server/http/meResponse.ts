import type { MeResponse } from '../../shared/domain/index.js';
import type { Principal } from '../auth/authenticate.js';
import { toPublicUser, type MembershipStore, type StoredUser } from '../storage/AccountStore.js';

/** `GET /api/me` and the answers of sign-in and invitation acceptance. */
export async function buildMe(
  store: MembershipStore,
  user: StoredUser,
  auth: Pick<Principal, 'via' | 'scope'>,
): Promise<MeResponse> {
  const memberships = await store.listMemberships({ userId: user.id });
  return {
    user: toPublicUser(user),
    memberships: memberships.map((m) => ({ groupId: m.groupId, role: m.role })),
    auth: { via: auth.via, scope: auth.scope },
  };
}
