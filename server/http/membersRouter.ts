import { Router } from 'express';
import { can, isValidId, setMemberSchema } from '../../shared/domain/index.js';
import type { MembershipService } from '../services/membershipService.js';
import type { MetaStore } from '../storage/MetaStore.js';
import { requirePrincipal } from './authContext.js';
import { notFound } from './errors.js';
import { groupWith, visibleGroup } from './groupAccess.js';
import { jsonBody } from './jsonBody.js';

/**
 * A group's members. Everyone in the group sees who else is; emails only workspace admins and
 * the group's rapporteurs (they manage the group and need to tell people apart). Changes need
 * `members.manage`.
 */
export function membersRouter(deps: { meta: MetaStore; members: MembershipService }): Router {
  const { meta, members } = deps;
  const router = Router();

  router.param('groupId', (_req, _res, next, value: unknown) => next(isValidId(value) ? undefined : notFound('group')));
  router.param('userId', (_req, _res, next, value: unknown) => next(isValidId(value) ? undefined : notFound('user')));

  router.get('/api/groups/:groupId/members', async (req, res) => {
    const principal = requirePrincipal(res);
    const { group, standing } = await visibleGroup(meta, principal, req.params.groupId);
    res.json({ members: await members.list(group.id, can(standing, 'members.manage')) });
  });

  router.put('/api/groups/:groupId/members/:userId', jsonBody, async (req, res) => {
    const principal = requirePrincipal(res);
    const { group } = await groupWith(meta, principal, req.params.groupId, 'members.manage', "manage this group's members");
    const { role } = setMemberSchema.parse(req.body);
    const member = await members.setRole(principal.user.id, group.id, req.params.userId, role, true);
    if (!member) throw notFound('user');
    res.json({ member });
  });

  router.delete('/api/groups/:groupId/members/:userId', async (req, res) => {
    const principal = requirePrincipal(res);
    const { group } = await groupWith(meta, principal, req.params.groupId, 'members.manage', "manage this group's members");
    if (!(await members.remove(principal.user.id, group.id, req.params.userId))) throw notFound('member');
    res.status(204).end();
  });

  return router;
}
