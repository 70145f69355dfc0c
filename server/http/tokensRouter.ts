import { Router } from 'express';
import { createTokenSchema, isValidId } from '../../shared/domain/index.js';
import { toTokenView, type TokenService } from '../auth/tokens.js';
import type { ActivityLog } from '../services/activityLog.js';
import { requirePrincipal } from './authContext.js';
import { forbidden, notFound } from './errors.js';
import { jsonBody } from './jsonBody.js';

/**
 * A person's own API tokens. Creating one needs a signed-in browser session: a token cannot mint
 * more tokens, so a leaked token cannot make itself a longer-lived or less visible successor.
 */
export function tokensRouter(deps: { tokens: TokenService; activity: ActivityLog }): Router {
  const { tokens, activity } = deps;
  const router = Router();

  router.param('tokenId', (_req, _res, next, value: unknown) => next(isValidId(value) ? undefined : notFound('token')));

  router.get('/api/tokens', async (_req, res) => {
    const principal = requirePrincipal(res);
    res.json({ tokens: (await tokens.list(principal.user.id)).map((token) => toTokenView(token)) });
  });

  router.post('/api/tokens', jsonBody, async (req, res) => {
    const principal = requirePrincipal(res);
    if (principal.via !== 'session') throw forbidden('Sign in to create API tokens: a token cannot create tokens.');
    const { name, scope } = createTokenSchema.parse(req.body);
    const { token, secret } = await tokens.create(principal.user.id, name, scope);
    await activity.record('token.created', principal.user.id, { details: { tokenId: token.id, name, scope } });
    res.status(201).json({ token: toTokenView(token, secret) });
  });

  router.delete('/api/tokens/:tokenId', async (req, res) => {
    const principal = requirePrincipal(res);
    const removed = await tokens.revoke(principal.user.id, req.params.tokenId);
    if (!removed) throw notFound('token');
    await activity.record('token.revoked', principal.user.id, { details: { tokenId: removed.id, name: removed.name } });
    res.status(204).end();
  });

  return router;
}
