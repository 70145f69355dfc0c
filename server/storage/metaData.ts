import { z } from 'zod';
import { ACTIVITY_TYPES, DOCUMENT_KINDS, DOCUMENT_STATES, GROUP_ROLES, TOKEN_SCOPES, isValidId, meetingSchema } from '../../shared/domain/index.js';
import type { ActivityEntry, DocumentMeta, Group } from '../../shared/domain/index.js';
import type { StoredInvite, StoredMembership, StoredSession, StoredToken, StoredUser } from './AccountStore.js';
import type { DocumentPatch } from './MetaStore.js';

/**
 * The metadata model shared by every MetaStore adapter: its shape on disk and the pure rules for
 * changing it. Keeping the rules here (not in each adapter) is what makes the adapters behave
 * identically under `metaStoreContract.ts`.
 */

/**
 * Bumped when the file layout changes incompatibly; a newer file is refused, never rewritten.
 * Version 2 added the account collections; a version 1 file is migrated on read (the
 * collections start empty) and written as version 2 by the next write.
 */
export const META_DATA_VERSION = 2;

export interface MetaData {
  version: typeof META_DATA_VERSION;
  groups: Group[];
  documents: DocumentMeta[];
  users: StoredUser[];
  memberships: StoredMembership[];
  sessions: StoredSession[];
  tokens: StoredToken[];
  invites: StoredInvite[];
  /** Oldest first; trimmed to the newest MAX_ACTIVITY_ENTRIES. */
  activity: ActivityEntry[];
}

export function emptyMetaData(): MetaData {
  return { version: META_DATA_VERSION, groups: [], documents: [], users: [], memberships: [], sessions: [], tokens: [], invites: [], activity: [] };
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
const nullableTimestamp = timestamp.nullable();
const hash = z.string().regex(/^[0-9a-f]{64}$/, 'is not a SHA-256 hash');
const storedUser = z.looseObject({
  id: storedId,
  email: z.string().min(3),
  name: z.string(),
  color: z.string(),
  isAdmin: z.boolean(),
  active: z.boolean(),
  createdAt: timestamp,
  passwordHash: z.string().nullable(),
});
const storedMembership = z.looseObject({ groupId: storedId, userId: storedId, role: z.enum(GROUP_ROLES), addedAt: timestamp });
const storedSession = z.looseObject({ id: hash, userId: storedId, createdAt: timestamp, expiresAt: timestamp, lastSeenAt: timestamp });
const storedToken = z.looseObject({
  id: storedId,
  userId: storedId,
  name: z.string(),
  scope: z.enum(TOKEN_SCOPES),
  hash,
  createdAt: timestamp,
  lastUsedAt: nullableTimestamp,
});
const storedInvite = z.looseObject({
  id: storedId,
  groupId: storedId,
  role: z.enum(GROUP_ROLES),
  email: z.string().nullable(),
  hash,
  createdBy: storedId,
  createdAt: timestamp,
  expiresAt: timestamp,
  usedAt: nullableTimestamp,
  usedBy: storedId.nullable(),
  revokedAt: nullableTimestamp,
});
const storedActivity = z.looseObject({ id: z.string(), at: timestamp, type: z.enum(ACTIVITY_TYPES), actorId: z.string().nullable() });

const storedMetaDataV1 = z.looseObject({
  version: z.literal(1),
  groups: z.array(storedGroup),
  documents: z.array(storedDocument),
});
const storedMetaData = z.looseObject({
  version: z.literal(META_DATA_VERSION),
  groups: z.array(storedGroup),
  documents: z.array(storedDocument),
  users: z.array(storedUser),
  memberships: z.array(storedMembership),
  sessions: z.array(storedSession),
  tokens: z.array(storedToken),
  invites: z.array(storedInvite),
  activity: z.array(storedActivity),
});

/** Version 1 (groups and documents only) → 2: the account collections start empty. */
function migrateFromV1(value: z.infer<typeof storedMetaDataV1>): unknown {
  return { ...value, version: 2, users: [], memberships: [], sessions: [], tokens: [], invites: [], activity: [] };
}

/** Checks a parsed JSON value read from storage; throws an Error saying what is wrong. */
export function parseMetaData(value: unknown): MetaData {
  if (typeof value === 'object' && value !== null && 'version' in value) {
    const { version } = value;
    if (typeof version === 'number' && version > META_DATA_VERSION) {
      throw new Error(`it has format version ${version}, but this Roundtable reads version ${META_DATA_VERSION} (was it written by a newer release?)`);
    }
  }
  if (typeof value === 'object' && value !== null && 'version' in value && value.version === 1) {
    const v1 = storedMetaDataV1.safeParse(value);
    if (!v1.success) throw shapeError(v1.error);
    value = migrateFromV1(v1.data);
  }
  const result = storedMetaData.safeParse(value);
  if (!result.success) throw shapeError(result.error);
  return result.data as MetaData;
}

function shapeError(error: z.ZodError): Error {
  const first = error.issues[0];
  const where = first && first.path.length > 0 ? ` at ${first.path.join('.')}` : '';
  return new Error(`it does not have the expected shape${where}: ${first?.message ?? 'unknown problem'}`);
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
