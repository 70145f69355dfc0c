import { createBrowserRouter, RouterProvider } from 'react-router';
import { AuthProvider } from './auth/AuthContext.js';
import { RequireAuth } from './auth/RequireAuth.js';
import { GroupPage } from './pages/GroupPage.js';
import { GroupsPage } from './pages/GroupsPage.js';
import { InvitePage } from './pages/InvitePage.js';
import { NotFoundPage } from './pages/NotFoundPage.js';
import { RouteError } from './pages/RouteError.js';
import { SignInPage } from './pages/SignInPage.js';

/** Every path here is also answered with index.html by the server (history fallback). */
const router = createBrowserRouter([
  {
    errorElement: <RouteError />,
    // Shown while the editor's code loads on a first visit straight to a document.
    hydrateFallbackElement: <div className="app-loading" aria-busy="true" />,
    children: [
      // Open to everyone: signing in, and the page an invitation link opens.
      { path: '/sign-in', element: <SignInPage /> },
      { path: '/invite/:secret', element: <InvitePage /> },
      {
        // Everything else needs an account; without one, to /sign-in and back here after.
        element: <RequireAuth />,
        children: [
          { path: '/', element: <GroupsPage /> },
          { path: '/groups/:groupId', element: <GroupPage /> },
          {
            path: '/documents/:documentId',
            // The editor (Tiptap, Yjs, providers) is most of the bundle; the other pages load
            // without it.
            lazy: async () => ({ Component: (await import('./pages/DocumentPage.js')).DocumentPage }),
          },
          { path: '/me', lazy: async () => ({ Component: (await import('./pages/ProfilePage.js')).ProfilePage }) },
          { path: '/admin', lazy: async () => ({ Component: (await import('./pages/AdminPage.js')).AdminPage }) },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);

export function App() {
  return (
    <AuthProvider>
      <RouterProvider router={router} />
    </AuthProvider>
  );
}
