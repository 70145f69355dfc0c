import { useEffect, useRef } from 'react';
import { CloseCode } from '../../../shared/protocol/index.js';
import type { CollabSession } from './collabSession.js';

/** 1006: the browser's code for a socket that ended without a close frame. */
const ABNORMAL_CLOSURE = 1006;
/** A refused upgrade repeats on every reconnect attempt; ask the API at most this often. */
export const RECHECK_INTERVAL_MS = 15_000;

export type CloseReaction = 'sign-in' | 'revoked' | 'recheck' | 'none';

/**
 * What the page does when the document's socket closes.
 * - 4401: the session ended → sign in again;
 * - 4403: access revoked → say so and stop;
 * - 4001: rights changed → the provider reconnects by itself; ask the API what the access is now;
 * - 1006: the socket died without a close frame. That is what a refused upgrade looks like to a
 *   browser (the server answered 401 or 404 instead of switching protocols, and the browser does
 *   not reveal the status), and also what a network drop looks like; the API tells the two
 *   apart, so ask it, but not on every one of the provider's retries.
 */
export function closeReaction(code: number | null, lastRecheckAt: number, now: number): CloseReaction {
  switch (code) {
    case CloseCode.SessionEnded:
      return 'sign-in';
    case CloseCode.AccessRevoked:
      return 'revoked';
    case CloseCode.PermissionsChanged:
      return 'recheck';
    case ABNORMAL_CLOSURE:
      return now - lastRecheckAt >= RECHECK_INTERVAL_MS ? 'recheck' : 'none';
    default:
      return 'none';
  }
}

export interface AccessHandlers {
  onSessionEnded: () => void;
  onRevoked: () => void;
  onRecheck: () => void;
}

/** Applies `closeReaction` to every close of the session's socket. */
export function useAccessWatch(session: CollabSession | null, handlers: AccessHandlers): void {
  const handlersRef = useRef(handlers);
  handlersRef.current = handlers;

  useEffect(() => {
    if (!session) return undefined;
    let lastRecheckAt = Number.NEGATIVE_INFINITY;
    // `null`: closed by this page (disconnect, destroy), which says nothing about access.
    const onClose = (event: CloseEvent | null): void => {
      if (event === null) return;
      const now = Date.now();
      const reaction = closeReaction(event.code, lastRecheckAt, now);
      if (reaction === 'sign-in') handlersRef.current.onSessionEnded();
      else if (reaction === 'revoked') handlersRef.current.onRevoked();
      else if (reaction === 'recheck') {
        lastRecheckAt = now;
        handlersRef.current.onRecheck();
      }
    };
    session.provider.on('connection-close', onClose);
    return () => session.provider.off('connection-close', onClose);
  }, [session]);
}
