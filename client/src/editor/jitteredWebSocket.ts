/**
 * Reconnect jitter for the stock y-websocket provider, without changing the provider.
 *
 * The provider backs off exponentially but without jitter: after its n-th unsuccessful socket it
 * waits `min(100 · 2^n, maxBackoffTime)` ms and creates the next one. After a server restart every
 * client lost its socket at the same instant, so they all retry at the same instants and arrive
 * together the moment the server is back (a reconnect storm).
 *
 * This WebSocketPolyfill wrapper spreads them out: the provider's `new WebSocket(…)` returns at
 * once, but the real socket is only created after a random delay of 0…(the provider's current
 * backoff) ms ("full jitter"). Meanwhile the wrapper is an ordinary socket in state CONNECTING, so
 * the provider's state machine (its handlers, its own timer, its close-while-connecting path) sees
 * nothing unusual; the effective wait between two attempts becomes [d, 2d] instead of exactly d.
 * The first socket of a session is never delayed.
 *
 * The wrapper counts like the provider does: every socket that ends counts as unsuccessful, and
 * the count is reset once a socket has received a message (the provider resets on sync, which
 * needs one). Pure and DOM-free, so it runs in Node with `ws` underneath (tests, benchmarks).
 */

/** The part of the WebSocket API the provider uses; the browser's WebSocket and `ws` have it. */
export interface SocketLike {
  binaryType: string;
  readonly readyState: number;
  readonly bufferedAmount: number;
  readonly url: string;
  readonly protocol: string;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  send(data: never): void;
  close(code?: number, reason?: string): void;
}

export type SocketClass = new (url: string, protocols?: string | string[]) => SocketLike;

export interface JitterOptions {
  /** A number in [0, 1). Default Math.random. */
  random?: () => number;
  /** The provider's backoff: `min(baseMs · 2^n, maxMs)`. Defaults are y-websocket's (100, 2500). */
  baseMs?: number;
  maxMs?: number;
  /** Called with each delay chosen (tests, diagnostics). */
  onDelay?: (delayMs: number) => void;
}

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

/** The backoff the provider applies after `failures` unsuccessful sockets (y-websocket 3.x). */
export function providerBackoffMs(failures: number, baseMs = 100, maxMs = 2500): number {
  return Math.min(baseMs * 2 ** failures, maxMs);
}

/**
 * A socket class that delays each socket after the first by a random 0…backoff ms. One class per
 * provider (the count of unsuccessful sockets lives in it); `Base` is the real WebSocket.
 */
export function jitteredWebSocketClass(Base: SocketClass, options: JitterOptions = {}): SocketClass {
  const random = options.random ?? Math.random;
  const baseMs = options.baseMs ?? 100;
  const maxMs = options.maxMs ?? 2500;
  let created = 0;
  let failures = 0;

  class JitteredWebSocket implements SocketLike {
    static readonly CONNECTING = CONNECTING;
    static readonly OPEN = OPEN;
    static readonly CLOSING = CLOSING;
    static readonly CLOSED = CLOSED;
    readonly CONNECTING = CONNECTING;
    readonly OPEN = OPEN;
    readonly CLOSING = CLOSING;
    readonly CLOSED = CLOSED;

    onopen: ((event: unknown) => void) | null = null;
    onmessage: ((event: unknown) => void) | null = null;
    onerror: ((event: unknown) => void) | null = null;
    onclose: ((event: unknown) => void) | null = null;

    private inner: SocketLike | null = null;
    private timer: ReturnType<typeof setTimeout> | null = null;
    /** CLOSED once closed before the real socket existed; otherwise the real socket's state. */
    private ownState = CONNECTING;
    private type = 'blob';
    private ended = false;
    private heard = false;

    constructor(
      readonly url: string,
      private readonly protocols?: string | string[],
    ) {
      created += 1;
      const delay = created === 1 ? 0 : Math.floor(random() * providerBackoffMs(failures, baseMs, maxMs));
      options.onDelay?.(delay);
      if (delay <= 0) this.open();
      else this.timer = setTimeout(() => this.open(), delay);
    }

    get readyState(): number {
      return this.inner ? this.inner.readyState : this.ownState;
    }

    get binaryType(): string {
      return this.inner ? this.inner.binaryType : this.type;
    }

    set binaryType(value: string) {
      this.type = value;
      if (this.inner) this.inner.binaryType = value;
    }

    get bufferedAmount(): number {
      return this.inner?.bufferedAmount ?? 0;
    }

    get protocol(): string {
      return this.inner?.protocol ?? '';
    }

    send(data: never): void {
      // As a real socket that is still connecting: sending is an error (the provider never does).
      if (!this.inner) throw new Error('InvalidStateError: the socket is still connecting');
      this.inner.send(data);
    }

    close(code?: number, reason?: string): void {
      if (this.inner) {
        this.inner.close(code, reason);
        return;
      }
      if (this.ownState === CLOSED) return;
      // Closed while waiting: no real socket is ever made. Like a browser closing a connecting
      // socket, report an abnormal close (1006), asynchronously, to whoever still listens.
      if (this.timer !== null) clearTimeout(this.timer);
      this.timer = null;
      this.ownState = CLOSED;
      this.end();
      setTimeout(() => this.onclose?.call(this, { type: 'close', code: 1006, reason: '', wasClean: false }), 0);
    }

    private open(): void {
      this.timer = null;
      if (this.ownState === CLOSED) return;
      const socket = new Base(this.url, this.protocols);
      socket.binaryType = this.type;
      // Forwarded to whatever handler the provider has set at that moment (it swaps them).
      socket.onopen = (event) => this.onopen?.call(this, event);
      socket.onmessage = (event) => {
        if (!this.heard) {
          this.heard = true;
          failures = 0;
        }
        this.onmessage?.call(this, event);
      };
      socket.onerror = (event) => this.onerror?.call(this, event);
      socket.onclose = (event) => {
        this.end();
        this.onclose?.call(this, event);
      };
      this.inner = socket;
    }

    /** Each socket that ends counts once as unsuccessful, as the provider counts it. */
    private end(): void {
      if (this.ended) return;
      this.ended = true;
      failures += 1;
    }
  }
  return JitteredWebSocket;
}
