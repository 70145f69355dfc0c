import type { ActivityEntry, ActivityType, GroupRole, PublicUser, TokenScope } from '../../shared/domain/index.js';

/**
 * Accounts and everything hanging off them: users, group memberships, sessions, API tokens,
 * invitations and the activity log. Split into small interfaces so that a service asks only for
 * what it uses; every MetaStore adapter implements all of them and passes
 * `accountStoreContract.ts`. Secrets are never stored: sessions, tokens and invitations are
 * kept as the SHA-256 of their secret, passwords as a scrypt hash.
 */

/** A user as stored. `passwordHash` never leaves the server (see `toPublicUser`). */
export interface StoredUser extends PublicUser {
  /** `scrypt$N$r$p$salt$hash`; null for an account that cannot sign in with a password. */
  passwordHash: string | null;
}

export type UserPatch = Partial<Pick<StoredUser, 'name' | 'color' | 'isAdmin' | 'active' | 'passwordHash'>>;

export interface StoredMembership {
  groupId: string;
  userId: string;
  role: GroupRole;
  addedAt: string;
}

export interface StoredSession {
  /** SHA-256 (hex) of the cookie value: a stolen metadata file yields no usable session. */
  id: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
  lastSeenAt: string;
}

export interface StoredToken {
  id: string;
  userId: string;
  name: string;
  scope: TokenScope;
  /** SHA-256 (hex) of the secret. */
  hash: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface StoredInvite {
  id: string;
  groupId: string;
  role: GroupRole;
  /** When set, only an account with this email may accept. */
  email: string | null;
  /** SHA-256 (hex) of the secret in the link. */
  hash: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
  usedBy: string | null;
  revokedAt: string | null;
}

export type { ActivityEntry, ActivityType };

/** A refused account change (an email already taken); nothing was written. HTTP: 409 CONFLICT. */
export class AccountConflictError extends Error {
  readonly code = 'ACCOUNT_CONFLICT';
  constructor(message: string) {
    super(message);
    this.name = 'AccountConflictError';
  }
}

export interface UserStore {
  listUsers(): Promise<StoredUser[]>;
  getUser(userId: string): Promise<StoredUser | undefined>;
  /** Emails are stored lower-case; the lookup lower-cases too. */
  findUserByEmail(email: string): Promise<StoredUser | undefined>;
  /** Inserts a user (and optionally memberships) in one write; AccountConflictError on a taken email or id. */
  insertUser(user: StoredUser, memberships?: StoredMembership[]): Promise<void>;
  updateUser(userId: string, patch: UserPatch): Promise<StoredUser | undefined>;
}

export interface MembershipStore {
  listMemberships(query: { userId?: string; groupId?: string }): Promise<StoredMembership[]>;
  getMembership(groupId: string, userId: string): Promise<StoredMembership | undefined>;
  /** Adds or replaces; resolves to the previous membership. The group and user must exist. */
  putMembership(membership: StoredMembership): Promise<StoredMembership | undefined>;
  /** Resolves to the removed membership, or undefined when there was none. */
  deleteMembership(groupId: string, userId: string): Promise<StoredMembership | undefined>;
}

/** Which sessions to delete; all given conditions must hold. */
export interface SessionQuery {
  ids?: string[];
  userId?: string;
  /** Keep this one (e.g. the session that changed the password). */
  exceptId?: string;
  /** Only sessions whose `expiresAt` is at or before this time. */
  expiredBy?: string;
}

export interface SessionStore {
  /**
   * Stores a session. A user keeps at most `MAX_SESSIONS_PER_USER`; the oldest beyond that are
   * deleted and returned, so their sockets can be closed.
   */
  insertSession(session: StoredSession): Promise<StoredSession[]>;
  getSession(sessionId: string): Promise<StoredSession | undefined>;
  touchSession(sessionId: string, lastSeenAt: string): Promise<void>;
  deleteSessions(query: SessionQuery): Promise<StoredSession[]>;
}

export interface TokenStore {
  insertToken(token: StoredToken): Promise<void>;
  getTokenByHash(hash: string): Promise<StoredToken | undefined>;
  listTokens(userId: string): Promise<StoredToken[]>;
  touchToken(tokenId: string, lastUsedAt: string): Promise<void>;
  /** Deletes the token when it belongs to `userId`; resolves to it, or undefined. */
  deleteToken(tokenId: string, userId: string): Promise<StoredToken | undefined>;
}

/** Why an invitation could not be redeemed. */
export type RedeemFailure = 'missing' | 'used' | 'revoked' | 'expired' | 'email-mismatch' | 'email-taken';

export interface RedeemRequest {
  inviteId: string;
  now: string;
  /** The account accepting: an existing user id, or a new user created in the same write. */
  userId: string;
  newUser?: StoredUser;
  /** The role to store, given the user's current role in the group (if any). */
  role: (current: GroupRole | undefined) => GroupRole;
}

export type RedeemResult =
  | { ok: true; invite: StoredInvite; membership: StoredMembership; previous: StoredMembership | undefined }
  | { ok: false; reason: RedeemFailure };

export interface InviteStore {
  insertInvite(invite: StoredInvite): Promise<void>;
  getInviteByHash(hash: string): Promise<StoredInvite | undefined>;
  listInvites(groupId: string): Promise<StoredInvite[]>;
  /** Marks the invitation revoked; resolves to it, or undefined when it is not in that group. */
  revokeInvite(groupId: string, inviteId: string, at: string): Promise<StoredInvite | undefined>;
  /**
   * Checks the invitation is usable, then (in one write) marks it used, creates the new user if
   * any and stores the membership: single use even when two people click at the same moment.
   */
  redeemInvite(request: RedeemRequest): Promise<RedeemResult>;
}

export interface ActivityStore {
  /** Appends; the log keeps the newest `MAX_ACTIVITY_ENTRIES`. */
  appendActivity(entry: ActivityEntry): Promise<void>;
  /** Newest first. */
  listActivity(query: { groupId?: string; limit: number }): Promise<ActivityEntry[]>;
}

export interface AccountStore extends UserStore, MembershipStore, SessionStore, TokenStore, InviteStore, ActivityStore {}

/** Strips the hash: the only way a user leaves the server. */
export function toPublicUser(user: StoredUser): PublicUser {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    color: user.color,
    isAdmin: user.isAdmin,
    active: user.active,
    createdAt: user.createdAt,
  };
}
