import type { DocumentMeta, GroupSummary } from '../../shared/domain/index.js';
import type { ServerProcess } from './serverProcess.js';

/** Creates a fresh working draft through the REST API, so each test has its own document. */
export async function createDraft(server: ServerProcess, title = 'Test draft'): Promise<DocumentMeta> {
  const { groups } = await server.api<{ groups: GroupSummary[] }>('/api/groups');
  const group = groups[0];
  if (!group) throw new Error('the seeded workspace has no groups');
  const { document } = await server.api<{ document: DocumentMeta }>(`/api/groups/${group.id}/documents`, {
    method: 'POST',
    body: JSON.stringify({ kind: 'working-draft', title }),
  });
  return document;
}
