import { mkdir } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { CollabServer } from './collab/index.js';
import { createApiRouter } from './http/apiApp.js';
import { healthRouter } from './http/healthRouter.js';
import { staticClient } from './http/staticClient.js';
import { EditTimestamps } from './services/editTimestamps.js';
import { seedWorkspace } from './services/seedWorkspace.js';
import { FileDocStore } from './storage/file/fileDocStore.js';
import { LowdbMetaStore } from './storage/lowdbMetaStore.js';

export interface RunningServer {
  /** e.g. `http://localhost:3000` */
  url: string;
  port: number;
  /** Stops accepting, closes sockets, flushes every pending write, closes the stores. */
  close(): Promise<void>;
}

/**
 * Composition root: config -> storage -> services -> http + ws -> listen. Everything is created
 * here and handed down, so each module can be tested with other parts (e.g. in-memory stores).
 */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  await mkdir(config.dataDir, { recursive: true });
  // A corrupt metadata file throws here and the server does not start (never replaced silently).
  const meta = await LowdbMetaStore.open({ file: path.join(config.dataDir, 'meta.json'), logger });
  const docs = new FileDocStore({ dir: path.join(config.dataDir, 'docs'), logger });
  const { seeded } = await seedWorkspace({ meta, docs, logger });
  if (seeded) logger.info({ dataDir: config.dataDir }, 'created the expert groups and their documents');

  const edits = new EditTimestamps(meta, logger);
  const collab = new CollabServer({
    store: docs,
    meta,
    logger,
    maxMessageBytes: config.maxMessageBytes,
    maxDocumentBytes: config.maxDocumentBytes,
    onChange: edits.touch,
  });

  const app = express();
  app.disable('x-powered-by');
  app.use(healthRouter({ checks: () => docs.health() }));
  app.use(createApiRouter({ meta, docs, logger }));
  app.use(staticClient(config.clientDir));

  const server = http.createServer(app);
  // Bounded header time keeps slow-loris clients from holding sockets open forever.
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  server.on('upgrade', collab.handleUpgrade);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      server.close();
      await collab.close();
      server.closeAllConnections();
      await edits.close();
      await docs.close();
      await meta.close();
    })();
    return closing;
  };
  return { url, port, close };
}
