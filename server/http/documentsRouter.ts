import { Router } from 'express';
import { isValidId, patchDocumentSchema } from '../../shared/domain/index.js';
import { patchDocument } from '../services/documentService.js';
import type { MetaStore } from '../storage/MetaStore.js';
import { notFound } from './errors.js';
import { jsonBody } from './jsonBody.js';

export interface DocumentsRouterDeps {
  meta: MetaStore;
  now: () => Date;
}

export function documentsRouter({ meta, now }: DocumentsRouterDeps): Router {
  const router = Router();

  // A malformed id is answered exactly like an unknown one, before any route or body handling.
  router.param('documentId', (_req, _res, next, value: unknown) => {
    next(isValidId(value) ? undefined : notFound('document'));
  });

  router.get('/api/documents/:documentId', async (req, res) => {
    const document = await meta.getDocument(req.params.documentId);
    if (!document) throw notFound('document');
    res.json({ document });
  });

  router.patch('/api/documents/:documentId', jsonBody, async (req, res) => {
    const documentId = req.params.documentId;
    if (!(await meta.getDocument(documentId))) throw notFound('document');
    const input = patchDocumentSchema.parse(req.body);
    const document = await patchDocument({ meta }, documentId, input, now());
    if (!document) throw notFound('document');
    res.json({ document });
  });

  return router;
}
