import type { DocumentMeta, Group } from '../../shared/domain/index.js';
import type { AccountStore } from './AccountStore.js';

export type DocumentPatch = Partial<Pick<DocumentMeta, 'title' | 'meeting' | 'state' | 'updatedAt'>>;

/** Groups and documents. */
export interface WorkspaceStore {
  listGroups(): Promise<Group[]>;
  getGroup(groupId: string): Promise<Group | undefined>;
  listDocuments(groupId: string): Promise<DocumentMeta[]>;
  getDocument(documentId: string): Promise<DocumentMeta | undefined>;

  /** Inserts groups and documents in one durable write (all or nothing). Ids must be new. */
  insert(batch: { groups?: Group[]; documents?: DocumentMeta[] }): Promise<void>;

  /** Applies a patch; resolves to the updated document, or undefined when it does not exist. */
  updateDocument(documentId: string, patch: DocumentPatch): Promise<DocumentMeta | undefined>;

  /**
   * Applies several patches in one durable write (one metadata file rewrite, however many
   * documents): resolves to the updated documents in order, undefined for ids that do not exist
   * (skipped, the others still applied). For bookkeeping such as last-edited times.
   */
  updateDocuments(patches: ReadonlyArray<{ documentId: string; patch: DocumentPatch }>): Promise<Array<DocumentMeta | undefined>>;
}

/**
 * Everything that is not document content: groups and documents, and the accounts (users,
 * memberships, sessions, tokens, invitations, activity); versions and comments later. Every
 * adapter must pass `metaStoreContract.ts` and `accountStoreContract.ts`. Writes resolve only
 * after the change is durable.
 */
export interface MetaStore extends WorkspaceStore, AccountStore {
  /**
   * Grows whenever a change becomes visible to readers (and may grow without one). While it is
   * unchanged every read returns what it returned before, so anything derived only from reads
   * (the collaboration server's cache of upgrade decisions, server/auth/admissionCache.ts) is
   * still exact.
   */
  readonly version: number;
  close(): Promise<void>;
}

/** The metadata file exists but cannot be parsed: the server must stop, not start empty. */
export class MetaStoreCorruptError extends Error {
  readonly code = 'META_CORRUPT';
  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MetaStoreCorruptError';
  }
}
