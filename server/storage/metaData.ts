import { z } from 'zod';
import { DOCUMENT_KINDS, DOCUMENT_STATES, isValidId, meetingSchema } from '../../shared/domain/index.js';
import type { DocumentMeta, Group } from '../../shared/domain/index.js';
import type { DocumentPatch } from './MetaStore.js';

/**
 * The metadata model shared by every MetaStore adapter: its shape on disk and the pure rules for
 * changing it. Keeping the rules here (not in each adapter) is what makes the adapters behave
 * identically under `metaStoreContract.ts`.
 */

/** Bumped when the file layout changes incompatibly; a newer file is refused, never rewritten. */
export const META_DATA_VERSION = 1;

export interface MetaData {
  version: typeof META_DATA_VERSION;
  groups: Group[];
  documents: DocumentMeta[];
}

export function emptyMetaData(): MetaData {
  return { version: META_DATA_VERSION, groups: [], documents: [] };
}

/** A batch was refused as a whole: nothing from it was stored. */
export class MetaStoreInsertError extends Error {
  readonly code = 'META_INSERT_REFUSED';
  constructor(message: string) {
    super(message);
    this.name = 'MetaStoreInsertError';
  }
}

// Loose objects keep fields this version does not know yet, so reading and rewriting a file
// never silently drops data written by a newer minor change.
const storedId = z.string().refine(isValidId, 'is not a valid id');
const timestamp = z.string().min(1);
const storedGroup = z.looseObject({ id: storedId, name: z.string(), description: z.string(), createdAt: timestamp });
const storedDocument = z.looseObject({
  id: storedId,
  groupId: storedId,
  kind: z.enum(DOCUMENT_KINDS),
  title: z.string(),
  state: z.enum(DOCUMENT_STATES),
  meeting: meetingSchema.optional(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
const storedMetaData = z.looseObject({
  version: z.literal(META_DATA_VERSION),
  groups: z.array(storedGroup),
  documents: z.array(storedDocument),
});

/** Checks a parsed JSON value read from storage; throws an Error saying what is wrong. */
export function parseMetaData(value: unknown): MetaData {
  if (typeof value === 'object' && value !== null && 'version' in value) {
    const { version } = value;
    if (typeof version === 'number' && version > META_DATA_VERSION) {
      throw new Error(`it has format version ${version}, but this Roundtable reads version ${META_DATA_VERSION} (was it written by a newer release?)`);
    }
  }
  const result = storedMetaData.safeParse(value);
  if (!result.success) {
    const first = result.error.issues[0];
    const where = first && first.path.length > 0 ? ` at ${first.path.join('.')}` : '';
    throw new Error(`it does not have the expected shape${where}: ${first?.message ?? 'unknown problem'}`);
  }
  return result.data as MetaData;
}

/**
 * Validates the whole batch against `data` first and only then mutates it, so a refused batch
 * leaves `data` untouched (all or nothing). Throws MetaStoreInsertError.
 */
export function applyInsert(data: MetaData, batch: { groups?: Group[]; documents?: DocumentMeta[] }): void {
  const groups = batch.groups ?? [];
  const documents = batch.documents ?? [];
  const groupIds = new Set(data.groups.map((group) => group.id));
  const documentIds = new Set(data.documents.map((document) => document.id));

  for (const group of groups) {
    if (!isValidId(group.id)) throw new MetaStoreInsertError(`group id ${JSON.stringify(group.id)} is not a valid id`);
    if (groupIds.has(group.id)) throw new MetaStoreInsertError(`a group with id "${group.id}" already exists`);
    groupIds.add(group.id);
  }
  for (const document of documents) {
    if (!isValidId(document.id)) throw new MetaStoreInsertError(`document id ${JSON.stringify(document.id)} is not a valid id`);
    if (documentIds.has(document.id)) throw new MetaStoreInsertError(`a document with id "${document.id}" already exists`);
    // A document must never point at a group that does not exist (in the store or this batch).
    if (!groupIds.has(document.groupId)) {
      throw new MetaStoreInsertError(`document "${document.id}" belongs to unknown group "${document.groupId}"`);
    }
    documentIds.add(document.id);
  }

  data.groups.push(...groups.map((group) => structuredClone(group)));
  data.documents.push(...documents.map((document) => structuredClone(document)));
}

/** Applies a patch in place; undefined when the document does not exist (nothing changed). */
export function applyPatch(data: MetaData, documentId: string, patch: DocumentPatch): DocumentMeta | undefined {
  const document = data.documents.find((candidate) => candidate.id === documentId);
  if (!document) return undefined;
  // Only the patchable fields, and only those actually given: `{ title: undefined }` keeps the title.
  if (patch.title !== undefined) document.title = patch.title;
  if (patch.meeting !== undefined) document.meeting = structuredClone(patch.meeting);
  if (patch.state !== undefined) document.state = patch.state;
  if (patch.updatedAt !== undefined) document.updatedAt = patch.updatedAt;
  return document;
}
