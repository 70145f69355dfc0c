import { createBrowserRouter, RouterProvider } from 'react-router';
import { IdentityProvider } from './identity/IdentityContext.js';
import { GroupPage } from './pages/GroupPage.js';
import { GroupsPage } from './pages/GroupsPage.js';
import { NotFoundPage } from './pages/NotFoundPage.js';
import { RouteError } from './pages/RouteError.js';

/** Every path here is also answered with index.html by the server (history fallback). */
const router = createBrowserRouter([
  {
    errorElement: <RouteError />,
    // Shown while the editor's code loads on a first visit straight to a document.
    hydrateFallbackElement: <div className="app-loading" aria-busy="true" />,
    children: [
      { path: '/', element: <GroupsPage /> },
      { path: '/groups/:groupId', element: <GroupPage /> },
      {
        path: '/documents/:documentId',
        // The editor (Tiptap, Yjs, providers) is most of the bundle; the group pages load
        // without it.
        lazy: async () => ({ Component: (await import('./pages/DocumentPage.js')).DocumentPage }),
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

export function App() {
  return (
    <IdentityProvider>
      <RouterProvider router={router} />
    </IdentityProvider>
  );
}
