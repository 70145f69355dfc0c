import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { isValidId } from '../../shared/domain/index.js';
import { CloseCode } from '../../shared/protocol/index.js';
import type { DocStore } from '../storage/DocStore.js';
import type { MetaStore } from '../storage/MetaStore.js';
import type { Logger } from '../logger.js';
import { Connection, type ConnectionLimits } from './Connection.js';
import { LogBudget, createConnectionStats, type ConnectionStats } from './connectionStats.js';
import { ConnectionLimiter } from './connectionLimiter.js';
import { parseCollabTarget } from './collabTarget.js';
import { Hub } from './Hub.js';
import { PendingWrites } from './pendingWrites.js';
import { TurnBudget } from './turnBudget.js';
import { refuseUpgrade } from './refuseUpgrade.js';
import { grantMatches, type AccessChangeFilter, type Grant, type UpgradeGate } from './UpgradeGate.js';

export interface CollabServerOptions {
  store: DocStore;
  meta: Pick<MetaStore, 'getDocument'>;
  logger: Logger;
  /** Authenticates and authorises every upgrade, and re-checks sockets when rights change. */
  gate: UpgradeGate;
  /** Where rights changes are announced (server/auth/accessEvents.ts). */
  accessEvents?: { on(listener: (change: AccessChangeFilter) => void): () => void };
  /** Per-user socket limits (new per minute, open at once); unlimited when absent. */
  connectionLimits?: { perMinute: number; concurrent: number };
  maxMessageBytes: number;
  maxDocumentBytes: number;
  /** Outgoing bytes a socket may leave unread; default max(4 × maxMessageBytes, 16 MiB). */
  maxBufferedBytes?: number;
  /** Per-socket limits (update size in operations, presence rate); see Connection. */
  socketLimits?: Partial<ConnectionLimits>;
  /** How often dead sockets are looked for; a socket that missed one pong is terminated. */
  heartbeatMs?: number;
  onChange?: (docId: string) => void;
}

/**
 * The sync server: WebSocket upgrades at `/collab/<documentId>`, one Connection per socket,
 * rooms managed by the Hub. `ws` runs with `noServer` so that every check (id, Origin,
 * credentials, right on the document, per-user limits) happens in the HTTP upgrade handler and a
 * refused client gets a plain HTTP status before any WebSocket exists.
 */
export class CollabServer {
  readonly hub: Hub;
  private readonly writes: PendingWrites;
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<Connection>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly limiter: ConnectionLimiter | null;
  private readonly unsubscribe: () => void;
  private closing = false;
  /** Bounds the time frames from all sockets may take in one event-loop turn. */
  private readonly budget = new TurnBudget();
  /** Totals since start, for `GET /api/admin/runtime`. */
  readonly stats: ConnectionStats = createConnectionStats();
  /** Lines about refused input, shared by all sockets (see LogBudget). */
  private readonly logBudget = new LogBudget();

