import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { IDENTITY_STORAGE_KEY, loadIdentity, saveIdentity, type Identity } from './identity.js';
import { NameDialog } from './NameDialog.js';

interface IdentityContextValue {
  identity: Identity | null;
  /** Opens the dialog to change name and colour. */
  editIdentity: () => void;
}

const IdentityContext = createContext<IdentityContextValue | null>(null);

export function useIdentity(): IdentityContextValue {
  const value = useContext(IdentityContext);
  if (!value) throw new Error('useIdentity must be used inside <IdentityProvider>');
  return value;
}

/**
 * Holds the person's chosen name and colour. On a first visit (nothing stored) the dialog
 * opens by itself and cannot be dismissed without choosing: every caret needs a name.
 */
export function IdentityProvider({ children }: { children: ReactNode }) {
  const [identity, setIdentity] = useState<Identity | null>(() => loadIdentity());
  const [editing, setEditing] = useState(false);

  // Another tab changed the identity: follow it, so one person is one avatar.
  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key === IDENTITY_STORAGE_KEY) setIdentity(loadIdentity());
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);

  const save = useCallback((next: Identity) => {
    saveIdentity(next);
    setIdentity(next);
    setEditing(false);
  }, []);

  const value = useMemo(() => ({ identity, editIdentity: () => setEditing(true) }), [identity]);

  return (
    <IdentityContext.Provider value={value}>
      {children}
      {(identity === null || editing) && (
        <NameDialog initial={identity} onSave={save} onCancel={identity === null ? undefined : () => setEditing(false)} />
      )}
    </IdentityContext.Provider>
  );
}
