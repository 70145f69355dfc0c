import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { CollabSession, type SessionSnapshot, type SessionUser } from './collabSession.js';

/**
 * The session and what it shows. The save state is not part of it: it changes with every
 * keystroke, so components pick what they show of it with `useSaveSelector(session.tracker, …)`.
 */
export interface Collaboration {
  session: CollabSession | null;
  snapshot: SessionSnapshot;
}

const NO_SESSION: SessionSnapshot = { phase: 'loading', editor: null };
const noSubscription = () => () => {};

/**
 * Opens the collaboration session for one document while the component is mounted. A new
 * name or colour is applied to the running session; a change of account or of access
 * (edit ↔ read) opens a new session, because both decide what the session is (its local copy,
 * whether it may send content).
 */
export function useCollaboration(documentId: string, user: SessionUser, readOnly: boolean): Collaboration {
  const [session, setSession] = useState<CollabSession | null>(null);
  const userRef = useRef(user);
  userRef.current = user;
  const userId = user.id;

  useEffect(() => {
    const created = new CollabSession(documentId, { user: userRef.current, readOnly });
    setSession(created);
    return () => {
      created.destroy();
      setSession(null);
    };
  }, [documentId, userId, readOnly]);

  useEffect(() => {
    session?.setUser(user);
  }, [session, user]);

  const snapshot = useSyncExternalStore(session?.subscribe ?? noSubscription, session?.getSnapshot ?? (() => NO_SESSION));
  return { session, snapshot };
}
