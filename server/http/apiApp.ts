import { Router } from 'express';
import type { Logger } from '../logger.js';
import type { DocStore } from '../storage/DocStore.js';
import type { MetaStore } from '../storage/MetaStore.js';
import { documentsRouter } from './documentsRouter.js';
import { apiErrorHandler, apiNotFound } from './errors.js';
import { groupsRouter } from './groupsRouter.js';

export interface ApiDeps {
  meta: MetaStore;
  docs: DocStore;
  logger: Logger;
  /** Clock for createdAt/updatedAt; tests pass a fixed one. */
  now?: () => Date;
}

/**
 * The REST API under /api: groups and documents, a JSON 404 for unknown /api routes, and the
 * error handler that gives every failure the `{ error: { code, message } }` shape. Mount it with
 * `app.use(createApiRouter(…))` before the static client, whose catch-all serves index.html.
 * (`/healthz` is separate: see healthRouter.ts.)
 */
export function createApiRouter({ meta, docs, logger, now = () => new Date() }: ApiDeps): Router {
  const router = Router();
  router.use(groupsRouter({ meta, docs, logger, now }));
  router.use(documentsRouter({ meta, now }));
  router.use('/api', apiNotFound);
  router.use(apiErrorHandler(logger));
  return router;
}
