import { Router } from 'express';
import {
  canSeeDocument,
  createDocumentSchema,
  isValidId,
  type DocumentMeta,
  type Group,
  type GroupStanding,
  type GroupSummary,
  type GroupView,
} from '../../shared/domain/index.js';
import { accessTo } from '../auth/access.js';
import type { Logger } from '../logger.js';
import type { ActivityLog } from '../services/activityLog.js';
import { createDocument } from '../services/documentService.js';
import type { DocStore } from '../storage/DocStore.js';
import type { MetaStore } from '../storage/MetaStore.js';
import { requirePrincipal } from './authContext.js';
import { notFound } from './errors.js';
import { groupWith, visibleGroup } from './groupAccess.js';
import { jsonBody } from './jsonBody.js';

export interface GroupsRouterDeps {
  meta: MetaStore;
  docs: DocStore;
  logger: Logger;
  activity: ActivityLog;
  now: () => Date;
}

function summarise(group: Group, documents: DocumentMeta[]): GroupSummary {
  let lastEditedAt: string | null = null;
  for (const document of documents) {
    if (lastEditedAt === null || document.updatedAt > lastEditedAt) lastEditedAt = document.updatedAt;
  }
  return { ...group, documentCount: documents.length, lastEditedAt };
}

/** The summary as this person sees it: counts and dates only of documents they may see. */
async function viewOf(meta: MetaStore, group: Group, standing: GroupStanding): Promise<GroupView> {
  const visible = (await meta.listDocuments(group.id)).filter((document) => canSeeDocument(standing, document.state));
  return { ...summarise(group, visible), myRole: standing };
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

  // Admins see every group; everyone else only the groups they are a member of.
  router.get('/api/groups', async (_req, res) => {
    const principal = requirePrincipal(res);
    const groups = await meta.listGroups();
    const roles = new Map((await meta.listMemberships({ userId: principal.user.id })).map((m) => [m.groupId, m.role] as const));
    const visible = groups.flatMap((group): Array<[Group, GroupStanding]> => {
      const standing: GroupStanding = principal.user.isAdmin ? 'admin' : (roles.get(group.id) ?? null);
      return standing === null ? [] : [[group, standing]];
    });
    res.json({ groups: await Promise.all(visible.map(([group, standing]) => viewOf(meta, group, standing))) });
  });

  router.get('/api/groups/:groupId', async (req, res) => {
    const { group, standing } = await visibleGroup(meta, requirePrincipal(res), req.params.groupId);
    res.json({ group: await viewOf(meta, group, standing) });
  });

  router.get('/api/groups/:groupId/documents', async (req, res) => {
    const { group, standing } = await visibleGroup(meta, requirePrincipal(res), req.params.groupId);
    const documents = (await meta.listDocuments(group.id)).filter((document) => canSeeDocument(standing, document.state));
    res.json({ documents: documents.sort(compareDocumentsNewestFirst) });
  });

  router.post('/api/groups/:groupId/documents', jsonBody, async (req, res) => {
    const principal = requirePrincipal(res);
    const { group, standing } = await groupWith(meta, principal, req.params.groupId, 'document.edit', 'create documents');
    const input = createDocumentSchema.parse(req.body);
    const document = await createDocument(deps, group.id, input, now());
    if (!document) throw notFound('group');
    logger.info({ documentId: document.id, groupId: group.id, kind: document.kind }, 'document created');
    await deps.activity.record('document.created', principal.user.id, { groupId: group.id, documentId: document.id, details: { kind: document.kind, title: document.title } });
    const access = accessTo(principal, standing, document);
    res.status(201).location(`/api/documents/${document.id}`).json({ document: { ...document, access } });
  });

  return router;
}
