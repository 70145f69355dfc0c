import { Navigate, Outlet, useLocation } from 'react-router';
import { describeError, ErrorState } from '../components/ErrorState.js';
import { useAuth } from './AuthContext.js';
import { signInHref } from './redirect.js';

/**
 * The gate in front of every page that needs an account. Not signed in (or the session just
 * ended anywhere in the app): to the sign-in page, which brings the person back here after.
 */
export function RequireAuth() {
  const { state, retry } = useAuth();
  const location = useLocation();
  if (state.status === 'loading') return <div className="app-loading" aria-busy="true" />;
  if (state.status === 'signed-out') {
    return <Navigate to={signInHref(`${location.pathname}${location.search}${location.hash}`)} replace />;
  }
  if (state.status === 'unreachable') {
    return (
      <main className="page">
        <ErrorState
          title="Roundtable cannot be reached"
          testId="unreachable"
          actions={
            <button type="button" className="button button--primary" onClick={retry}>
              Try again
            </button>
          }
        >
          <p>{describeError(state.error)}</p>
        </ErrorState>
      </main>
    );
  }
  return <Outlet />;
}
