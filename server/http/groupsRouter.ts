import { Router } from 'express';
import { createDocumentSchema, isValidId, type DocumentMeta, type Group, type GroupSummary } from '../../shared/domain/index.js';
import type { Logger } from '../logger.js';
import { createDocument } from '../services/documentService.js';
import type { DocStore } from '../storage/DocStore.js';
import type { MetaStore } from '../storage/MetaStore.js';
import { notFound } from './errors.js';
import { jsonBody } from './jsonBody.js';

export interface GroupsRouterDeps {
  meta: MetaStore;
  docs: DocStore;
  logger: Logger;
  now: () => Date;
}

function summarise(group: Group, documents: DocumentMeta[]): GroupSummary {
  let lastEditedAt: string | null = null;
  for (const document of documents) {
    if (lastEditedAt === null || document.updatedAt > lastEditedAt) lastEditedAt = document.updatedAt;
  }
  return { ...group, documentCount: documents.length, lastEditedAt };
}

/**
 * Newest first: a follow-up by the date of its meeting (what people look for), any other
 * document by its last edit. ISO dates and timestamps compare correctly as strings.
 */
export function compareDocumentsNewestFirst(a: DocumentMeta, b: DocumentMeta): number {
  const keyA = a.meeting?.date ?? a.updatedAt;
  const keyB = b.meeting?.date ?? b.updatedAt;
  if (keyA !== keyB) return keyA < keyB ? 1 : -1;
  if (a.updatedAt !== b.updatedAt) return a.updatedAt < b.updatedAt ? 1 : -1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function groupsRouter(deps: GroupsRouterDeps): Router {
  const { meta, logger, now } = deps;
  const router = Router();

  // A malformed id is answered exactly like an unknown one, before any route or body handling.
  router.param('groupId', (_req, _res, next, value: unknown) => {
    next(isValidId(value) ? undefined : notFound('group'));
  });

  router.get('/api/groups', async (_req, res) => {
    const groups = await meta.listGroups();
    const summaries = await Promise.all(groups.map(async (group) => summarise(group, await meta.listDocuments(group.id))));
    res.json({ groups: summaries });
  });

  router.get('/api/groups/:groupId', async (req, res) => {
    const group = await meta.getGroup(req.params.groupId);
    if (!group) throw notFound('group');
    res.json({ group: summarise(group, await meta.listDocuments(group.id)) });
  });

  router.get('/api/groups/:groupId/documents', async (req, res) => {
    const group = await meta.getGroup(req.params.groupId);
    if (!group) throw notFound('group');
    const documents = await meta.listDocuments(group.id);
    res.json({ documents: documents.sort(compareDocumentsNewestFirst) });
  });

  router.post('/api/groups/:groupId/documents', jsonBody, async (req, res) => {
    const groupId = req.params.groupId;
    if (!(await meta.getGroup(groupId))) throw notFound('group');
    const input = createDocumentSchema.parse(req.body);
    const document = await createDocument(deps, groupId, input, now());
    if (!document) throw notFound('group');
    logger.info({ documentId: document.id, groupId, kind: document.kind }, 'document created');
    res.status(201).location(`/api/documents/${document.id}`).json({ document });
  });

  return router;
}
