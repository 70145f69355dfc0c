import type {
  ActivityEntry,
  CreateDocumentInput,
  DocumentMeta,
  DocumentView,
  GroupRole,
  GroupView,
  InvitePreview,
  InviteView,
  MeResponse,
  MemberEntry,
  PatchDocumentInput,
  PublicUser,
  TokenScope,
  TokenView,
} from '../../../shared/domain/index.js';
import { request, requestVoid } from './http.js';

export { ApiError, fieldErrorsFrom, onSessionEnded } from './http.js';

const enc = encodeURIComponent;

export interface NewInvite {
  role: GroupRole;
  email?: string;
  expiresInHours?: number;
}

export interface NewUser {
  email: string;
  name: string;
  password: string;
  isAdmin?: boolean;
}

export type NewAccount = { name: string; email: string; password: string };

export const api = {
  // ---- groups and documents ----
  listGroups: (signal?: AbortSignal) => request<{ groups: GroupView[] }>('GET', '/api/groups', undefined, signal).then((r) => r.groups),

  getGroup: (groupId: string, signal?: AbortSignal) =>
    request<{ group: GroupView }>('GET', `/api/groups/${enc(groupId)}`, undefined, signal).then((r) => r.group),

  listDocuments: (groupId: string, signal?: AbortSignal) =>
    request<{ documents: DocumentMeta[] }>('GET', `/api/groups/${enc(groupId)}/documents`, undefined, signal).then((r) => r.documents),

  createDocument: (groupId: string, input: CreateDocumentInput) =>
    request<{ document: DocumentMeta }>('POST', `/api/groups/${enc(groupId)}/documents`, input).then((r) => r.document),

  getDocument: (documentId: string, signal?: AbortSignal) =>
    request<{ document: DocumentView }>('GET', `/api/documents/${enc(documentId)}`, undefined, signal).then((r) => r.document),

  patchDocument: (documentId: string, patch: PatchDocumentInput) =>
    request<{ document: DocumentMeta }>('PATCH', `/api/documents/${enc(documentId)}`, patch).then((r) => r.document),

  // ---- session and profile ----
  me: (signal?: AbortSignal) => request<MeResponse>('GET', '/api/me', undefined, signal),

  signIn: (email: string, password: string) => request<MeResponse>('POST', '/api/session', { email, password }),

  signOut: () => requestVoid('DELETE', '/api/session'),

  patchMe: (patch: { name?: string; color?: string }) => request<{ user: PublicUser }>('PATCH', '/api/me', patch).then((r) => r.user),

  changePassword: (currentPassword: string, newPassword: string) =>
    requestVoid('POST', '/api/me/password', { currentPassword, newPassword }),

  // ---- members and invitations ----
  listMembers: (groupId: string, signal?: AbortSignal) =>
    request<{ members: MemberEntry[] }>('GET', `/api/groups/${enc(groupId)}/members`, undefined, signal).then((r) => r.members),

  setMemberRole: (groupId: string, userId: string, role: GroupRole) =>
    request<{ member: MemberEntry }>('PUT', `/api/groups/${enc(groupId)}/members/${enc(userId)}`, { role }).then((r) => r.member),

  removeMember: (groupId: string, userId: string) => requestVoid('DELETE', `/api/groups/${enc(groupId)}/members/${enc(userId)}`),

  listInvites: (groupId: string, signal?: AbortSignal) =>
    request<{ invites: InviteView[] }>('GET', `/api/groups/${enc(groupId)}/invites`, undefined, signal).then((r) => r.invites),

  createInvite: (groupId: string, input: NewInvite) =>
    request<{ invite: InviteView }>('POST', `/api/groups/${enc(groupId)}/invites`, input).then((r) => r.invite),

  revokeInvite: (groupId: string, inviteId: string) => requestVoid('DELETE', `/api/groups/${enc(groupId)}/invites/${enc(inviteId)}`),

  getInvite: (secret: string, signal?: AbortSignal) =>
    request<{ invite: InvitePreview }>('GET', `/api/invites/${enc(secret)}`, undefined, signal).then((r) => r.invite),

  /** Signed in: joins with the current account. Not signed in: creates the account and signs in. */
  acceptInvite: (secret: string, account?: NewAccount) =>
    request<MeResponse>('POST', `/api/invites/${enc(secret)}/accept`, account ?? {}),

  // ---- workspace administration ----
  listUsers: (signal?: AbortSignal) => request<{ users: PublicUser[] }>('GET', '/api/admin/users', undefined, signal).then((r) => r.users),

  createUser: (input: NewUser) => request<{ user: PublicUser }>('POST', '/api/admin/users', input).then((r) => r.user),

  patchUser: (userId: string, patch: { name?: string; isAdmin?: boolean; active?: boolean }) =>
    request<{ user: PublicUser }>('PATCH', `/api/admin/users/${enc(userId)}`, patch).then((r) => r.user),

  listActivity: (filter: { groupId?: string; limit?: number }, signal?: AbortSignal) => {
    const query = new URLSearchParams();
    if (filter.groupId) query.set('groupId', filter.groupId);
    if (filter.limit) query.set('limit', String(filter.limit));
    const suffix = query.size > 0 ? `?${query.toString()}` : '';
    return request<{ activity: ActivityEntry[] }>('GET', `/api/admin/activity${suffix}`, undefined, signal).then((r) => r.activity);
  },

  // ---- personal API tokens ----
  listTokens: (signal?: AbortSignal) => request<{ tokens: TokenView[] }>('GET', '/api/tokens', undefined, signal).then((r) => r.tokens),

  createToken: (name: string, scope: TokenScope) =>
    request<{ token: TokenView }>('POST', '/api/tokens', { name, scope }).then((r) => r.token),

  revokeToken: (tokenId: string) => requestVoid('DELETE', `/api/tokens/${enc(tokenId)}`),
};
