import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { OPEN, CLOSED, CONNECTING, RawWebSocket, type ClientSocket } from './rawWebSocket.js';
import * as Y from 'yjs';
import { Histogram } from '../metrics/percentiles.js';
import type { DocTarget } from '../types.js';
import { scanMarkers } from './content.js';
import {
  AuthType,
  Msg,
  SyncType,
  createFraming,
  decodeIncoming,
  encodeAwareness,
  encodeHocuspocusAuth,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  type Framing,
} from './framing.js';

/**
 * The client socket: the lean RawWebSocket by default, the `ws` library with BENCH_CLIENT=ws
 * (same events and methods; readyState constants are the standard 0-3 in both).
 */
function openSocket(target: DocTarget, timeoutMs: number): ClientSocket {
  const headers = target.headers ?? {};
  if (process.env['BENCH_CLIENT'] === 'ws') {
    return new WebSocket(target.url, { perMessageDeflate: false, maxPayload: 512 * 1024 * 1024, handshakeTimeout: timeoutMs, headers });
  }
  return new RawWebSocket(target.url, { handshakeTimeout: timeoutMs, maxPayload: 512 * 1024 * 1024, headers });
}

/** Microseconds on the load generator's monotonic clock (the only clock markers use). */
export function nowUs(): number {
  return performance.now() * 1000;
}

/** Errors seen by the load generator: counted, and the first few kept for the report. */
export class ErrorLog {
  count = 0;
  readonly samples: string[] = [];
  add(message: string): void {
    this.count++;
    if (this.samples.length < 20) this.samples.push(message);
  }
}

/**
 * What the sessions of one workload observe. Deliveries are counted (and their latency
 * recorded) only while `recording` is on, i.e. inside the measured window.
 */
export class Recorder {
  recording = false;
  readonly latency = new Histogram();
  /** Markers received from *other* clients (each is one delivered edit or awareness change). */
  deliveries = 0;
  /** Markers a client received back from the server for its own edits (the baselines echo). */
  echoes = 0;
  messagesIn = 0;
  bytesIn = 0;
  /** Markers from other clients since the workload started, recording or not (loss check). */
  totalDeliveries = 0;

  reset(): void {
    this.latency.reset();
    this.deliveries = 0;
    this.echoes = 0;
    this.messagesIn = 0;
    this.bytesIn = 0;
  }
}

const LOCAL = Symbol('local edit');
const REMOTE = Symbol('remote');

/** How received document updates are handled. */
export type UpdateMode =
  /** Applied to this client's Y.Doc at once (setup, cold-load, probes). */
  | 'eager'
  /**
   * Kept and applied after the measured window (`flushDeferred`). During steady load 100
   * clients applying every update would make the load generator, not the server, the
   * bottleneck; the clients' own edits stay valid CRDT operations on their (older) view.
   */
  | 'deferred';

export interface SessionOptions {
  target: DocTarget;
  /** Number written into this client's markers (unique within the workload). */
  tag: number;
  recorder: Recorder;
  errors: ErrorLog;
  /** Applied before connecting: the client's local state (e.g. the content it seeds). */
  initialUpdate?: Uint8Array;
}

/**
 * One simulated editor on one document: a raw WebSocket speaking the y-websocket or Hocuspocus
 * framing, a Y.Doc, and the sync handshake (Step1 both ways, Step2 both ways). No provider, no
 * awareness instance, no reconnection: a socket that drops is an error of the run.
 */
export class Session {
  readonly doc = new Y.Doc();
  readonly framing: Framing;
  mode: UpdateMode = 'eager';
  /** When false, the server's Step2 is received but not applied (cold-load probes). */
  applyStep2 = true;
  /** Called when a Step2 arrives, with its payload (a view: valid during the call; the
   *  frame buffer is not reused, so keeping the reference is safe) and arrival time (ms). */
  onStep2: ((payload: Uint8Array, atMs: number) => void) | null = null;

  /** Update-carrying messages sent (Step2 + Update), numbered as Roundtable's acks count them. */
  sentUpdates = 0;
  /** Bytes of Yjs update payload sent by `edit`/`sendUpdate`. */
  updateBytesSent = 0;
  savedSeq = 0;
  synced = false;
  closed = false;

  private ws: ClientSocket | null = null;
  private deferred: Uint8Array[] = [];
  private step2Waiters: Array<() => void> = [];
  private savedWaiters: Array<() => void> = [];
  private closing = false;

