import { randomUUID } from 'node:crypto';
import { GROUP_ROLES, type GroupRole, type InvitePreview, type InviteView } from '../../shared/domain/index.js';
import type { InviteStore, RedeemResult, StoredInvite, StoredUser } from '../storage/AccountStore.js';
import type { WorkspaceStore } from '../storage/MetaStore.js';
import { SECRET_PATTERN, newSecret, sha256Hex } from './secrets.js';

export const DEFAULT_INVITE_HOURS = 72;

/** Path of the invitation page in the client; the secret follows it. */
export const INVITE_PATH = '/invite/';

/**
 * Accepting never lowers a role: someone already rapporteur who follows a "member" link stays
 * rapporteur (the link still counts as used). Lowering someone is a deliberate act in the member
 * list, not a side effect of a stale link.
 */
export function roleAfterAccepting(current: GroupRole | undefined, offered: GroupRole): GroupRole {
  if (current === undefined) return offered;
  // GROUP_ROLES is ordered from most to least rights.
  return GROUP_ROLES.indexOf(current) <= GROUP_ROLES.indexOf(offered) ? current : offered;
}

export function toInviteView(invite: StoredInvite, url?: string): InviteView {
  return {
    id: invite.id,
    groupId: invite.groupId,
    role: invite.role,
    email: invite.email,
    createdAt: invite.createdAt,
    expiresAt: invite.expiresAt,
    usedAt: invite.usedAt,
    ...(url === undefined ? {} : { url }),
  };
}

/**
 * Invitation links: single use, expiring, tied to one group and role (and optionally one email).
 * The link carries 32 random bytes; the store keeps only their SHA-256, so the link is shown once,
 * on creation.
 */
export class InviteService {
  private readonly now: () => Date;

  constructor(private readonly deps: { store: InviteStore; workspace: Pick<WorkspaceStore, 'getGroup'>; now?: () => Date }) {
    this.now = deps.now ?? (() => new Date());
  }

  async create(
    createdBy: string,
    groupId: string,
    input: { role: GroupRole; email?: string | undefined; expiresInHours?: number | undefined },
    baseUrl: string,
  ): Promise<InviteView> {
    const secret = newSecret();
    const now = this.now();
    const invite: StoredInvite = {
      id: randomUUID(),
      groupId,
      role: input.role,
      email: input.email ?? null,
      hash: sha256Hex(secret),
      createdBy,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + (input.expiresInHours ?? DEFAULT_INVITE_HOURS) * 3_600_000).toISOString(),
      usedAt: null,
      usedBy: null,
      revokedAt: null,
    };
    await this.deps.store.insertInvite(invite);
    return toInviteView(invite, `${baseUrl}${INVITE_PATH}${secret}`);
  }

  /** Open and used invitations of a group, newest first; revoked ones are gone for good. */
  async list(groupId: string): Promise<InviteView[]> {
    const invites = await this.deps.store.listInvites(groupId);
    return invites
      .filter((invite) => invite.revokedAt === null)
      .reverse()
      .map((invite) => toInviteView(invite));
  }

  /**
   * Withdraws an invitation; undefined when the group has no such invitation. Withdrawing one
   * twice is not an error (DELETE is idempotent), but only the first time is `withdrawnNow`, so
   * the activity log gets one entry. The store keeps the first withdrawal time, so an invitation
   * withdrawn before carries an earlier time than this call's.
   */
  async revoke(groupId: string, inviteId: string): Promise<{ invite: StoredInvite; withdrawnNow: boolean } | undefined> {
    const at = this.now().toISOString();
    const invite = await this.deps.store.revokeInvite(groupId, inviteId, at);
    return invite && { invite, withdrawnNow: invite.revokedAt === at };
  }

  /** The stored invitation for a link secret, or undefined (unknown, or not a well-formed secret). */
  async find(secret: string): Promise<StoredInvite | undefined> {
    if (!SECRET_PATTERN.test(secret)) return undefined;
    return this.deps.store.getInviteByHash(sha256Hex(secret));
  }

  /** What the invitation page shows; undefined for an unknown link (HTTP 404). */
  async preview(secret: string): Promise<InvitePreview | undefined> {
    const invite = await this.find(secret);
    if (!invite) return undefined;
    const group = await this.deps.workspace.getGroup(invite.groupId);
    if (!group) return undefined;
    return { groupName: group.name, role: invite.role, expiresAt: invite.expiresAt, valid: this.usable(invite) };
  }

  usable(invite: StoredInvite): boolean {
    return invite.usedAt === null && invite.revokedAt === null && invite.expiresAt > this.now().toISOString();
  }

  /** Redeems for an existing user, or for `newUser`, created in the same write. */
  redeem(invite: StoredInvite, account: { userId: string; newUser?: StoredUser }): Promise<RedeemResult> {
    return this.deps.store.redeemInvite({
      inviteId: invite.id,
      now: this.now().toISOString(),
      userId: account.userId,
      ...(account.newUser ? { newUser: account.newUser } : {}),
      role: (current) => roleAfterAccepting(current, invite.role),
    });
  }
}
