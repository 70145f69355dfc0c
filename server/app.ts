import { mkdir } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { ensureFirstAdmin, type FirstAdmin } from './auth/bootstrapAdmin.js';
import { CollabGate } from './auth/collabGate.js';
import { applyDemoAccounts } from './auth/demoAccounts.js';
import { OriginPolicy } from './auth/originPolicy.js';
import { CollabServer } from './collab/index.js';
import { createApiRouter } from './http/apiApp.js';
import { healthRouter } from './http/healthRouter.js';
import { securityHeaders } from './http/securityHeaders.js';
import { staticClient } from './http/staticClient.js';
import { createAccessServices } from './services/accessServices.js';
import { EditTimestamps } from './services/editTimestamps.js';
import { seedWorkspace } from './services/seedWorkspace.js';
import { acquireDataDirLock } from './storage/dataDirLock.js';
import { FileDocStore } from './storage/file/fileDocStore.js';
import { LowdbMetaStore } from './storage/lowdbMetaStore.js';

export interface RunningServer {
  /** e.g. `http://localhost:3000` */
  url: string;
  port: number;
  /** The origins allowed to make changes and open sockets (for the start banner and logs). */
  allowedOrigins: string[];
  /** Set on the first start of an empty workspace: the admin account that was created. */
  firstAdmin: FirstAdmin | null;
  /** Stops accepting, closes sockets, flushes every pending write, closes the stores. */
  close(): Promise<void>;
}

/** Expired sessions are deleted this often (they are refused anyway; this keeps meta.json small). */
const SESSION_PRUNE_MS = 60 * 60_000;

/**
 * Composition root: config -> storage -> services -> http + ws -> listen. Everything is created
 * here and handed down, so each module can be tested with other parts (e.g. in-memory stores).
 */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  await mkdir(config.dataDir, { recursive: true });
  // lowdb has a single writer: a second server (or the admin CLI) on the same data is refused.
  const releaseLock = await acquireDataDirLock(config.dataDir, 'server');
  try {
    return await startLocked(config, logger, releaseLock);
  } catch (error) {
    await releaseLock();
    throw error;
  }
}

async function startLocked(config: Config, logger: Logger, releaseLock: () => Promise<void>): Promise<RunningServer> {
  const now = () => new Date();
  // A corrupt metadata file throws here and the server does not start (never replaced silently).
  const meta = await LowdbMetaStore.open({ file: path.join(config.dataDir, 'meta.json'), logger });
  const docs = new FileDocStore({ dir: path.join(config.dataDir, 'docs'), logger });
  const { seeded } = await seedWorkspace({ meta, docs, logger });
  if (seeded) logger.info({ dataDir: config.dataDir }, 'created the expert groups and their documents');

  const access = createAccessServices({ meta, logger, sessionTtlHours: config.sessionTtlHours, now });
  const firstAdmin = await ensureFirstAdmin({ users: meta, activity: access.activity, admin: config.admin, now });
  if (firstAdmin) logger.info({ email: firstAdmin.email, passwordGenerated: firstAdmin.generatedPassword !== null }, 'created the first admin account');
  await applyDemoAccounts({ store: meta, activity: access.activity, enabled: config.demo, logger, now });
  await access.sessions.pruneExpired();
  const pruning = setInterval(() => void access.sessions.pruneExpired().catch((error: unknown) => logger.warn({ err: error }, 'pruning sessions failed')), SESSION_PRUNE_MS);
  pruning.unref();

  // Listen first: the default Origin allow-list needs the real port (PORT=0 picks one).
  const server = http.createServer();
  // Bounded header time keeps slow-loris clients from holding sockets open forever.
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  const origins = new OriginPolicy(config.allowedOrigins ?? OriginPolicy.defaults({ publicUrl: config.publicUrl, host: config.host, port }));
  logger.info({ allowedOrigins: origins.origins }, 'origins allowed to make changes and open documents');

  const edits = new EditTimestamps(meta, logger);
  const collab = new CollabServer({
    store: docs,
    meta,
    logger,
    gate: new CollabGate({ authenticator: access.authenticator, meta, origins }),
    accessEvents: access.events,
    connectionLimits: { perMinute: config.rateLimits.wsPerMinute, concurrent: config.rateLimits.wsConcurrent },
    maxMessageBytes: config.maxMessageBytes,
    maxDocumentBytes: config.maxDocumentBytes,
    onChange: edits.touch,
  });

  const https = config.cookieSecure || config.publicUrl?.startsWith('https:') === true;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(securityHeaders({ origins: origins.origins, https }));
  app.use(healthRouter({ checks: () => docs.health() }));
  app.use(
    createApiRouter({
      meta,
      docs,
      logger,
      access,
      origins,
      publicUrl: config.publicUrl,
      cookie: { secure: config.cookieSecure, maxAgeSeconds: access.sessions.ttlSeconds },
      rateLimits: config.rateLimits,
      now,
    }),
  );
  app.use(staticClient(config.clientDir));
  // Attached in the same tick as the listen callback's continuation: no request can arrive first.
  server.on('request', app);
  server.on('upgrade', collab.handleUpgrade);

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      clearInterval(pruning);
      server.close();
      await collab.close();
      server.closeAllConnections();
      await edits.close();
      await docs.close();
      await meta.close();
      await releaseLock();
    })();
    return closing;
  };
  return { url, port, allowedOrigins: origins.origins, firstAdmin, close };
}
