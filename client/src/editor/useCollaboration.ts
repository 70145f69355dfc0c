import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { Identity } from '../identity/identity.js';
import { CollabSession, type SessionSnapshot } from './collabSession.js';
import { initialSaveState, type SaveState } from './saveStatus.js';

export interface Collaboration {
  session: CollabSession | null;
  snapshot: SessionSnapshot;
  save: SaveState;
}

const NO_SESSION: SessionSnapshot = { phase: 'loading', editor: null };
const noSubscription = () => () => {};

/**
 * Opens the collaboration session for one document while the component is mounted. Nothing
 * is opened until the person has an identity (their name is on every caret). A change of
 * identity is applied to the running session rather than reconnecting.
 */
export function useCollaboration(documentId: string, identity: Identity | null): Collaboration {
  const [session, setSession] = useState<CollabSession | null>(null);
  const identityRef = useRef(identity);
  identityRef.current = identity;
  const hasIdentity = identity !== null;

  useEffect(() => {
    const initial = identityRef.current;
    if (!initial) return undefined;
    const created = new CollabSession(documentId, initial);
    setSession(created);
    return () => {
      created.destroy();
      setSession(null);
    };
  }, [documentId, hasIdentity]);

  useEffect(() => {
    if (session && identity) session.setIdentity(identity);
  }, [session, identity]);

  const snapshot = useSyncExternalStore(session?.subscribe ?? noSubscription, session?.getSnapshot ?? (() => NO_SESSION));
  const save = useSyncExternalStore(
    session?.tracker.subscribe ?? noSubscription,
    session?.tracker.getState ?? (() => initialSaveState),
  );
  return { session, snapshot, save };
}