  constructor(private readonly options: SessionOptions) {
    this.framing = createFraming(options.target.flavour, options.target.docName);
    if (options.initialUpdate) Y.applyUpdate(this.doc, options.initialUpdate, REMOTE);
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === LOCAL) this.sendUpdate(update);
    });
  }

  get tag(): number {
    return this.options.tag;
  }

  /** Opens the socket and resolves once the server's Step2 has arrived (and been applied). */
  connect(timeoutMs = 20_000): Promise<void> {
    const { target, errors } = this.options;
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => finish(new Error(`sync timeout after ${timeoutMs} ms (${target.docName})`)), timeoutMs);
      const finish = (error?: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      this.step2Waiters.push(() => finish());
      const ws = openSocket(target, timeoutMs);
      this.ws = ws;
      ws.on('open', () => {
        if (target.flavour === 'hocuspocus') ws.send(encodeHocuspocusAuth(this.framing, 'bench'));
        ws.send(encodeSyncStep1(this.framing, Y.encodeStateVector(this.doc)));
      });
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        if (!isBinary) return;
        try {
          this.onFrame(data);
        } catch (error) {
          errors.add(`decode error: ${String(error)}`);
        }
      });
      ws.on('error', (error) => {
        errors.add(`socket error: ${error.message}`);
        finish(error);
      });
      ws.on('close', (code, reason) => {
        this.closed = true;
        if (!this.closing) errors.add(`unexpected close ${code} ${reason.toString()}`);
        finish(new Error(`closed before sync: ${code}`));
        for (const wake of this.savedWaiters.splice(0)) wake();
      });
    });
  }

  /** Types `text` at the end of `into` (this client's view of it) and sends the update. */
  edit(into: Y.XmlText, text: string): void {
    this.doc.transact(() => into.insert(into.length, text), LOCAL);
  }

  /** Applies a local change made by `fn` and sends it. */
  change(fn: () => void): void {
    this.doc.transact(fn, LOCAL);
  }

  sendUpdate(update: Uint8Array): void {
    this.sentUpdates++;
    this.updateBytesSent += update.byteLength;
    this.send(encodeUpdate(this.framing, update));
  }

  sendAwareness(awarenessUpdate: Uint8Array): void {
    this.send(encodeAwareness(this.framing, awarenessUpdate));
  }

  /** Sends a Step1 and waits for the Step2 answer: everything sent before has been handled. */
  roundTrip(timeoutMs = 20_000): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('round trip timeout')), timeoutMs);
      this.step2Waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
      this.send(encodeSyncStep1(this.framing, Y.encodeStateVector(this.doc)));
    });
  }

  /** Roundtable only: waits until every update sent so far is acknowledged as durable. */
  waitSaved(timeoutMs = 30_000): Promise<boolean> {
    if (!this.options.target.acks) return Promise.resolve(false);
    const deadline = performance.now() + timeoutMs;
    return new Promise<boolean>((resolve) => {
      const check = (): void => {
        if (this.savedSeq >= this.sentUpdates) return resolve(true);
        if (this.closed || performance.now() > deadline) return resolve(false);
        this.savedWaiters.push(check);
        setTimeout(() => {
          const i = this.savedWaiters.indexOf(check);
          if (i >= 0) {
            this.savedWaiters.splice(i, 1);
            check();
          }
        }, Math.max(1, Math.min(500, deadline - performance.now())));
      };
      check();
    });
  }

  /** Applies the updates kept during the measured window; returns how many there were. */
  flushDeferred(): number {
    const updates = this.deferred;
    this.deferred = [];
    if (updates.length > 0) Y.applyUpdate(this.doc, Y.mergeUpdates(updates), REMOTE);
    return updates.length;
  }

  get bufferedAmount(): number {
    return this.ws?.bufferedAmount ?? 0;
  }

  /** Closes the socket; resolves when it is closed (terminated after `timeoutMs`). */
  close(timeoutMs = 3000): Promise<void> {
    this.closing = true;
    const ws = this.ws;
    if (!ws || ws.readyState === CLOSED) {
      this.closed = true;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        ws.terminate();
        resolve();
      }, timeoutMs);
      ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      if (ws.readyState === CONNECTING) ws.terminate();
      else ws.close(1000);
    });
  }

  /** Frees the Y.Doc (after the convergence check). */
  destroy(): void {
    this.doc.destroy();
    this.deferred = [];
  }

  private send(message: Uint8Array): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== OPEN) {
      if (!this.closing) this.options.errors.add('send on a socket that is not open');
      return;
    }
    ws.send(message);
  }

  private onFrame(frame: Buffer): void {
    const { recorder } = this.options;
    const atMs = performance.now();
    recorder.messagesIn++;
    recorder.bytesIn += frame.byteLength;
    const message = decodeIncoming(this.framing, frame);
    switch (message.type) {
      case Msg.Sync:
        if (message.syncType === SyncType.Step1) {
          this.sentUpdates++;
          this.send(encodeSyncStep2(this.framing, Y.encodeStateAsUpdate(this.doc, message.payload)));
        } else if (message.syncType === SyncType.Step2) {
          if (this.applyStep2) Y.applyUpdate(this.doc, message.payload, REMOTE);
          this.synced = true;
          this.onStep2?.(message.payload, atMs);
          for (const wake of this.step2Waiters.splice(0)) wake();
        } else if (message.syncType === SyncType.Update) {
          this.countMarkers(message.payload, atMs);
          if (this.mode === 'eager') Y.applyUpdate(this.doc, message.payload, REMOTE);
          else this.deferred.push(message.payload.slice());
        }
        return;
      case Msg.Awareness:
        this.countMarkers(message.payload, atMs);
        return;
      case Msg.Saved:
        if (message.seq > this.savedSeq) this.savedSeq = message.seq;
        for (const wake of this.savedWaiters.splice(0)) wake();
        return;
      case Msg.Auth:
        if (message.authType === AuthType.PermissionDenied) this.options.errors.add(`permission denied: ${message.detail}`);
        return;
      case Msg.Close:
        if (!this.closing) this.options.errors.add(`server closed the document: ${message.reason}`);
        return;
      default:
        return; // SyncStatus, QueryAwareness, unknown extensions: counted as messages only
    }
  }

  private countMarkers(payload: Uint8Array, atMs: number): void {
    const recorder = this.options.recorder;
    const now = atMs * 1000;
    const own = this.options.tag;
    const recording = recorder.recording;
    scanMarkers(payload, (sender, micros) => {
      if (sender === own) {
        if (recording) recorder.echoes++;
        return;
      }
      recorder.totalDeliveries++;
      if (!recording) return;
      recorder.deliveries++;
      recorder.latency.record(now - micros);
    });
  }
}
