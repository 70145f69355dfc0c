import type { ActivityEntry } from '../../shared/domain/index.js';
import {
  AccountConflictError,
  type RedeemRequest,
  type RedeemResult,
  type SessionQuery,
  type StoredInvite,
  type StoredMembership,
  type StoredSession,
  type StoredToken,
  type StoredUser,
  type UserPatch,
} from './AccountStore.js';
import { MetaStoreInsertError, type MetaData } from './metaData.js';

/**
 * The pure rules for changing the account collections of MetaData, shared by every adapter (as
 * metaData.ts is for groups and documents). Each function validates before it mutates, so a
 * refused change leaves the data as it was; each returns whether anything changed, so a no-op
 * costs no write.
 */

/** The activity log keeps this many entries (oldest dropped): meta.json is rewritten per change. */
export const MAX_ACTIVITY_ENTRIES = 2000;
/** Sessions one user may hold; signing in again beyond that ends the oldest. */
export const MAX_SESSIONS_PER_USER = 50;

export interface Outcome<T> {
  result: T;
  changed: boolean;
}

function sameEmail(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export function findUserByEmail(data: MetaData, email: string): StoredUser | undefined {
  return data.users.find((user) => sameEmail(user.email, email));
}

function checkNewUser(data: MetaData, user: StoredUser): void {
  if (data.users.some((existing) => existing.id === user.id)) throw new AccountConflictError(`a user with id "${user.id}" already exists`);
  if (findUserByEmail(data, user.email)) throw new AccountConflictError('An account with this email already exists.');
}

function checkMembership(data: MetaData, membership: StoredMembership, extraUser?: StoredUser): void {
  if (!data.groups.some((group) => group.id === membership.groupId)) {
    throw new MetaStoreInsertError(`membership of unknown group "${membership.groupId}"`);
  }
  if (extraUser?.id !== membership.userId && !data.users.some((user) => user.id === membership.userId)) {
    throw new MetaStoreInsertError(`membership of unknown user "${membership.userId}"`);
  }
}

export function insertUser(data: MetaData, user: StoredUser, memberships: StoredMembership[] = []): Outcome<void> {
  checkNewUser(data, user);
  for (const membership of memberships) checkMembership(data, membership, user);
  data.users.push({ ...structuredClone(user), email: user.email.toLowerCase() });
  for (const membership of memberships) upsertMembership(data, membership);
  return { result: undefined, changed: true };
}

export function updateUser(data: MetaData, userId: string, patch: UserPatch): Outcome<StoredUser | undefined> {
  const user = data.users.find((candidate) => candidate.id === userId);
  if (!user) return { result: undefined, changed: false };
  // Only the patchable fields, and only those given.
  if (patch.name !== undefined) user.name = patch.name;
  if (patch.color !== undefined) user.color = patch.color;
  if (patch.isAdmin !== undefined) user.isAdmin = patch.isAdmin;
  if (patch.active !== undefined) user.active = patch.active;
  if (patch.passwordHash !== undefined) user.passwordHash = patch.passwordHash;
  return { result: user, changed: true };
}

function upsertMembership(data: MetaData, membership: StoredMembership): StoredMembership | undefined {
  const index = data.memberships.findIndex((m) => m.groupId === membership.groupId && m.userId === membership.userId);
  const previous = index >= 0 ? data.memberships[index] : undefined;
  if (index >= 0) data.memberships[index] = structuredClone(membership);
  else data.memberships.push(structuredClone(membership));
  return previous;
}

export function putMembership(data: MetaData, membership: StoredMembership): Outcome<StoredMembership | undefined> {
  checkMembership(data, membership);
  return { result: upsertMembership(data, membership), changed: true };
}

export function deleteMembership(data: MetaData, groupId: string, userId: string): Outcome<StoredMembership | undefined> {
  const index = data.memberships.findIndex((m) => m.groupId === groupId && m.userId === userId);
  if (index < 0) return { result: undefined, changed: false };
  const [removed] = data.memberships.splice(index, 1);
  return { result: removed, changed: true };
}

export function insertSession(data: MetaData, session: StoredSession): Outcome<StoredSession[]> {
  if (!data.users.some((user) => user.id === session.userId)) throw new MetaStoreInsertError(`session of unknown user "${session.userId}"`);
  data.sessions.push(structuredClone(session));
  const own = data.sessions.filter((s) => s.userId === session.userId);
  const excess = own.length - MAX_SESSIONS_PER_USER;
  if (excess <= 0) return { result: [], changed: true };
  // Sessions are appended in creation order, so the first ones are the oldest.
  const evicted = new Set(own.slice(0, excess));
  data.sessions = data.sessions.filter((s) => !evicted.has(s));
  return { result: [...evicted], changed: true };
}

export function touchSession(data: MetaData, sessionId: string, lastSeenAt: string): Outcome<void> {
  const session = data.sessions.find((s) => s.id === sessionId);
  if (!session) return { result: undefined, changed: false };
  session.lastSeenAt = lastSeenAt;
  return { result: undefined, changed: true };
}

function matchesSession(session: StoredSession, query: SessionQuery): boolean {
  if (query.ids && !query.ids.includes(session.id)) return false;
  if (query.userId !== undefined && session.userId !== query.userId) return false;
  if (query.exceptId !== undefined && session.id === query.exceptId) return false;
  if (query.expiredBy !== undefined && session.expiresAt > query.expiredBy) return false;
  return true;
}

export function deleteSessions(data: MetaData, query: SessionQuery): Outcome<StoredSession[]> {
  const removed = data.sessions.filter((s) => matchesSession(s, query));
  if (removed.length === 0) return { result: [], changed: false };
  data.sessions = data.sessions.filter((s) => !matchesSession(s, query));
  return { result: removed, changed: true };
}

export function insertToken(data: MetaData, token: StoredToken): Outcome<void> {
  if (data.tokens.some((t) => t.id === token.id || t.hash === token.hash)) throw new MetaStoreInsertError('a token with this id already exists');
  if (!data.users.some((user) => user.id === token.userId)) throw new MetaStoreInsertError(`token of unknown user "${token.userId}"`);
  data.tokens.push(structuredClone(token));
  return { result: undefined, changed: true };
}

export function touchToken(data: MetaData, tokenId: string, lastUsedAt: string): Outcome<void> {
  const token = data.tokens.find((t) => t.id === tokenId);
  if (!token) return { result: undefined, changed: false };
  token.lastUsedAt = lastUsedAt;
  return { result: undefined, changed: true };
}

export function deleteToken(data: MetaData, tokenId: string, userId: string): Outcome<StoredToken | undefined> {
  const index = data.tokens.findIndex((t) => t.id === tokenId && t.userId === userId);
  if (index < 0) return { result: undefined, changed: false };
  const [removed] = data.tokens.splice(index, 1);
  return { result: removed, changed: true };
}

export function insertInvite(data: MetaData, invite: StoredInvite): Outcome<void> {
  if (data.invites.some((i) => i.id === invite.id || i.hash === invite.hash)) throw new MetaStoreInsertError('an invitation with this id already exists');
  if (!data.groups.some((group) => group.id === invite.groupId)) throw new MetaStoreInsertError(`invitation to unknown group "${invite.groupId}"`);
  data.invites.push(structuredClone(invite));
  return { result: undefined, changed: true };
}

export function revokeInvite(data: MetaData, groupId: string, inviteId: string, at: string): Outcome<StoredInvite | undefined> {
  const invite = data.invites.find((i) => i.id === inviteId && i.groupId === groupId);
  if (!invite) return { result: undefined, changed: false };
  if (invite.revokedAt !== null) return { result: invite, changed: false };
  invite.revokedAt = at;
  return { result: invite, changed: true };
}

export function redeemInvite(data: MetaData, request: RedeemRequest): Outcome<RedeemResult> {
  const fail = (reason: Extract<RedeemResult, { ok: false }>['reason']): Outcome<RedeemResult> => ({ result: { ok: false, reason }, changed: false });
  const invite = data.invites.find((i) => i.id === request.inviteId);
  if (!invite || !data.groups.some((group) => group.id === invite.groupId)) return fail('missing');
  if (invite.revokedAt !== null) return fail('revoked');
  if (invite.usedAt !== null) return fail('used');
  if (invite.expiresAt <= request.now) return fail('expired');
  const user = request.newUser ?? data.users.find((u) => u.id === request.userId);
  if (!user) return fail('missing');
  if (invite.email !== null && !sameEmail(invite.email, user.email)) return fail('email-mismatch');
  if (request.newUser) {
    if (findUserByEmail(data, request.newUser.email) || data.users.some((u) => u.id === request.newUser!.id)) return fail('email-taken');
    data.users.push({ ...structuredClone(request.newUser), email: request.newUser.email.toLowerCase() });
  }
  const current = data.memberships.find((m) => m.groupId === invite.groupId && m.userId === user.id);
  const membership: StoredMembership = {
    groupId: invite.groupId,
    userId: user.id,
    role: request.role(current?.role),
    addedAt: current?.addedAt ?? request.now,
  };
  const previous = upsertMembership(data, membership);
  invite.usedAt = request.now;
  invite.usedBy = user.id;
  return { result: { ok: true, invite, membership, previous }, changed: true };
}

export function appendActivity(data: MetaData, entry: ActivityEntry): Outcome<void> {
  data.activity.push(structuredClone(entry));
  if (data.activity.length > MAX_ACTIVITY_ENTRIES) data.activity.splice(0, data.activity.length - MAX_ACTIVITY_ENTRIES);
  return { result: undefined, changed: true };
}

export function listActivity(data: MetaData, query: { groupId?: string; limit: number }): ActivityEntry[] {
  const entries: ActivityEntry[] = [];
  for (let i = data.activity.length - 1; i >= 0 && entries.length < query.limit; i--) {
    const entry = data.activity[i]!;
    if (query.groupId === undefined || entry.groupId === query.groupId) entries.push(entry);
  }
  return entries;
}
