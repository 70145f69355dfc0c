import { useCallback, useEffect, useState } from 'react';
import type { DocumentMeta } from '../../../shared/domain/index.js';
import { ApiError, api } from '../api/client.js';

export type DocumentMetaState =
  | { status: 'loading' }
  | { status: 'ready'; document: DocumentMeta; fromCache: boolean }
  | { status: 'not-found' }
  | { status: 'error'; error: unknown };

const cacheKey = (documentId: string) => `roundtable.documentMeta.${documentId}`;

function readCache(documentId: string): DocumentMeta | null {
  try {
    const raw = localStorage.getItem(cacheKey(documentId));
    const value: unknown = raw ? JSON.parse(raw) : null;
    return value && typeof value === 'object' && (value as DocumentMeta).id === documentId ? (value as DocumentMeta) : null;
  } catch {
    return null;
  }
}

function writeCache(document: DocumentMeta): void {
  try {
    localStorage.setItem(cacheKey(document.id), JSON.stringify(document));
  } catch {
    // A full or disabled storage only costs the offline title.
  }
}

/**
 * The document's metadata (title, meeting). The last copy seen is kept on the device, so a
 * document whose text is in IndexedDB can still be opened and edited while the API is
 * unreachable; a definite 404 is never papered over by the cache.
 */
export function useDocumentMeta(documentId: string) {
  const [state, setState] = useState<DocumentMetaState>({ status: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    setState({ status: 'loading' });
    api.getDocument(documentId, controller.signal).then(
      (document) => {
        if (controller.signal.aborted) return;
        writeCache(document);
        setState({ status: 'ready', document, fromCache: false });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && error.isNotFound) {
          setState({ status: 'not-found' });
          return;
        }
        const cached = error instanceof ApiError && error.isNetwork ? readCache(documentId) : null;
        setState(cached ? { status: 'ready', document: cached, fromCache: true } : { status: 'error', error });
      },
    );
    return () => controller.abort();
  }, [documentId]);

  const update = useCallback((document: DocumentMeta) => {
    writeCache(document);
    setState({ status: 'ready', document, fromCache: false });
  }, []);

  return { state, update };
}
