import { useEffect, useId, useRef, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { useAuth } from '../auth/AuthContext.js';
import { Avatar } from './Avatar.js';
import { describeError } from './ErrorState.js';
import { Icon } from './icons.js';

/**
 * Who you are, in the header: your avatar and name; opens a small panel with your profile, the
 * administration (for workspace admins) and signing out. A disclosure (button + panel of links)
 * rather than an ARIA menu: it holds three ordinary links and buttons, reached with Tab.
 */
export function AccountMenu({ compact = false }: { compact?: boolean }) {
  const { state, signOut } = useAuth();
  const [open, setOpen] = useState(false);
  const [signingOut, setSigningOut] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const panelId = useId();
  const location = useLocation();

  useEffect(() => setOpen(false), [location.pathname]);

  useEffect(() => {
    if (!open) return undefined;
    const onPointer = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        setOpen(false);
        rootRef.current?.querySelector<HTMLButtonElement>('.account-button')?.focus();
      }
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  if (state.status !== 'signed-in') return null;
  const { user } = state.me;

  const doSignOut = async () => {
    setSigningOut(true);
    setError(null);
    try {
      await signOut();
    } catch (cause) {
      setSigningOut(false);
      setError(`You are still signed in: ${describeError(cause)}`);
    }
  };

  return (
    <div className={`account-menu${compact ? ' account-menu--compact' : ''}`} ref={rootRef} data-testid="account-menu">
      <button
        type="button"
        className="account-button"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={`Your account: ${user.name}`}
        data-testid="account-button"
        data-user-id={user.id}
        onClick={() => setOpen((value) => !value)}
      >
        <Avatar name={user.name} color={user.color} size="small" />
        <span className="account-button__name" data-testid="account-name">
          {user.name}
        </span>
        <Icon name="chevronDown" size={14} />
      </button>
      {open && (
        <div className="account-panel" id={panelId} data-testid="account-panel">
          <div className="account-panel__who">
            <Avatar name={user.name} color={user.color} />
            <span className="account-panel__names">
              <strong>{user.name}</strong>
              <span className="account-panel__email">{user.email}</span>
            </span>
          </div>
          {state.offline && <p className="account-panel__note">Offline: working from this device’s copy.</p>}
          <nav className="account-panel__links" aria-label="Account">
            <Link className="account-panel__link" to="/me" data-testid="menu-profile">
              <Icon name="user" size={16} /> Profile and API tokens
            </Link>
            {user.isAdmin && (
              <Link className="account-panel__link" to="/admin" data-testid="menu-admin">
                <Icon name="shield" size={16} /> Administration
              </Link>
            )}
            <button
              type="button"
              className="account-panel__link"
              onClick={() => void doSignOut()}
              disabled={signingOut}
              data-testid="sign-out"
            >
              <Icon name="signOut" size={16} /> {signingOut ? 'Signing out…' : 'Sign out'}
            </button>
          </nav>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
