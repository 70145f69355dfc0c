import { isValidId } from '../../shared/domain/ids.js';

/**
 * Errors shared by every DocStore adapter. They carry stable codes (house rule 5) so callers can
 * tell a programming error (bad id, use after close) from unreadable data (`DocStoreLoadError`).
 */

/** A document id that does not match `isValidId`; it never reaches a file path. */
export class InvalidDocIdError extends Error {
  readonly code = 'INVALID_DOC_ID';
  constructor(readonly docId: unknown) {
    super(`refusing document id ${JSON.stringify(docId)}: ids must match /^[a-z0-9][a-z0-9-]{0,63}$/`);
    this.name = 'InvalidDocIdError';
  }
}

/** The store was closed; the caller is shutting down and must not write any more. */
export class DocStoreClosedError extends Error {
  readonly code = 'DOC_STORE_CLOSED';
  constructor(operation: string) {
    super(`DocStore is closed: ${operation} refused`);
    this.name = 'DocStoreClosedError';
  }
}

export function assertValidDocId(docId: unknown): asserts docId is string {
  if (!isValidId(docId)) throw new InvalidDocIdError(docId);
}
