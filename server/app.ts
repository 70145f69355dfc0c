import { mkdir } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { ensureFirstAdmin, type FirstAdmin } from './auth/bootstrapAdmin.js';
import { AdmissionCache } from './auth/admissionCache.js';
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
import { RuntimeMonitor } from './runtimeMonitor.js';
import { acquireDataDirLock } from './storage/dataDirLock.js';
import { createDocStore, type EmbeddedDocStore } from './storage/createDocStore.js';
import type { FileIo } from './storage/file/fileIo.js';
import { LowdbMetaStore } from './storage/lowdbMetaStore.js';

export interface RunningServer {
  /** e.g. `http://localhost:3000` */
  url: string;
  port: number;
  /** The origins allowed to make changes and open sockets (for the start banner and logs). */
  allowedOrigins: string[];
  /** Set on the first start of an empty workspace: the admin account that was created. */
  firstAdmin: FirstAdmin | null;
  /**
   * Stops accepting, closes sockets, flushes every pending write, closes the stores. Rejects with
   * a ShutdownTimeoutError (after logging what is not on disk) when that takes longer than
   * SHUTDOWN_TIMEOUT_MS, e.g. because the disk keeps failing.
   */
  close(): Promise<void>;
}

/** Test seams of the composition root; the process entry (main.ts) passes none. */
export interface StartOptions {
  /** The document store's write/fsync calls, e.g. a disk that fails with ENOSPC on demand. */
  fileIo?: FileIo;
  /**
   * A document store instead of the configured one. Only the benchmark uses it, to measure the
   * CPU of persistence by running the same build with the in-memory store
   * (bench/servers/roundtableWithoutPersistence.ts). There is deliberately no setting for it: a
   * server that shows edits as saved must keep them.
   */
  docStore?: EmbeddedDocStore;
}

/** Shutdown could not make every received update durable in time. */
export class ShutdownTimeoutError extends Error {
  readonly code = 'SHUTDOWN_TIMEOUT';
  constructor(
    readonly timeoutMs: number,
    readonly unflushed: Array<{ docId: string; pendingUpdates: number }>,
  ) {
    super(`shutdown did not finish within ${timeoutMs} ms: ${unflushed.length} document(s) with updates not on disk`);
    this.name = 'ShutdownTimeoutError';
  }
}

/** Expired sessions are deleted this often (they are refused anyway; this keeps meta.json small). */
const SESSION_PRUNE_MS = 60 * 60_000;

/**
 * Composition root: config -> storage -> services -> http + ws -> listen. Everything is created
 * here and handed down, so each module can be tested with other parts (e.g. in-memory stores).
 */
export async function startServer(config: Config, logger: Logger, options: StartOptions = {}): Promise<RunningServer> {
  await mkdir(config.dataDir, { recursive: true });
  // lowdb has a single writer: a second server (or the admin CLI) on the same data is refused.
  const releaseLock = await acquireDataDirLock(config.dataDir, 'server');
  try {
    return await startLocked(config, logger, releaseLock, options);
  } catch (error) {
    await releaseLock();
    throw error;
  }
}

async function startLocked(config: Config, logger: Logger, releaseLock: () => Promise<void>, options: StartOptions): Promise<RunningServer> {
  const now = () => new Date();
  // A corrupt metadata file throws here and the server does not start (never replaced silently).
  const meta = await LowdbMetaStore.open({ file: path.join(config.dataDir, 'meta.json'), logger });
  const docs = options.docStore ?? createDocStore(config, logger, options.fileIo);
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
  // Bounded header and request time keeps slow-loris clients from holding sockets open forever.
  // Node enforces both only when it sweeps its connections, every 30 s by default: sweep often
  // enough that the timeout means what it says.
  const { headersTimeoutMs, requestTimeoutMs } = config.http;
  const server = http.createServer({
    headersTimeout: headersTimeoutMs,
    requestTimeout: requestTimeoutMs,
    connectionsCheckingInterval: Math.min(1000, headersTimeoutMs),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // After a restart every open tab reconnects within seconds; Node's default accept queue
    // (511) overflowed in the bench's 1,000-client connect storm and dropped connections, which
    // then waited for their retry. The kernel caps this at net.core.somaxconn (4096 by default).
    server.listen({ port: config.port, host: config.host, backlog: 2048 }, () => {
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
    gate: new CollabGate({
      authenticator: access.authenticator,
      meta,
      origins,
      cache: new AdmissionCache({ version: () => meta.version, events: access.events }),
    }),
    accessEvents: access.events,
    connectionLimits: { perMinute: config.rateLimits.wsPerMinute, concurrent: config.rateLimits.wsConcurrent },
    maxMessageBytes: config.maxMessageBytes,
    maxDocumentBytes: config.maxDocumentBytes,
    maxBufferedBytes: config.collab.maxBufferedBytes,
    socketLimits: {
      maxUpdateOperations: config.collab.maxUpdateOperations,
      awarenessPerSecond: config.collab.awarenessPerSecond,
      awarenessBurst: config.collab.awarenessBurst,
    },
    onChange: edits.touch,
  });
  const runtime = new RuntimeMonitor({
    connections: () => collab.connectionCount,
    rooms: () => collab.hub.loadedCount,
    stats: () => collab.stats,
  });
  let shuttingDown = false;

  const https = config.cookieSecure || config.publicUrl?.startsWith('https:') === true;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(securityHeaders({ origins: origins.origins, https }));
  app.use(healthRouter({ checks: () => docs.health(), shuttingDown: () => shuttingDown, logger }));
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
      runtime: () => runtime.report(),
    }),
  );
  app.use(staticClient(config.clientDir));
  // Attached in the same tick as the listen callback's continuation: no request can arrive first.
  server.on('request', app);
  server.on('upgrade', collab.handleUpgrade);

  let closing: Promise<void> | null = null;
  const shutdown = async (): Promise<void> => {
    clearInterval(pruning);
    server.close();
    await collab.close();
    server.closeAllConnections();
    await edits.close();
    await docs.close();
    await meta.close();
    runtime.stop();
    await releaseLock();
  };
  const close = (): Promise<void> => {
    closing ??= (async () => {
      shuttingDown = true;
      // A disk that keeps failing would make the flush wait forever: bound it, and say what is
      // not on disk (those edits are unacknowledged, so their browsers still hold them).
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), config.shutdownTimeoutMs);
      });
      const outcome = await Promise.race([shutdown().then(() => 'done' as const), timedOut]);
      clearTimeout(timer);
      if (outcome === 'done') return;
      server.closeAllConnections();
      runtime.stop();
      const unflushed = collab.unflushedWrites();
      logger.error(
        {
          timeoutMs: config.shutdownTimeoutMs,
          unflushed,
          pendingUpdates: unflushed.reduce((sum, entry) => sum + entry.pendingUpdates, 0),
          storage: docs.health(),
        },
        'shutdown timed out: these documents have received updates that are not on disk',
      );
      throw new ShutdownTimeoutError(config.shutdownTimeoutMs, unflushed);
    })();
    return closing;
  };
  return { url, port, allowedOrigins: origins.origins, firstAdmin, close };
}
