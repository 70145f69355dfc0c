import { Router, type Response } from 'express';
import { createUserSchema, isValidId, patchUserSchema } from '../../shared/domain/index.js';
import type { Principal } from '../auth/authenticate.js';
import type { RuntimeReport } from '../runtimeMonitor.js';
import type { AccountService } from '../services/accountService.js';
import type { ActivityLog } from '../services/activityLog.js';
import { toPublicUser, type UserStore } from '../storage/AccountStore.js';
import { requirePrincipal } from './authContext.js';
import { forbidden, notFound } from './errors.js';
import { jsonBody } from './jsonBody.js';

/** Largest page of the activity log one request returns. */
const MAX_ACTIVITY_PAGE = 1000;

function requireAdmin(res: Response): Principal {
  const principal = requirePrincipal(res);
  if (!principal.user.isAdmin) throw forbidden('Only workspace admins can do this.');
  return principal;
}

/**
 * Workspace administration: users, the activity log, and the process's runtime figures. Admins
 * only (403 for everyone else).
 */
export function adminRouter(deps: { users: UserStore; accounts: AccountService; activity: ActivityLog; runtime?: () => RuntimeReport }): Router {
  const router = Router();

  router.param('userId', (_req, _res, next, value: unknown) => next(isValidId(value) ? undefined : notFound('user')));

  router.get('/api/admin/users', async (_req, res) => {
    requireAdmin(res);
    res.json({ users: (await deps.users.listUsers()).map(toPublicUser) });
  });

  router.post('/api/admin/users', jsonBody, async (req, res) => {
    const admin = requireAdmin(res);
    const input = createUserSchema.parse(req.body);
    res.status(201).json({ user: await deps.accounts.createUser(admin.user.id, input) });
  });

  router.patch('/api/admin/users/:userId', jsonBody, async (req, res) => {
    const admin = requireAdmin(res);
    const patch = patchUserSchema.parse(req.body);
    const user = await deps.accounts.patchUser(admin.user.id, req.params.userId, patch);
    if (!user) throw notFound('user');
    res.json({ user });
  });

  router.get('/api/admin/activity', async (req, res) => {
    requireAdmin(res);
    const groupId = typeof req.query.groupId === 'string' && req.query.groupId !== '' ? req.query.groupId : undefined;
    const requested = Number(req.query.limit);
    const limit = Number.isInteger(requested) && requested > 0 ? Math.min(requested, MAX_ACTIVITY_PAGE) : 100;
    res.json({ activity: await deps.activity.list(groupId === undefined ? { limit } : { groupId, limit }) });
  });

  // Event-loop delay, memory, sockets and rooms: what an operator (and the fuzz and abuse tests)
  // look at to see whether hostile clients are slowing the server down.
  const runtime = deps.runtime;
  if (runtime) {
    router.get('/api/admin/runtime', (_req, res) => {
      requireAdmin(res);
      res.json(runtime());
    });
  }

  return router;
}
