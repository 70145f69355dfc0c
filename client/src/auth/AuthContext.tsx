import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { MeResponse, PublicUser } from '../../../shared/domain/index.js';
import { ApiError, api, onSessionEnded } from '../api/client.js';
import { SIGN_IN_PATH } from './redirect.js';
import { forgetAccount, loadCachedMe, saveCachedMe } from './meCache.js';

export type AuthState =
  | { status: 'loading' }
  | { status: 'signed-out' }
  /** `offline`: the server could not be reached; this is the account last seen on this device. */
  | { status: 'signed-in'; me: MeResponse; offline: boolean }
  /** The server could not be reached and this device knows no account. */
  | { status: 'unreachable'; error: ApiError };

interface AuthValue {
  state: AuthState;
  signIn: (email: string, password: string) => Promise<MeResponse>;
  /**
   * Ends the session on the server, forgets the account here and reloads on `then` (the
   * sign-in page by default; the invitation page signs out and stays to offer a new account).
   */
  signOut: (then?: string) => Promise<void>;
  /** A fresh `MeResponse` from elsewhere (accepting an invitation signs in or adds a group). */
  setMe: (me: MeResponse) => void;
  updateUser: (user: PublicUser) => void;
  /** The server said the session is over (an API 401, the socket's 4401). */
  sessionEnded: () => void;
  retry: () => void;
}

const AuthContext = createContext<AuthValue | null>(null);

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}

/** The signed-in person; only for pages behind <RequireAuth>, which guarantees one. */
export function useMe(): MeResponse {
  const { state } = useAuth();
  if (state.status !== 'signed-in') throw new Error('useMe used outside a signed-in page');
  return state.me;
}

/**
 * Who is using Roundtable, from `GET /api/me`. The account's name and colour are the ones on
 * the carets and avatars (the server stamps them on the awareness too), so there is no local
 * identity any more.
 */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  const accept = useCallback((me: MeResponse) => {
    saveCachedMe(me);
    setState({ status: 'signed-in', me, offline: false });
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    api.me(controller.signal).then(
      (me) => {
        if (!controller.signal.aborted) accept(me);
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && error.isNetwork) {
          const cached = loadCachedMe();
          setState(cached ? { status: 'signed-in', me: cached, offline: true } : { status: 'unreachable', error });
        } else {
          // 401 (no session) and anything unexpected both mean: sign in.
          forgetAccount(null);
          setState({ status: 'signed-out' });
        }
      },
    );
    return () => controller.abort();
  }, [attempt, accept]);

  // Back online after starting offline: confirm the session with the server.
  useEffect(() => {
    if (state.status !== 'unreachable' && !(state.status === 'signed-in' && state.offline)) return undefined;
    const onOnline = () => setAttempt((n) => n + 1);
    window.addEventListener('online', onOnline);
    return () => window.removeEventListener('online', onOnline);
  }, [state]);

  const sessionEnded = useCallback(() => {
    setState((current) => {
      if (current.status === 'signed-out') return current;
      forgetAccount(current.status === 'signed-in' ? current.me.user.id : null);
      return { status: 'signed-out' };
    });
  }, []);

  useEffect(() => {
    onSessionEnded(sessionEnded);
    return () => onSessionEnded(null);
  }, [sessionEnded]);

  const value = useMemo<AuthValue>(
    () => ({
      state,
      signIn: async (email, password) => {
        const me = await api.signIn(email, password);
        accept(me);
        return me;
      },
      signOut: async (then = SIGN_IN_PATH) => {
        const userId = state.status === 'signed-in' ? state.me.user.id : null;
        try {
          await api.signOut();
        } catch (error) {
          // Already signed out on the server is fine; anything else leaves the session alive
          // there (the cookie is httpOnly: only the server can end it), so say so.
          if (!(error instanceof ApiError && error.status === 401)) throw error;
        }
        forgetAccount(userId);
        // A full page load rather than a route change: every open document session, cached
        // page data and in-memory Y.Doc of this account is gone with it.
        window.location.assign(then);
      },
      setMe: accept,
      updateUser: (user) => {
        if (state.status !== 'signed-in') return;
        accept({ ...state.me, user });
      },
      sessionEnded,
      retry: () => {
        setState({ status: 'loading' });
        setAttempt((n) => n + 1);
      },
    }),
    [state, accept, sessionEnded],
  );

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
