import { Router } from 'express';
import { changePasswordSchema, patchMeSchema } from '../../shared/domain/index.js';
import type { AccountService } from '../services/accountService.js';
import type { MembershipStore } from '../storage/AccountStore.js';
import { requirePrincipal } from './authContext.js';
import { jsonBody } from './jsonBody.js';
import { buildMe } from './meResponse.js';
import type { RateLimiters } from './rateLimits.js';

/** The signed-in person: who they are, their profile, their password. */
export function meRouter(deps: { accounts: AccountService; memberships: MembershipStore; limits: RateLimiters }): Router {
  const router = Router();

  router.get('/api/me', async (_req, res) => {
    const principal = requirePrincipal(res);
    res.json(await buildMe(deps.memberships, principal.user, principal));
  });

  router.patch('/api/me', jsonBody, async (req, res) => {
    const principal = requirePrincipal(res);
    const patch = patchMeSchema.parse(req.body);
    res.json({ user: await deps.accounts.patchMe(principal, patch) });
  });

  // A wrong current password answers 401 INVALID_CREDENTIALS (the session itself stays valid).
  router.post('/api/me/password', jsonBody, deps.limits.passwordChange, async (req, res) => {
    const principal = requirePrincipal(res);
    const { currentPassword, newPassword } = changePasswordSchema.parse(req.body);
    await deps.accounts.changePassword(principal, currentPassword, newPassword);
    res.status(204).end();
  });

  return router;
}
