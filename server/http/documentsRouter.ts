import { Router } from 'express';
import { isValidId, patchDocumentSchema, type DocumentMeta } from '../../shared/domain/index.js';
import { documentAccessFor } from '../auth/access.js';
import type { Principal } from '../auth/authenticate.js';
import { patchDocument } from '../services/documentService.js';
import type { MetaStore } from '../storage/MetaStore.js';
import { requirePrincipal } from './authContext.js';
import { forbidden, notFound } from './errors.js';
import { jsonBody } from './jsonBody.js';

export interface DocumentsRouterDeps {
  meta: MetaStore;
  now: () => Date;
}

/** The document if the principal may see it, with what they may do; 404 (as unknown) otherwise. */
async function visibleDocument(meta: MetaStore, principal: Principal, documentId: string): Promise<{ document: DocumentMeta; access: 'edit' | 'read' }> {
  const document = await meta.getDocument(documentId);
  if (!document) throw notFound('document');
  const access = await documentAccessFor(meta, principal, document);
  if (access === 'none') throw notFound('document');
  return { document, access };
}

export function documentsRouter({ meta, now }: DocumentsRouterDeps): Router {
  const router = Router();

  // A malformed id is answered exactly like an unknown one, before any route or body handling.
  router.param('documentId', (_req, _res, next, value: unknown) => {
    next(isValidId(value) ? undefined : notFound('document'));
  });

  router.get('/api/documents/:documentId', async (req, res) => {
    const { document, access } = await visibleDocument(meta, requirePrincipal(res), req.params.documentId);
    res.json({ document: { ...document, access } });
  });

  router.patch('/api/documents/:documentId', jsonBody, async (req, res) => {
    const { access } = await visibleDocument(meta, requirePrincipal(res), req.params.documentId);
    if (access !== 'edit') throw forbidden('You can read this document but not change it.');
    const input = patchDocumentSchema.parse(req.body);
    const document = await patchDocument({ meta }, req.params.documentId, input, now());
    if (!document) throw notFound('document');
    res.json({ document: { ...document, access } });
  });

  return router;
}
