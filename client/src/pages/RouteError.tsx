import { isRouteErrorResponse, Link, useRouteError } from 'react-router';
import { describeError } from '../components/ErrorState.js';

/**
 * Last line of defence for a page that threw while rendering. It cannot rely on the page's
 * own chrome (which may be what failed), so it is self-contained.
 */
export function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : describeError(error);
  return (
    <main className="page">
      <section className="empty-state empty-state--error" role="alert" data-testid="route-error">
        <h1 className="empty-state__title">Something went wrong on this page</h1>
        <div className="empty-state__body">
          <p>{message}</p>
        </div>
        <div className="empty-state__actions">
          <button type="button" className="button" onClick={() => window.location.reload()}>
            Reload the page
          </button>
          <Link className="button button--ghost" to="/">
            Go to the expert groups
          </Link>
        </div>
      </section>
    </main>
  );
}
