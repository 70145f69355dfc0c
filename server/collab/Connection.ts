import * as decoding from 'lib0/decoding';
import type { WebSocket, RawData } from 'ws';
import {
  CloseCode,
  CloseReason,
  MessageType,
  SyncMessageType,
  carriesUpdate,
  classifyFrame,
  encodeSaved,
} from '../../shared/protocol/index.js';
import type { Logger } from '../logger.js';
import type { Room, RoomPeer } from './Room.js';
import { LogBudget, createConnectionStats, type ConnectionStats } from './connectionStats.js';
import { FloodError, ThrottledInput } from './throttledInput.js';
import type { FrameQueue, TurnBudget } from './turnBudget.js';
import type { Grant } from './UpgradeGate.js';
import { UpdateTooLargeError, validateUpdate } from './validateUpdate.js';
import { SavedAcks } from './savedAcks.js';
import { sendBinary } from './wireFrame.js';

/** Presence is a cursor and a name: far below this. A larger awareness frame is not a client's. */
export const MAX_AWARENESS_BYTES = 64 * 1024;

/** Per-socket limits: the work one update may cause, the rate of presence (docs/SECURITY.md, "Limits"). */
export interface ConnectionLimits {
  /** Structs, deletions and values one update may hold (validateUpdate.ts). */
  maxUpdateOperations: number;
  awarenessPerSecond: number;
  awarenessBurst: number;
}

export type { ConnectionStats } from './connectionStats.js';

export interface ConnectionOptions {
  docId: string;
  /**
   * What this socket may do; `grant.access === 'read'` makes it read-only. CollabServer always
   * passes one (from the upgrade check). Absent only in in-process harnesses that drive a
   * Connection directly (tests/reliability): they get an edit socket without identity stamping.
   */
  grant?: Grant;
  /** The client asked for Saved acknowledgements (`?ack=1`). */
  wantsAck: boolean;
  logger: Logger;
  maxDocumentBytes: number;
  /** Outgoing bytes a slow reader may leave unread before it is disconnected. */
  maxBufferedBytes: number;
  /** Defaults: no operation limit, 10 presence messages per second with bursts of 30. */
  limits?: Partial<ConnectionLimits>;
  stats?: ConnectionStats;
  /** Shared by the server's connections: lines about refused input are rate-limited. */
  logBudget?: LogBudget;
  /**
   * Shared by the server's connections so that costly frames from many sockets cannot add up
   * to a long event-loop stall (turnBudget.ts). Without it (in-process harnesses) every frame
   * is handled as it arrives.
   */
  budget?: TurnBudget;
}

