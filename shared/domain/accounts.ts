import { z } from 'zod';
import './zodConfig.js';
import type { DocumentMeta } from './documents.js';
import type { GroupSummary } from './groups.js';
import { GROUP_ROLES, type GroupRole, type GroupStanding } from './roles.js';

/** A person as the API shows them. Never carries a password, hash or token. */
export interface PublicUser {
  id: string;
  email: string;
  name: string;
  /** `#rrggbb`, used for the caret and avatar. */
  color: string;
  isAdmin: boolean;
  active: boolean;
  createdAt: string;
}

export interface GroupMembership {
  groupId: string;
  role: GroupRole;
}

/** `GET /api/me` */
export interface MeResponse {
  user: PublicUser;
  memberships: GroupMembership[];
  /** How this request was authenticated; a read-only token can never edit. */
  auth: { via: 'session' | 'token'; scope: TokenScope };
}

export const TOKEN_SCOPES = ['full', 'read'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

const email = z.string().trim().toLowerCase().email('must be an email address').max(254);
/** Long passphrases are welcome; 10 characters is the floor (NIST SP 800-63B asks for 8+). */
export const passwordSchema = z.string().min(10, 'must be at least 10 characters').max(256, 'must be at most 256 characters');
const displayName = z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters');
const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour written #rrggbb');

/** `POST /api/session` */
export const signInSchema = z.object({ email, password: z.string().min(1).max(256) }).strict();

/** `POST /api/admin/users` */
export const createUserSchema = z
  .object({ email, name: displayName, password: passwordSchema, isAdmin: z.boolean().optional(), color: color.optional() })
  .strict();

/** `PATCH /api/admin/users/:userId` */
export const patchUserSchema = z
  .object({ name: displayName.optional(), isAdmin: z.boolean().optional(), active: z.boolean().optional(), color: color.optional() })
  .strict();

/** `PUT /api/groups/:groupId/members/:userId` */
export const setMemberSchema = z.object({ role: z.enum(GROUP_ROLES) }).strict();

/** `POST /api/groups/:groupId/invites` */
export const createInviteSchema = z
  .object({ role: z.enum(GROUP_ROLES), email: email.optional(), expiresInHours: z.number().int().min(1).max(24 * 30).optional() })
  .strict();

/** `POST /api/invites/:token/accept` — a new account, or none when signed in already. */
export const acceptInviteSchema = z.object({ name: displayName, email, password: passwordSchema }).strict().or(z.object({}).strict());

/** `POST /api/tokens` */
export const createTokenSchema = z.object({ name: displayName, scope: z.enum(TOKEN_SCOPES) }).strict();

/** `PATCH /api/me` */
export const patchMeSchema = z.object({ name: displayName.optional(), color: color.optional() }).strict();

/** `POST /api/me/password` */
export const changePasswordSchema = z.object({ currentPassword: z.string().min(1).max(256), newPassword: passwordSchema }).strict();

/** A group as `GET /api/groups` and `GET /api/groups/:groupId` show it to the person asking. */
export interface GroupView extends GroupSummary {
  /** The person's standing in this group: 'admin' for workspace admins. */
  myRole: GroupStanding;
}

/** A document as `GET /api/documents/:documentId` (and PATCH, POST) show it to the person asking. */
export interface DocumentView extends DocumentMeta {
  /** What the person may do with the content (read-only tokens and readers get 'read'). */
  access: 'edit' | 'read';
}

/** `GET /api/groups/:groupId/members` entries. */
export interface MemberEntry {
  /** `email` is present only for workspace admins and the group's rapporteurs. */
  user: Pick<PublicUser, 'id' | 'name' | 'color' | 'active'> & { email?: string };
  role: GroupRole;
  addedAt: string;
}

/** An invitation as its creator sees it; `url` (with the secret) is returned once, on creation. */
export interface InviteView {
  id: string;
  groupId: string;
  role: GroupRole;
  email: string | null;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
  url?: string;
}

/** `GET /api/invites/:token`: what the invitation page shows before accepting. */
export interface InvitePreview {
  groupName: string;
  role: GroupRole;
  expiresAt: string;
  /** False when used, expired or revoked: the page says so instead of offering to accept. */
  valid: boolean;
}

/** A personal API token as listed; `secret` is present only in the creation response. */
export interface TokenView {
  id: string;
  name: string;
  scope: TokenScope;
  createdAt: string;
  lastUsedAt: string | null;
  secret?: string;
}

export const ACTIVITY_TYPES = [
  'auth.sign-in',
  'auth.sign-in-failed',
  'auth.sign-out',
  'user.created',
  'user.updated',
  'user.deactivated',
  'member.role-changed',
  'member.removed',
  'invite.created',
  'invite.accepted',
  'invite.revoked',
  'token.created',
  'token.revoked',
  'document.created',
] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

/** `GET /api/admin/activity` entries: who did what, when. */
export interface ActivityEntry {
  id: string;
  at: string;
  type: ActivityType;
  actorId: string | null;
  groupId?: string;
  documentId?: string;
  targetUserId?: string;
  /** Free-form context for people (never a password, hash or token). */
  details?: Record<string, string | number | boolean | null>;
}
