import type { DocumentMeta, Group } from '../../shared/domain/index.js';
import type { DocumentPatch, MetaStore } from './MetaStore.js';
import { applyInsert, applyPatch, emptyMetaData, type MetaData } from './metaData.js';

/**
 * MetaStore kept in process memory: for tests and throw-away servers. It follows the same rules
 * as the durable adapter (shared in metaData.ts) and hands out copies, so a caller mutating a
 * returned object cannot change the store behind its back.
 */
export class MemoryMetaStore implements MetaStore {
  private readonly data: MetaData;

  constructor(initial: MetaData = emptyMetaData()) {
    this.data = structuredClone(initial);
  }

  async listGroups(): Promise<Group[]> {
    return structuredClone(this.data.groups);
  }

  async getGroup(groupId: string): Promise<Group | undefined> {
    const group = this.data.groups.find((candidate) => candidate.id === groupId);
    return group && structuredClone(group);
  }

  async listDocuments(groupId: string): Promise<DocumentMeta[]> {
    return structuredClone(this.data.documents.filter((document) => document.groupId === groupId));
  }

  async getDocument(documentId: string): Promise<DocumentMeta | undefined> {
    const document = this.data.documents.find((candidate) => candidate.id === documentId);
    return document && structuredClone(document);
  }

  async insert(batch: { groups?: Group[]; documents?: DocumentMeta[] }): Promise<void> {
    applyInsert(this.data, batch);
  }

  async updateDocument(documentId: string, patch: DocumentPatch): Promise<DocumentMeta | undefined> {
    const updated = applyPatch(this.data, documentId, patch);
    return updated && structuredClone(updated);
  }

  /** Nothing to release; the data lives as long as the object, so a "reopen" is the same store. */
  async close(): Promise<void> {}
}
