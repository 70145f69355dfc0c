import { Router, type RequestHandler } from 'express';
import type { OriginPolicy } from '../auth/originPolicy.js';
import type { RateLimitConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { RuntimeReport } from '../runtimeMonitor.js';
import type { AccessServices } from '../services/accessServices.js';
import type { DocStore } from '../storage/DocStore.js';
import type { MetaStore } from '../storage/MetaStore.js';
import { adminRouter } from './adminRouter.js';
import { authenticateRequests, principalOf, refuseReadOnlyWrites } from './authContext.js';
import { documentsRouter } from './documentsRouter.js';
import { apiErrorHandler, apiNotFound, unauthenticated } from './errors.js';
import { groupsRouter } from './groupsRouter.js';
import { invitesRouter } from './invitesRouter.js';
import { meRouter } from './meRouter.js';
import { membersRouter } from './membersRouter.js';
import { originGuard } from './originGuard.js';
import { createRateLimiters } from './rateLimits.js';
import { sessionRouter } from './sessionRouter.js';
import type { CookieSettings } from './sessionCookie.js';
import { tokensRouter } from './tokensRouter.js';

export interface ApiDeps {
  meta: MetaStore;
  docs: DocStore;
  logger: Logger;
  access: AccessServices;
  origins: OriginPolicy;
  /** Origin of PUBLIC_URL, for invitation links; null to use the requesting page's origin. */
  publicUrl: string | null;
  cookie: CookieSettings;
  rateLimits: RateLimitConfig;
  /** Clock for createdAt/updatedAt; tests pass a fixed one. */
  now?: () => Date;
  /** The process's runtime figures for `GET /api/admin/runtime`; absent in harnesses. */
  runtime?: () => RuntimeReport;
}

/** The only routes that answer without a signed-in principal. */
const PUBLIC_ROUTES: Array<[method: string, path: RegExp]> = [
  ['POST', /^\/api\/session\/?$/],
  ['DELETE', /^\/api\/session\/?$/],
  ['GET', /^\/api\/invites\/[^/]+\/?$/],
  ['POST', /^\/api\/invites\/[^/]+\/accept\/?$/],
];

/**
 * Everything else needs a principal: checked once here for the whole API (so a new route is
 * private unless listed above), and again by each handler, which needs the principal anyway.
 */
const requireSignedIn: RequestHandler = (req, res, next) => {
  const fullPath = req.baseUrl + req.path;
  const open = PUBLIC_ROUTES.some(([method, path]) => method === req.method && path.test(fullPath));
  next(open || principalOf(res) ? undefined : unauthenticated());
};

/** API responses carry personal data and are never cached by browsers or proxies. */
const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};

/**
 * The REST API under /api. Order matters: Origin/CSRF check (state-changing requests), then
 * authentication, then the read-only-token rule, then the signed-in rule, then the routes, a JSON
 * 404 for unknown /api routes, and the error handler that gives every failure the
 * `{ error: { code, message } }` shape. Mount it with `app.use(createApiRouter(…))` before the
 * static client, whose catch-all serves index.html. (`/healthz` is separate: see healthRouter.ts.)
 */
export function createApiRouter(deps: ApiDeps): Router {
  const { meta, docs, logger, access } = deps;
  const now = deps.now ?? (() => new Date());
  const limits = createRateLimiters(deps.rateLimits);
  const api = Router();
  api.use('/api', noStore, originGuard(deps.origins, logger), authenticateRequests(access.authenticator), refuseReadOnlyWrites, requireSignedIn);
  api.use(sessionRouter({ accounts: access.accounts, sessions: access.sessions, memberships: meta, activity: access.activity, cookie: deps.cookie, limits }));
  api.use(meRouter({ accounts: access.accounts, memberships: meta, limits }));
  api.use(groupsRouter({ meta, docs, logger, activity: access.activity, now }));
  api.use(documentsRouter({ meta, now }));
  api.use(membersRouter({ meta, members: access.members }));
  api.use(
    invitesRouter({
      meta,
      invites: access.invites,
      sessions: access.sessions,
      events: access.events,
      activity: access.activity,
      origins: deps.origins,
      publicUrl: deps.publicUrl,
      cookie: deps.cookie,
      limits,
      now,
    }),
  );
  api.use(tokensRouter({ tokens: access.tokens, activity: access.activity }));
  api.use(adminRouter({ users: meta, accounts: access.accounts, activity: access.activity, ...(deps.runtime ? { runtime: deps.runtime } : {}) }));
  api.use('/api', apiNotFound);
  api.use(apiErrorHandler(logger));
  return api;
}
