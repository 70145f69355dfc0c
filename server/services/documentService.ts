import { randomUUID } from 'node:crypto';
import { DOCUMENT_KIND_LABELS, type CreateDocumentInput, type DocumentMeta, type PatchDocumentInput, type ValidationIssue } from '../../shared/domain/index.js';
import type { DocStore } from '../storage/DocStore.js';
import type { DocumentPatch, MetaStore } from '../storage/MetaStore.js';
import { contentToUpdate } from './documentContent.js';
import { templateFor } from './followUpTemplate.js';

export interface DocumentServiceDeps {
  meta: MetaStore;
  docs: DocStore;
}

/** A well-formed request that breaks a document rule (HTTP: 400 VALIDATION_FAILED). */
export class InvalidDocumentChangeError extends Error {
  constructor(readonly issues: ValidationIssue[]) {
    super(issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '));
    this.name = 'InvalidDocumentChangeError';
  }
}

/**
 * Creates a document with its template content. The content is made durable first and the
 * metadata second, so metadata never points at content that does not exist; if the metadata
 * write fails, the orphaned content log is unreachable (its id was never published) and harmless.
 * Resolves to undefined when the group does not exist.
 */
export async function createDocument(
  { meta, docs }: DocumentServiceDeps,
  groupId: string,
  input: CreateDocumentInput,
  now: Date,
): Promise<DocumentMeta | undefined> {
  if (!(await meta.getGroup(groupId))) return undefined;
  const timestamp = now.toISOString();
  const document: DocumentMeta = {
    id: randomUUID(),
    groupId,
    kind: input.kind,
    title: input.title,
    state: 'draft',
    ...(input.kind === 'follow-up' ? { meeting: { ...input.meeting } } : {}),
    createdAt: timestamp,
    updatedAt: timestamp,
  };
  await docs.append(document.id, contentToUpdate(templateFor(input)));
  await meta.insert({ documents: [document] });
  return document;
}

/**
 * Applies a metadata patch: the title is replaced, the meeting is merged field by field (so a
 * client can move just the date), and `updatedAt` is set. Resolves to undefined when the
 * document does not exist; throws InvalidDocumentChangeError when a meeting is given for a
 * document that is not a follow-up.
 *
 * The merge reads then writes; two simultaneous patches of different meeting fields could
 * overwrite each other. Metadata edits are rare and made by hand, so that is accepted for now.
 */
export async function patchDocument(
  { meta }: Pick<DocumentServiceDeps, 'meta'>,
  documentId: string,
  input: PatchDocumentInput,
  now: Date,
): Promise<DocumentMeta | undefined> {
  const current = await meta.getDocument(documentId);
  if (!current) return undefined;

  const patch: DocumentPatch = { updatedAt: now.toISOString() };
  if (input.title !== undefined) patch.title = input.title;
  if (input.meeting !== undefined) {
    if (!current.meeting) {
      throw new InvalidDocumentChangeError([{ path: 'meeting', message: `only meeting follow-ups have a meeting (this document is a ${DOCUMENT_KIND_LABELS[current.kind].toLowerCase()})` }]);
    }
    const given = Object.fromEntries(Object.entries(input.meeting).filter(([, value]) => value !== undefined));
    patch.meeting = { ...current.meeting, ...given };
  }
  return meta.updateDocument(documentId, patch);
}