  constructor(private readonly options: CollabServerOptions) {
    const limits = options.connectionLimits;
    this.limiter = limits ? new ConnectionLimiter(limits.perMinute, limits.concurrent) : null;
    this.unsubscribe = options.accessEvents?.on((change) => this.onAccessChange(change)) ?? (() => {});
    this.writes = new PendingWrites(options.store);
    this.hub = new Hub(this.writes, options.logger, options.onChange);
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxMessageBytes,
      // Compression costs CPU on every fan-out for little gain on small Yjs updates.
      perMessageDeflate: false,
    });
    this.heartbeat = setInterval(() => this.checkAlive(), options.heartbeatMs ?? 30_000);
    this.heartbeat.unref();
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Documents whose received updates are not durable yet (for a shutdown that timed out). */
  unflushedWrites(): Array<{ docId: string; pendingUpdates: number }> {
    return this.writes.unflushed();
  }

  /** The `upgrade` listener of the HTTP server. */
  readonly handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // Without a listener, a client resetting the TCP connection mid-upgrade would crash the process.
    socket.on('error', (error) => this.options.logger.debug({ err: error }, 'socket error during upgrade'));
    void this.upgrade(req, socket, head).catch((error: unknown) => {
      this.options.logger.error({ err: error }, 'upgrade failed');
      refuseUpgrade(socket, 500, 'INTERNAL_ERROR', 'The server could not open this document.');
    });
  };

  /** Stops accepting, closes every socket with 1001, and waits until all writes are durable. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.heartbeat);
    this.unsubscribe();
    for (const connection of this.connections) connection.close(CloseCode.GoingAway);
    await this.hub.flush();
    this.wss.close();
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    if (this.closing) {
      refuseUpgrade(socket, 503, 'SHUTTING_DOWN', 'The server is restarting; try again in a moment.');
      return;
    }
    const target = parseCollabTarget(req.url ?? '/');
    // Ids are checked before any lookup, so `..`, slashes or encoded bytes never reach storage.
    if (target === null || !isValidId(target.docId)) {
      refuseUpgrade(socket, 404, 'NOT_FOUND', 'No such document.');
      return;
    }
    // Origin, credentials, and the right on this document: all before a WebSocket exists.
    const { docId, wantsAck } = target;
    const admission = await this.options.gate.admit(req, docId);
    if (!admission.ok) {
      refuseUpgrade(socket, admission.status, admission.code, admission.message);
      return;
    }
    const release = this.limiter ? this.limiter.tryAcquire(admission.grant.userId) : () => {};
    if (!release) {
      this.options.logger.warn({ userId: admission.grant.userId, docId }, 'collaboration socket refused: per-user connection limit');
      refuseUpgrade(socket, 429, 'RATE_LIMITED', 'Too many connections for this account. Close some tabs or try again in a minute.');
      return;
    }
    if (socket.destroyed) {
      release();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.accept(ws, docId, wantsAck, admission.grant, release);
    });
  }

  private accept(ws: WebSocket, docId: string, wantsAck: boolean, grant: Grant, release: () => void): void {
    const { logger } = this.options;
    const connection = new Connection(ws, {
      docId,
      grant,
      wantsAck,
      logger,
      maxDocumentBytes: this.options.maxDocumentBytes,
      maxBufferedBytes: this.options.maxBufferedBytes ?? Math.max(4 * this.options.maxMessageBytes, 16 * 1024 * 1024),
      limits: this.options.socketLimits,
      stats: this.stats,
      logBudget: this.logBudget,
      budget: this.budget,
    });
    this.connections.add(connection);
    let room: Awaited<ReturnType<Hub['acquire']>> | null = null;
    ws.on('error', (error) => logger.debug({ err: error, docId }, 'socket error'));
    ws.on('close', () => {
      this.connections.delete(connection);
      release();
      connection.detach();
      if (room) this.hub.release(room);
    });
    this.hub.acquire(docId).then(
      (loaded) => {
        room = loaded;
        if (ws.readyState !== ws.OPEN) {
          this.hub.release(loaded);
          return;
        }
        connection.attach(loaded);
      },
      (error: unknown) => {
        logger.error({ err: error, docId }, 'document could not be loaded; refusing to serve it');
        connection.close(CloseCode.RoomLoadFailed);
      },
    );
  }

  /**
   * Rights changed somewhere (a member removed or demoted, a user deactivated, a session or token
   * revoked): every socket the change may affect is checked again against the stored state and
   * closed with the code that tells the client what happened (docs/PROTOCOL.md).
   */
  private onAccessChange(change: AccessChangeFilter): void {
    for (const connection of this.connections) {
      if (grantMatches(connection.grant, change)) void this.recheck(connection, change.reason);
    }
  }

  private async recheck(connection: Connection, reason: string): Promise<void> {
    let result;
    try {
      result = await this.options.gate.recheck(connection.grant);
    } catch (error) {
      // Fail closed: a socket whose rights cannot be confirmed reconnects and is checked afresh.
      this.options.logger.error({ err: error, docId: connection.grant.docId }, 're-checking a socket failed; closing it');
      connection.close(CloseCode.PermissionsChanged, reason);
      return;
    }
    switch (result.kind) {
      case 'same':
        connection.grant = result.grant;
        return;
      case 'changed':
        connection.close(CloseCode.PermissionsChanged, reason);
        return;
      case 'revoked':
        connection.close(CloseCode.AccessRevoked, reason);
        return;
      case 'ended':
        connection.close(CloseCode.SessionEnded, reason);
        return;
    }
  }

  private checkAlive(): void {
    const now = new Date().toISOString();
    for (const connection of this.connections) {
      // Sessions expire on schedule even for a socket that stays busy.
      const { expiresAt } = connection.grant;
      if (expiresAt !== null && expiresAt <= now) {
        connection.close(CloseCode.SessionEnded, 'session expired');
        continue;
      }
      if (!connection.alive) {
        connection.ws.terminate();
        continue;
      }
      connection.alive = false;
      connection.ws.ping();
    }
  }
}
