import { Router, type Request } from 'express';
import { ApiErrorCode, acceptInviteSchema, createInviteSchema, isValidId } from '../../shared/domain/index.js';
import type { AccessEvents } from '../auth/accessEvents.js';
import type { InviteService } from '../auth/invites.js';
import type { OriginPolicy } from '../auth/originPolicy.js';
import type { SessionService } from '../auth/sessions.js';
import type { ActivityLog } from '../services/activityLog.js';
import { buildUser } from '../services/userFactory.js';
import type { RedeemFailure } from '../storage/AccountStore.js';
import type { MetaStore } from '../storage/MetaStore.js';
import { principalOf, requirePrincipal } from './authContext.js';
import { HttpError, conflict, forbidden, notFound, unauthenticated } from './errors.js';
import { groupWith } from './groupAccess.js';
import { jsonBody } from './jsonBody.js';
import { buildMe } from './meResponse.js';
import type { RateLimiters } from './rateLimits.js';
import { setSessionCookie, type CookieSettings } from './sessionCookie.js';

export interface InvitesRouterDeps {
  meta: MetaStore;
  invites: InviteService;
  sessions: SessionService;
  events: AccessEvents;
  activity: ActivityLog;
  origins: OriginPolicy;
  publicUrl: string | null;
  cookie: CookieSettings;
  limits: RateLimiters;
  now: () => Date;
}

function inviteInvalid(): HttpError {
  return new HttpError(410, ApiErrorCode.InviteInvalid, 'This invitation has been used, has expired or was withdrawn. Ask for a new one.');
}

function failure(reason: RedeemFailure): HttpError {
  switch (reason) {
    case 'email-mismatch':
      return forbidden('This invitation was sent to another email address.');
    case 'email-taken':
      return conflict('An account with this email already exists: sign in with it, then open the invitation again.');
    default:
      return inviteInvalid();
  }
}

/** Where invitation links point: PUBLIC_URL, else the (allowed) page that asked, else this host. */
function baseUrl(req: Request, deps: InvitesRouterDeps): string {
  if (deps.publicUrl) return deps.publicUrl;
  const origin = req.headers.origin;
  if (origin && deps.origins.allows(origin)) return origin;
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

/**
 * Invitations: managed per group by those with `members.manage`; previewed and accepted through
 * the secret link by anyone who has it (rate-limited).
 */
export function invitesRouter(deps: InvitesRouterDeps): Router {
  const { meta, invites, activity } = deps;
  const router = Router();

  router.param('groupId', (_req, _res, next, value: unknown) => next(isValidId(value) ? undefined : notFound('group')));
  router.param('inviteId', (_req, _res, next, value: unknown) => next(isValidId(value) ? undefined : notFound('invitation')));

  router.post('/api/groups/:groupId/invites', jsonBody, async (req, res) => {
    const principal = requirePrincipal(res);
    const { group } = await groupWith(meta, principal, req.params.groupId, 'members.manage', 'invite people to this group');
    const input = createInviteSchema.parse(req.body);
    const invite = await invites.create(principal.user.id, group.id, input, baseUrl(req, deps));
    await activity.record('invite.created', principal.user.id, { groupId: group.id, details: { role: invite.role, email: invite.email, inviteId: invite.id } });
    res.status(201).json({ invite });
  });

  router.get('/api/groups/:groupId/invites', async (req, res) => {
    const principal = requirePrincipal(res);
    const { group } = await groupWith(meta, principal, req.params.groupId, 'members.manage', "see this group's invitations");
    res.json({ invites: await invites.list(group.id) });
  });

  router.delete('/api/groups/:groupId/invites/:inviteId', async (req, res) => {
    const principal = requirePrincipal(res);
    const { group } = await groupWith(meta, principal, req.params.groupId, 'members.manage', "withdraw this group's invitations");
    const revoked = await invites.revoke(group.id, req.params.inviteId);
    if (!revoked) throw notFound('invitation');
    if (revoked.withdrawnNow) {
      const { invite } = revoked;
      await activity.record('invite.revoked', principal.user.id, { groupId: group.id, details: { role: invite.role, email: invite.email, inviteId: invite.id } });
    }
    res.status(204).end();
  });

  router.get('/api/invites/:secret', deps.limits.invitePreview, async (req, res) => {
    const invite = await invites.preview(String(req.params.secret));
    if (!invite) throw notFound('invitation');
    res.json({ invite });
  });

  router.post('/api/invites/:secret/accept', deps.limits.inviteAccept, jsonBody, async (req, res) => {
    const invite = await invites.find(String(req.params.secret));
    if (!invite) throw notFound('invitation');
    const body = acceptInviteSchema.parse(req.body);
    const principal = principalOf(res);
    const account = 'email' in body ? body : null;
    if (principal && account) throw conflict(`You are signed in as ${principal.user.email}: accept with that account, or sign out first to create a new one.`);
    if (!principal && !account) throw unauthenticated();
    // Checked before the password is hashed: a used link costs no scrypt work.
    if (!invites.usable(invite)) throw inviteInvalid();

    const newUser = account ? await buildUser({ email: account.email, name: account.name, password: account.password }, deps.now()) : undefined;
    const userId = principal?.user.id ?? newUser!.id;
    const result = await invites.redeem(invite, newUser ? { userId, newUser } : { userId });
    if (!result.ok) throw failure(result.reason);
    if (newUser) await activity.record('user.created', null, { targetUserId: userId, details: { email: newUser.email, via: 'invitation' } });
    await activity.record('invite.accepted', userId, {
      groupId: invite.groupId,
      targetUserId: userId,
      details: { inviteId: invite.id, role: result.membership.role, from: result.previous?.role ?? null },
    });
    // Their role may have gone up (reader -> member): open sockets re-check and reconnect.
    if (result.previous && result.previous.role !== result.membership.role) {
      deps.events.emit({ userId, groupId: invite.groupId, reason: 'role changed by an invitation' });
    }

    if (principal) {
      res.json(await buildMe(meta, principal.user, principal));
      return;
    }
    const { token } = await deps.sessions.create(userId);
    setSessionCookie(res, token, deps.cookie);
    await activity.record('auth.sign-in', userId, { details: { via: 'invitation', ip: req.ip ?? null } });
    res.json(await buildMe(meta, newUser!, { via: 'session', scope: 'full' }));
  });

  return router;
}
