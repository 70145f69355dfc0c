import { Router } from 'express';
import { signInSchema } from '../../shared/domain/index.js';
import { SESSION_COOKIE, readCookie } from '../auth/authenticate.js';
import type { SessionService } from '../auth/sessions.js';
import type { AccountService } from '../services/accountService.js';
import type { ActivityLog } from '../services/activityLog.js';
import type { MembershipStore } from '../storage/AccountStore.js';
import { principalOf } from './authContext.js';
import { invalidCredentials } from './errors.js';
import { jsonBody } from './jsonBody.js';
import { buildMe } from './meResponse.js';
import type { RateLimiters } from './rateLimits.js';
import { clearSessionCookie, setSessionCookie, type CookieSettings } from './sessionCookie.js';

export interface SessionRouterDeps {
  accounts: AccountService;
  sessions: SessionService;
  memberships: MembershipStore;
  activity: ActivityLog;
  cookie: CookieSettings;
  limits: RateLimiters;
}

/** Sign-in (`POST /api/session`) and sign-out (`DELETE /api/session`). */
export function sessionRouter(deps: SessionRouterDeps): Router {
  const { accounts, sessions, activity } = deps;
  const router = Router();

  router.post('/api/session', jsonBody, deps.limits.signInPerAddress, deps.limits.signInPerAccount, async (req, res) => {
    const { email, password } = signInSchema.parse(req.body);
    // One answer for an unknown email, a wrong password and a deactivated account, after the
    // same scrypt work: neither the message nor the timing says which accounts exist.
    const user = await accounts.checkCredentials(email, password);
    if (!user) {
      await activity.record('auth.sign-in-failed', null, { details: { email, ip: req.ip ?? null } });
      throw invalidCredentials();
    }
    // A session cookie already sent with this request is replaced: one browser, one session.
    const previous = principalOf(res);
    if (previous?.via === 'session') await sessions.revoke(previous.credentialId, 'signed in again');
    const { token } = await sessions.create(user.id);
    setSessionCookie(res, token, deps.cookie);
    await activity.record('auth.sign-in', user.id, { details: { ip: req.ip ?? null } });
    res.json(await buildMe(deps.memberships, user, { via: 'session', scope: 'full' }));
  });

  // Signing out always succeeds (idempotent): with a live session it is revoked server-side,
  // which also closes its open sockets (4401 SESSION_ENDED); the cookie is cleared either way.
  router.delete('/api/session', async (req, res) => {
    const principal = principalOf(res);
    if (principal?.via === 'session') {
      await sessions.revoke(principal.credentialId, 'signed out');
      await activity.record('auth.sign-out', principal.user.id);
    }
    if (principal?.via === 'session' || readCookie(req.headers.cookie, SESSION_COOKIE) !== undefined) clearSessionCookie(res, deps.cookie);
    res.status(204).end();
  });

  return router;
}
