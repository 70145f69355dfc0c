import { useCallback, useEffect, useRef, useState } from 'react';
import type { DocumentMeta, DocumentView } from '../../../shared/domain/index.js';
import { ApiError, api } from '../api/client.js';
import { userStoragePrefix } from '../auth/meCache.js';

export type DocumentMetaState =
  | { status: 'loading' }
  | { status: 'ready'; document: DocumentView; fromCache: boolean }
  | { status: 'not-found' }
  /** The document was open and the server now refuses it: access revoked, or it is gone. */
  | { status: 'revoked' }
  | { status: 'error'; error: unknown };

/** Per account (see meCache.ts): another person on this browser never sees these titles. */
const cacheKey = (userId: string, documentId: string) => `${userStoragePrefix(userId)}documentMeta.${documentId}`;

function readCache(userId: string, documentId: string): DocumentView | null {
  try {
    const raw = localStorage.getItem(cacheKey(userId, documentId));
    const value: unknown = raw ? JSON.parse(raw) : null;
    return value && typeof value === 'object' && (value as DocumentView).id === documentId ? (value as DocumentView) : null;
  } catch {
    return null;
  }
}

function writeCache(userId: string, document: DocumentView): void {
  try {
    localStorage.setItem(cacheKey(userId, document.id), JSON.stringify(document));
  } catch {
    // A full or disabled storage only costs the offline title.
  }
}

function removeCache(userId: string, documentId: string): void {
  try {
    localStorage.removeItem(cacheKey(userId, documentId));
  } catch {
    // Nothing stored, nothing to remove.
  }
}

/**
 * The document's metadata (title, meeting) and the person's access to it. The last copy seen
 * is kept on the device, so a document whose text is in IndexedDB can still be opened and
 * edited while the API is unreachable; a definite 404 is never papered over by the cache.
 *
 * `recheck()` asks the server again while the document is open (rights changed, or the socket
 * keeps being refused): a new `access` re-opens the editor in the right mode, a 404 means the
 * document is no longer available to this person.
 */
export function useDocumentMeta(documentId: string, userId: string) {
  const [state, setState] = useState<DocumentMetaState>({ status: 'loading' });
  const opened = useRef(false);

  useEffect(() => {
    const controller = new AbortController();
    opened.current = false;
    setState({ status: 'loading' });
    api.getDocument(documentId, controller.signal).then(
      (document) => {
        if (controller.signal.aborted) return;
        writeCache(userId, document);
        opened.current = true;
        setState({ status: 'ready', document, fromCache: false });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && error.isNotFound) {
          removeCache(userId, documentId);
          setState({ status: 'not-found' });
          return;
        }
        const cached = error instanceof ApiError && error.isNetwork ? readCache(userId, documentId) : null;
        opened.current = cached !== null;
        setState(cached ? { status: 'ready', document: cached, fromCache: true } : { status: 'error', error });
      },
    );
    return () => controller.abort();
  }, [documentId, userId]);

  const recheck = useCallback(async () => {
    try {
      const document = await api.getDocument(documentId);
      writeCache(userId, document);
      setState((current) => {
        // Keep the same object when nothing the page shows changed, so nothing re-renders.
        if (current.status === 'ready' && !current.fromCache && JSON.stringify(current.document) === JSON.stringify(document)) return current;
        return { status: 'ready', document, fromCache: false };
      });
    } catch (error) {
      if (error instanceof ApiError && error.isNotFound && opened.current) {
        removeCache(userId, documentId);
        setState({ status: 'revoked' });
      }
      // Network trouble: the editor's own status already says so. A 401 has sent the person to
      // the sign-in page (api client → auth layer).
    }
  }, [documentId, userId]);

  const markRevoked = useCallback(() => {
    removeCache(userId, documentId);
    setState({ status: 'revoked' });
  }, [documentId, userId]);

  /** The title was saved: the PATCH answer is metadata only, the access stays what it was. */
  const update = useCallback(
    (saved: DocumentMeta) => {
      setState((current) => {
        if (current.status !== 'ready') return current;
        const document: DocumentView = { ...current.document, ...saved, access: current.document.access };
        writeCache(userId, document);
        return { status: 'ready', document, fromCache: false };
      });
    },
    [userId],
  );

  return { state, update, recheck, markRevoked };
}
