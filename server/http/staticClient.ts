import { existsSync } from 'node:fs';
import path from 'node:path';
import express from 'express';

/**
 * Serves the built client and answers every other non-API GET with index.html, so that deep
 * links (`/documents/<id>`) work on reload. Hashed assets are cached for a year; index.html is
 * never cached, so a new deploy is picked up on the next load.
 */
export function staticClient(clientDir: string): express.Router {
  const router = express.Router();
  const indexFile = path.join(clientDir, 'index.html');
  router.use(
    '/assets',
    express.static(path.join(clientDir, 'assets'), { immutable: true, maxAge: '365d', fallthrough: true }),
  );
  router.use(express.static(clientDir, { index: false, maxAge: 0 }));
  router.get(/^\/(?!api\/|api$|collab\/|healthz$).*/, (_req, res) => {
    if (!existsSync(indexFile)) {
      res
        .status(503)
        .type('text/plain')
        .send('The Roundtable client has not been built. Run `npm run build` (npm start does it for you).');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(indexFile);
  });
  return router;
}
