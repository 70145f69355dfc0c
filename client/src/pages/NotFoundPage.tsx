import { Link } from 'react-router';
import { AppHeader } from '../components/AppHeader.js';
import { ErrorState } from '../components/ErrorState.js';
import { usePageTitle } from '../lib/usePageTitle.js';

export function NotFoundPage() {
  usePageTitle('Page not found');
  return (
    <>
      <AppHeader />
      <main className="page">
        <ErrorState
          title="Page not found"
          testId="not-found"
          actions={
            <Link className="button button--primary" to="/">
              Go to the expert groups
            </Link>
          }
        >
          <p>There is nothing at this address. It may have been mistyped, or the page was moved.</p>
        </ErrorState>
      </main>
    </>
  );
}