/** A protocol violation by the peer: closes this connection only, with a documented code. */
class PeerError extends Error {
  constructor(
    readonly closeCode: CloseCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * One client socket on one document. Messages are accepted from the moment the socket exists
 * and buffered until the room has loaded (house rule: listener before any async load, replay
 * after), so nothing the client sends early is lost and nothing is sent to it before the stored
 * state is in memory.
 */
export class Connection implements RoomPeer, FrameQueue {
  /** Set by the heartbeat: false after a ping, true again when the pong arrives. */
  alive = true;
  private room: Room | null = null;
  private pending: Uint8Array[] | null = [];
  /** Saved acknowledgements, for a client that asked for them (`?ack=1`). */
  private readonly acks: SavedAcks | null;
  private closed = false;
  /** Update-carrying frames of a read-only socket that were dropped, and when that was last logged. */
  private dropped = 0;
  private lastDropLog = 0;
  /** What this socket may do; replaced (same access, new name or colour) after a re-check. */
  grant: Grant;
  /** False for harness connections without a grant: their awareness is not stamped. */
  private readonly stamps: boolean;
  /** Rate limits on presence and sync requests (throttledInput.ts). */
  private readonly throttled: ThrottledInput;
  private lastThrottleLog = 0;
  private readonly logBudget: LogBudget;
  /** Bytes buffered before the room loaded, bounded like the outgoing buffer. */
  private pendingBytes = 0;
  /** Frames waiting for the turn budget, in arrival order, and their bytes. */
  private inbox: Uint8Array[] = [];
  private inboxBytes = 0;
  private readonly maxUpdateOperations: number;
  private readonly stats: ConnectionStats;

  constructor(
    readonly ws: WebSocket,
    private readonly options: ConnectionOptions,
  ) {
    this.grant = options.grant ?? harnessGrant(options.docId);
    this.acks = options.wantsAck ? new SavedAcks((seq) => this.send(encodeSaved(seq))) : null;
    this.stamps = options.grant !== undefined;
    const limits = options.limits ?? {};
    this.maxUpdateOperations = limits.maxUpdateOperations ?? Number.POSITIVE_INFINITY;
    this.stats = options.stats ?? createConnectionStats();
    this.logBudget = options.logBudget ?? new LogBudget();
    this.throttled = new ThrottledInput({ perSecond: limits.awarenessPerSecond ?? 10, burst: limits.awarenessBurst ?? 30 }, this.stats, {
      awareness: (frame) => this.applyAwareness(frame),
      query: () => this.answerQuery(),
      step1: (frame) => this.answerStep1(frame),
      fail: (error) => this.reject(error),
      dropped: (what) => this.logDropped(what),
    });
    ws.on('message', (data, isBinary) => this.onFrame(data, isBinary));
    ws.on('pong', () => {
      this.alive = true;
    });
  }

  /**
   * Joins the loaded room: sends its state vector (now, or once a large document's is decoded:
   * Room.sendSyncStep1) and who is present, then replays buffered input.
   */
  attach(room: Room): void {
    if (this.closed) return;
    this.room = room;
    room.addPeer(this);
    if (this.closed) return; // refused by a room whose document failed to load
    room.sendSyncStep1(this);
    const awareness = room.encodeAwarenessStates();
    if (awareness) this.send(awareness);
    const buffered = this.pending ?? [];
    this.pending = null;
    this.pendingBytes = 0;
    for (const frame of buffered) {
      if (this.closed) break;
      this.receive(frame);
    }
  }

  /** FrameQueue: the turn budget hands back one queued frame at a time. */
  handleNext(): boolean {
    const frame = this.inbox.shift();
    if (frame === undefined || this.closed) {
      this.inbox = [];
      return false;
    }
    this.inboxBytes -= frame.byteLength;
    this.handle(frame);
    return !this.closed && this.inbox.length > 0;
  }

  send(message: Uint8Array): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    // A client that never reads would otherwise make the server buffer without bound.
    if (this.ws.bufferedAmount > this.options.maxBufferedBytes) {
      this.options.logger.warn({ docId: this.options.docId, buffered: this.ws.bufferedAmount, limit: this.options.maxBufferedBytes }, 'slow reader disconnected');
      this.stats.slowReadersClosed++;
      this.closed = true;
      this.throttled.clear();
      this.ws.terminate();
      return;
    }
    sendBinary(this.ws, message);
  }

  close(code: CloseCode, detail?: string): void {
    if (this.closed) return;
    this.closed = true;
    this.throttled.clear();
    this.ws.close(code, CloseReason[code]);
    if (detail) this.options.logger.info({ docId: this.options.docId, code, detail }, 'connection closed by server');
  }

  /** Called once when the socket has closed, for whatever reason. */
  detach(): void {
    this.closed = true;
    this.pending = null;
    this.inbox = [];
    this.throttled.clear();
    if (this.room) this.room.removePeer(this);
  }

  private onFrame(data: RawData, isBinary: boolean): void {
    if (this.closed) return;
    if (!isBinary) {
      this.reject(new PeerError(CloseCode.MalformedMessage, 'text frame on a binary protocol'));
      return;
    }
    const frame = toBytes(data);
    // A read-only socket's Step2/Update is dropped on arrival, before buffering or decoding.
    if (this.grant.access === 'read' && this.isUpdate(frame)) return;
    if (this.pending) {
      // A client cannot make the server hold unbounded input while the document loads.
      this.pendingBytes += frame.byteLength;
      if (this.pendingBytes > this.options.maxBufferedBytes) {
        this.reject(new PeerError(CloseCode.RateLimited, 'too much input before the document was loaded'));
        return;
      }
      this.pending.push(frame);
    } else {
      this.receive(frame);
    }
  }

  /** Handles a frame now, or queues it behind earlier ones when the turn's budget is spent. */
  private receive(frame: Uint8Array): void {
    const budget = this.options.budget;
    if (!budget || (this.inbox.length === 0 && budget.tryEnter())) {
      this.handle(frame);
      return;
    }
    this.inboxBytes += frame.byteLength;
    if (this.inboxBytes > this.options.maxBufferedBytes) {
      this.reject(new PeerError(CloseCode.RateLimited, 'sending faster than the server can handle'));
      return;
    }
    this.inbox.push(frame);
    if (this.inbox.length === 1) budget.schedule(this);
  }

  /**
   * True for Step2/Update frames, which are then dropped: classified from the leading varints
   * only, so the payload of a read-only socket's update is never decoded. The socket stays open
   * (a reader's stock provider answers the server's Step1 with a Step2 of its own, which is not
   * an attack), and nothing is acknowledged for it. A head too short to classify is left to the
   * normal path, which closes with 4400.
   */
  private isUpdate(frame: Uint8Array): boolean {
    let update: boolean;
    try {
      update = carriesUpdate(classifyFrame(frame));
    } catch {
      return false;
    }
    if (!update) return false;
    this.dropped++;
    const now = Date.now();
    if (now - this.lastDropLog > 10_000) {
      this.lastDropLog = now;
      this.options.logger.warn(
        { docId: this.options.docId, userId: this.grant.userId, dropped: this.dropped },
        'dropped an update from a read-only connection (not decoded, not applied)',
      );
    }
    return true;
  }

  private handle(frame: Uint8Array): void {
    try {
      this.dispatch(frame);
    } catch (error) {
      this.reject(error);
    }
  }

  private reject(error: unknown): void {
    const code = error instanceof PeerError ? error.closeCode : error instanceof FloodError ? CloseCode.RateLimited : CloseCode.MalformedMessage;
    const message = error instanceof Error ? error.message : String(error);
    this.stats.rejectedClosed++;
    // Rate-limited: a client sending garbage on socket after socket must not buy a log line each.
    const allowed = this.logBudget.take();
    if (allowed) {
      this.options.logger.warn(
        { docId: this.options.docId, userId: this.grant.userId, code, err: message, ...(allowed.suppressedBefore > 0 ? { similarNotLogged: allowed.suppressedBefore } : {}) },
        'closing connection after bad input',
      );
    }
    this.close(code);
  }

  private dispatch(frame: Uint8Array): void {
    const room = this.room!;
    const kind = classifyFrame(frame);
    const decoder = decoding.createDecoder(frame);
    decoding.readVarUint(decoder); // message type, already classified
    switch (kind.type) {
      case MessageType.Sync: {
        decoding.readVarUint(decoder); // sync sub-type
        const payload = decoding.readVarUint8Array(decoder);
        if (kind.syncType === SyncMessageType.Step1) {
          this.throttled.step1(frame);
        } else if (carriesUpdate(kind)) {
          // Never reached for a read-only socket (dropped in onFrame); kept as a second lock.
          if (this.grant.access !== 'edit') return;
          this.applyUpdate(room, payload);
        } else {
          throw new PeerError(CloseCode.MalformedMessage, `unknown sync message type ${kind.syncType}`);
        }
        return;
      }
      case MessageType.Awareness: {
        const update = decoding.readVarUint8Array(decoder);
        if (update.byteLength > MAX_AWARENESS_BYTES) {
          throw new PeerError(CloseCode.MalformedMessage, `awareness update of ${update.byteLength} bytes (at most ${MAX_AWARENESS_BYTES})`);
        }
        this.throttled.awareness(frame);
        return;
      }
      case MessageType.QueryAwareness:
        this.throttled.query();
        return;
      case MessageType.Auth:
        return; // the server authenticates at upgrade; a client's auth message carries nothing for us
      default:
        throw new PeerError(CloseCode.MalformedMessage, `unknown message type ${kind.type}`);
    }
  }

  /** The payload of a `[type][varUint8Array]` or `[Sync][syncType][varUint8Array]` frame. */
  private static payload(frame: Uint8Array, heads: number): Uint8Array {
    const decoder = decoding.createDecoder(frame);
    for (let i = 0; i < heads; i++) decoding.readVarUint(decoder);
    return decoding.readVarUint8Array(decoder);
  }

  private applyAwareness(frame: Uint8Array): void {
    if (this.closed || !this.room) return;
    this.room.applyAwareness(Connection.payload(frame, 1), this, frame, this.stamps ? this.grant.identity : null);
  }

  private answerQuery(): void {
    if (this.closed || !this.room) return;
    const states = this.room.encodeAwarenessStates();
    if (states) this.send(states);
  }

  private answerStep1(frame: Uint8Array): void {
    if (this.closed || !this.room) return;
    // Answered now, or once a large document being built can answer this state vector.
    this.room.answerSyncStep1(this, Connection.payload(frame, 2));
  }

  private logDropped(what: string): void {
    const now = Date.now();
    if (now - this.lastThrottleLog < 10_000) return;
    this.lastThrottleLog = now;
    this.options.logger.info(
      { docId: this.options.docId, userId: this.grant.userId, what },
      'messages over the per-socket rate dropped (the latest is delivered when the rate allows)',
    );
  }

  private applyUpdate(room: Room, update: Uint8Array): void {
    if (room.approxBytes + update.byteLength > this.options.maxDocumentBytes) {
      throw new PeerError(CloseCode.DocumentTooLarge, `document would exceed ${this.options.maxDocumentBytes} bytes`);
    }
    // Checked and decoded in full before anything is applied: Yjs integrates structs before it
    // reads the delete set, so a bad tail could otherwise leave half an update in the document;
    // and its cost is bounded by counting operations first (validateUpdate.ts).
    try {
      validateUpdate(update, this.maxUpdateOperations);
    } catch (error) {
      if (error instanceof UpdateTooLargeError) throw new PeerError(CloseCode.DocumentTooLarge, error.message);
      throw error;
    }
    // Saved(n) covers messages 1..n; one still parked for missing dependencies holds back the
    // acknowledgement of every later one (SavedAcks). A failed write is never acknowledged (the
    // Room logs it).
    const durable = room.applyUpdate(update, this);
    // Without acknowledgements nobody waits for it; a failed write must still not surface as an
    // unhandled rejection (it would end the process).
    if (this.acks) this.acks.track(durable);
    else durable.catch(() => undefined);
  }
}

function harnessGrant(docId: string): Grant {
  return {
    docId,
    groupId: '',
    userId: '',
    identity: { id: '', name: '', color: '' },
    access: 'edit',
    credential: { via: 'token', id: '' },
    expiresAt: null,
  };
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}
