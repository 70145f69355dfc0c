import { randomUUID } from 'node:crypto';
import type { DocumentMeta, Group } from '../../shared/domain/index.js';
import type { Logger } from '../logger.js';
import type { DocStore } from '../storage/DocStore.js';
import type { MetaStore } from '../storage/MetaStore.js';
import { MetaStoreInsertError } from '../storage/metaData.js';
import { contentToUpdate } from './documentContent.js';
import { SEED_DOCUMENTS, SEED_GROUPS } from './seedData.js';

export interface SeedDeps {
  meta: MetaStore;
  docs: DocStore;
  logger: Logger;
  now?: () => Date;
}

/**
 * Fills an empty workspace with the four expert groups and their documents, once: when any group
 * exists, it does nothing (an admin who deleted the examples does not want them back).
 *
 * All content is made durable before the single metadata insert, so a crash part-way leaves at
 * worst unreachable content logs and an empty workspace that is seeded again on the next start,
 * never metadata pointing at missing content.
 */
export async function seedWorkspace({ meta, docs, logger, now = () => new Date() }: SeedDeps): Promise<{ seeded: boolean }> {
  if ((await meta.listGroups()).length > 0) return { seeded: false };

  // Stagger timestamps by a second in the order of SEED_DOCUMENTS, so "newest first" lists are
  // deterministic (two follow-ups share the date 8 September 2022).
  const base = now().getTime();
  const at = (secondsBefore: number) => new Date(base - secondsBefore * 1000).toISOString();

  const groups: Group[] = SEED_GROUPS.map((group) => ({ ...group, createdAt: at(SEED_DOCUMENTS.length) }));
  const documents: DocumentMeta[] = [];
  for (const [index, seed] of SEED_DOCUMENTS.entries()) {
    const timestamp = at(SEED_DOCUMENTS.length - 1 - index);
    const document: DocumentMeta = {
      id: randomUUID(),
      groupId: seed.groupId,
      kind: seed.kind,
      title: seed.title,
      state: 'draft',
      ...(seed.meeting ? { meeting: { ...seed.meeting } } : {}),
      createdAt: timestamp,
      updatedAt: timestamp,
    };
    await docs.append(document.id, contentToUpdate(seed.content));
    documents.push(document);
  }

  try {
    await meta.insert({ groups, documents });
  } catch (error) {
    // Another seeder (a second process started by mistake) won the race: the group ids are fixed
    // slugs, so its insert made ours fail as a whole. The workspace is seeded; ours is not needed.
    if (error instanceof MetaStoreInsertError && (await meta.listGroups()).length > 0) {
      logger.warn('workspace was seeded concurrently; keeping the other seed');
      return { seeded: false };
    }
    throw error;
  }
  logger.info({ groups: groups.length, documents: documents.length }, 'seeded the workspace with the expert groups');
  return { seeded: true };
}
