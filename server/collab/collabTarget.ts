import { ACK_QUERY_PARAM, COLLAB_PATH_PREFIX } from '../../shared/protocol/index.js';

/** What an upgrade request asks for: `GET /collab/<documentId>[?ack=1]` (docs/PROTOCOL.md). */
export interface CollabTarget {
  /** The raw path segment after the prefix; the caller still checks it is a valid id. */
  docId: string;
  wantsAck: boolean;
}

/**
 * Reads the request target of an upgrade without building a WHATWG URL: a storm of a thousand
 * upgrades spent ~15 µs each on `new URL()` and its `pathname`/`searchParams` getters. The path
 * is taken as sent (no dot-segment resolution, no decoding), which only ever refuses more: the
 * id must still pass `isValidId`, so a `..`, a slash or an encoded byte is a 404 either way.
 * Null when the path is not under the collaboration prefix.
 */
export function parseCollabTarget(requestTarget: string): CollabTarget | null {
  const queryAt = requestTarget.indexOf('?');
  const path = queryAt === -1 ? requestTarget : requestTarget.slice(0, queryAt);
  if (!path.startsWith(COLLAB_PATH_PREFIX)) return null;
  const docId = path.slice(COLLAB_PATH_PREFIX.length);
  const wantsAck = queryAt !== -1 && new URLSearchParams(requestTarget.slice(queryAt + 1)).get(ACK_QUERY_PARAM) === '1';
  return { docId, wantsAck };
}
