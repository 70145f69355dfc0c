import type { ActivityEntry, DocumentMeta, Group } from '../../shared/domain/index.js';
import * as accounts from './accountData.js';
import type {
  RedeemRequest,
  RedeemResult,
  SessionQuery,
  StoredInvite,
  StoredMembership,
  StoredSession,
  StoredToken,
  StoredUser,
  UserPatch,
} from './AccountStore.js';
import type { DocumentPatch, MetaStore } from './MetaStore.js';
import { applyInsert, applyPatch, type MetaData } from './metaData.js';

/**
 * Every MetaStore operation, written once over two primitives an adapter provides: `read` (look
 * at the committed data) and `write` (apply a change to a draft and make it durable). The rules
 * themselves live in metaData.ts and accountData.ts. Results are copies, so a caller mutating a
 * returned object cannot change the store behind its back (META-6).
 */
export abstract class MetaStoreBase implements MetaStore {
  /** Runs `fn` on the committed data; the result is copied. */
  protected abstract read<T>(fn: (data: MetaData) => T): Promise<T>;
  /** Applies `fn` to the data all or nothing, durably when `changed`; the result is copied. */
  protected abstract write<T>(fn: (draft: MetaData) => accounts.Outcome<T>): Promise<T>;
  abstract close(): Promise<void>;
  abstract get version(): number;

  // ---- groups and documents ----

  listGroups(): Promise<Group[]> {
    return this.read((data) => data.groups);
  }

  getGroup(groupId: string): Promise<Group | undefined> {
    return this.read((data) => data.groups.find((group) => group.id === groupId));
  }

  listDocuments(groupId: string): Promise<DocumentMeta[]> {
    return this.read((data) => data.documents.filter((document) => document.groupId === groupId));
  }

  getDocument(documentId: string): Promise<DocumentMeta | undefined> {
    return this.read((data) => data.documents.find((document) => document.id === documentId));
  }

  insert(batch: { groups?: Group[]; documents?: DocumentMeta[] }): Promise<void> {
    return this.write((draft) => {
      applyInsert(draft, batch);
      return { result: undefined, changed: true };
    });
  }

  updateDocument(documentId: string, patch: DocumentPatch): Promise<DocumentMeta | undefined> {
    return this.write((draft) => {
      const document = applyPatch(draft, documentId, patch);
      return { result: document, changed: document !== undefined };
    });
  }

  updateDocuments(patches: ReadonlyArray<{ documentId: string; patch: DocumentPatch }>): Promise<Array<DocumentMeta | undefined>> {
    return this.write((draft) => {
      const documents = patches.map(({ documentId, patch }) => applyPatch(draft, documentId, patch));
      return { result: documents, changed: documents.some((document) => document !== undefined) };
    });
  }

  // ---- users ----

  listUsers(): Promise<StoredUser[]> {
    return this.read((data) => data.users);
  }

  getUser(userId: string): Promise<StoredUser | undefined> {
    return this.read((data) => data.users.find((user) => user.id === userId));
  }

  findUserByEmail(email: string): Promise<StoredUser | undefined> {
    return this.read((data) => accounts.findUserByEmail(data, email));
  }

  insertUser(user: StoredUser, memberships?: StoredMembership[]): Promise<void> {
    return this.write((draft) => accounts.insertUser(draft, user, memberships));
  }

  updateUser(userId: string, patch: UserPatch): Promise<StoredUser | undefined> {
    return this.write((draft) => accounts.updateUser(draft, userId, patch));
  }

  // ---- memberships ----

  listMemberships(query: { userId?: string; groupId?: string }): Promise<StoredMembership[]> {
    return this.read((data) =>
      data.memberships.filter((m) => (query.userId === undefined || m.userId === query.userId) && (query.groupId === undefined || m.groupId === query.groupId)),
    );
  }

  getMembership(groupId: string, userId: string): Promise<StoredMembership | undefined> {
    return this.read((data) => data.memberships.find((m) => m.groupId === groupId && m.userId === userId));
  }

  putMembership(membership: StoredMembership): Promise<StoredMembership | undefined> {
    return this.write((draft) => accounts.putMembership(draft, membership));
  }

  deleteMembership(groupId: string, userId: string): Promise<StoredMembership | undefined> {
    return this.write((draft) => accounts.deleteMembership(draft, groupId, userId));
  }

  // ---- sessions ----

  insertSession(session: StoredSession): Promise<StoredSession[]> {
    return this.write((draft) => accounts.insertSession(draft, session));
  }

  getSession(sessionId: string): Promise<StoredSession | undefined> {
    return this.read((data) => data.sessions.find((s) => s.id === sessionId));
  }

  touchSession(sessionId: string, lastSeenAt: string): Promise<void> {
    return this.write((draft) => accounts.touchSession(draft, sessionId, lastSeenAt));
  }

  deleteSessions(query: SessionQuery): Promise<StoredSession[]> {
    return this.write((draft) => accounts.deleteSessions(draft, query));
  }

  // ---- API tokens ----

  insertToken(token: StoredToken): Promise<void> {
    return this.write((draft) => accounts.insertToken(draft, token));
  }

  getTokenByHash(hash: string): Promise<StoredToken | undefined> {
    return this.read((data) => data.tokens.find((t) => t.hash === hash));
  }

  listTokens(userId: string): Promise<StoredToken[]> {
    return this.read((data) => data.tokens.filter((t) => t.userId === userId));
  }

  touchToken(tokenId: string, lastUsedAt: string): Promise<void> {
    return this.write((draft) => accounts.touchToken(draft, tokenId, lastUsedAt));
  }

  deleteToken(tokenId: string, userId: string): Promise<StoredToken | undefined> {
    return this.write((draft) => accounts.deleteToken(draft, tokenId, userId));
  }

  // ---- invitations ----

  insertInvite(invite: StoredInvite): Promise<void> {
    return this.write((draft) => accounts.insertInvite(draft, invite));
  }

  getInviteByHash(hash: string): Promise<StoredInvite | undefined> {
    return this.read((data) => data.invites.find((i) => i.hash === hash));
  }

  listInvites(groupId: string): Promise<StoredInvite[]> {
    return this.read((data) => data.invites.filter((i) => i.groupId === groupId));
  }

  revokeInvite(groupId: string, inviteId: string, at: string): Promise<StoredInvite | undefined> {
    return this.write((draft) => accounts.revokeInvite(draft, groupId, inviteId, at));
  }

  redeemInvite(request: RedeemRequest): Promise<RedeemResult> {
    return this.write((draft) => accounts.redeemInvite(draft, request));
  }

  // ---- activity ----

  appendActivity(entry: ActivityEntry): Promise<void> {
    return this.write((draft) => accounts.appendActivity(draft, entry));
  }

  listActivity(query: { groupId?: string; limit: number }): Promise<ActivityEntry[]> {
    return this.read((data) => accounts.listActivity(data, query));
  }
}
