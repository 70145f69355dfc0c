import { EventEmitter } from 'node:events';
import net from 'node:net';

/**
 * A lean WebSocket client (RFC 6455, binary messages only) for the load generator.
 *
 * Why not the `ws` client: on this 2-core machine opening 1,000 sockets with it costs the
 * generator ~0.8 s of CPU (http.ClientRequest, header parsing, listeners, per-frame masking),
 * which saturates the generator in the connect storm and would make it measure itself. This
 * client writes one pre-built upgrade request, checks the `101` status line, and frames with an
 * all-zero mask (legal: servers XOR with whatever key is sent; `ws` itself skips masking for a
 * zero mask). It is only ever used against our own loopback servers.
 *
 * Surface: the subset of the `ws` WebSocket the Session uses (events open/message/error/close,
 * send, close, terminate, readyState, bufferedAmount), so the two are interchangeable
 * (BENCH_CLIENT=ws switches back, to cross-check numbers).
 */
export interface ClientSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: Uint8Array): void;
  close(code?: number): void;
  terminate(): void;
  on(event: 'open', listener: () => void): this;
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): this;
  once(event: 'close', listener: (code: number, reason: Buffer) => void): this;
}

export const CONNECTING = 0;
export const OPEN = 1;
export const CLOSING = 2;
export const CLOSED = 3;

/** Any valid 16-byte base64 key: the handshake's nonce protects proxies, not us. */
const KEY = 'cm91bmR0YWJsZS1iZW5jaA==';
const MAX_HEADER_BYTES = 16 * 1024;

export class RawWebSocket extends EventEmitter implements ClientSocket {
  readyState = CONNECTING;
  private readonly socket: net.Socket;
  private chunks: Buffer[] = [];
  private buffered = 0;
  private fragments: Buffer[] = [];
  private fragmentOpcode = 0x2;
  private readonly maxPayload: number;
  private closeCode = 1006;
  private closeReason: Buffer = Buffer.alloc(0);
  private closeSent = false;
  private emittedClose = false;
  private readonly handshakeTimer: NodeJS.Timeout;

  constructor(url: string, options: { handshakeTimeout?: number; maxPayload?: number; headers?: Record<string, string> } = {}) {
    super();
    const target = new URL(url);
    const port = Number(target.port || 80);
    const path = `${target.pathname}${target.search}`;
    const extra = Object.entries(options.headers ?? {})
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    const request = Buffer.from(
      `GET ${path} HTTP/1.1\r\nHost: ${target.hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`,
      'latin1',
    );
    this.maxPayload = options.maxPayload ?? 512 * 1024 * 1024;
    this.socket = net.connect({ host: target.hostname, port });
    this.socket.setNoDelay(true);
    this.handshakeTimer = setTimeout(() => this.fail(new Error('handshake timeout')), options.handshakeTimeout ?? 20_000);
    this.socket.once('connect', () => this.socket.write(request));
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', (error) => this.fail(error));
    this.socket.on('close', () => this.finish());
  }

  get bufferedAmount(): number {
    return this.socket.writableLength;
  }

  send(data: Uint8Array): void {
    if (this.readyState !== OPEN) return;
    this.socket.write(frame(0x2, data));
  }

  close(code = 1000): void {
    if (this.readyState === CLOSED) return;
    if (this.readyState === CONNECTING) return this.terminate();
    this.readyState = CLOSING;
    this.closeCode = code;
    this.sendClose(code);
    // The server answers with its own close frame and ends the TCP connection; if it does not,
    // the caller's timeout terminates.
  }

  terminate(): void {
    this.readyState = CLOSING;
    this.socket.destroy();
  }

  private sendClose(code: number): void {
    if (this.closeSent) return;
    this.closeSent = true;
    const body = Buffer.alloc(2);
    body.writeUInt16BE(code, 0);
    this.socket.write(frame(0x8, body));
  }

  private fail(error: Error): void {
    if (this.readyState === CLOSED) return;
    this.emit('error', error);
    this.socket.destroy();
  }

  private finish(): void {
    clearTimeout(this.handshakeTimer);
    this.readyState = CLOSED;
    if (this.emittedClose) return;
    this.emittedClose = true;
    this.emit('close', this.closeCode, this.closeReason);
  }

  private onData(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    if (this.readyState === CONNECTING) {
      const head = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
      const end = head.indexOf('\r\n\r\n', 0, 'latin1');
      if (end < 0) {
        if (head.length > MAX_HEADER_BYTES) this.fail(new Error('oversized handshake response'));
        this.chunks = [head];
        return;
      }
      const status = head.subarray(0, head.indexOf('\r\n', 0, 'latin1')).toString('latin1');
      if (!/^HTTP\/1\.1 101 /.test(status)) {
        this.fail(new Error(`Unexpected server response: ${status.slice(9, 12)}`));
        return;
      }
      clearTimeout(this.handshakeTimer);
      const rest = head.subarray(end + 4);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.buffered = rest.length;
      this.readyState = OPEN;
      this.emit('open');
    }
    this.parseFrames();
  }

  /** Takes `n` bytes off the front of the chunk list (a view when they sit in one chunk). */
  private take(n: number): Buffer {
    // An empty payload (a ping or close without body) may end exactly where the buffer ends.
    if (n === 0) return Buffer.alloc(0);
    const first = this.chunks[0]!;
    this.buffered -= n;
    if (first.length > n) {
      this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    if (first.length === n) {
      this.chunks.shift();
      return first;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.chunks[0]!;
      const need = n - filled;
      if (chunk.length <= need) {
        chunk.copy(out, filled);
        filled += chunk.length;
        this.chunks.shift();
      } else {
        chunk.copy(out, filled, 0, need);
        this.chunks[0] = chunk.subarray(need);
        filled += need;
      }
    }
    return out;
  }

  /** Reads the byte at `offset` of the buffered data without consuming it. */
  private peek(offset: number): number {
    let at = offset;
    for (const chunk of this.chunks) {
      if (at < chunk.length) return chunk[at]!;
      at -= chunk.length;
    }
    return -1;
  }

  private parseFrames(): void {
    // Bounded: every iteration consumes a whole frame, or returns for more data.
    while (this.buffered >= 2 && this.readyState !== CLOSED) {
      const b0 = this.peek(0);
      const b1 = this.peek(1);
      const fin = (b0 & 0x80) !== 0;
      const opcode = b0 & 0x0f;
      const masked = (b1 & 0x80) !== 0;
      let length = b1 & 0x7f;
      let headerBytes = 2;
      if (length === 126) {
        if (this.buffered < 4) return;
        length = (this.peek(2) << 8) | this.peek(3);
        headerBytes = 4;
      } else if (length === 127) {
        if (this.buffered < 10) return;
        let big = 0;
        for (let i = 2; i < 10; i++) big = big * 256 + this.peek(i);
        length = big;
        headerBytes = 10;
      }
      if (masked) headerBytes += 4; // servers never mask; tolerate it anyway
      if (length > this.maxPayload) {
        this.fail(new Error('message too big'));
        return;
      }
      if (this.buffered < headerBytes + length) return;
      const header = this.take(headerBytes);
      let payload = this.take(length);
      if (masked) {
        const key = header.subarray(headerBytes - 4);
        payload = Buffer.from(payload);
        for (let i = 0; i < payload.length; i++) payload[i]! ^= key[i & 3]!;
      }
      this.onFrame(fin, opcode, payload);
    }
  }

  private onFrame(fin: boolean, opcode: number, payload: Buffer): void {
    switch (opcode) {
      case 0x0: // continuation
      case 0x1: // text
      case 0x2: {
        // binary
        if (opcode !== 0x0) {
          this.fragments = [];
          this.fragmentOpcode = opcode;
        }
        this.fragments.push(payload);
        if (!fin) return;
        const data = this.fragments.length === 1 ? this.fragments[0]! : Buffer.concat(this.fragments);
        this.fragments = [];
        this.emit('message', data, this.fragmentOpcode === 0x2);
        return;
      }
      case 0x8: {
        // close
        if (payload.length >= 2) this.closeCode = payload.readUInt16BE(0);
        this.closeReason = payload.subarray(2);
        this.readyState = CLOSING;
        this.sendClose(this.closeCode);
        this.socket.end();
        return;
      }
      case 0x9: // ping
        if (this.readyState === OPEN) this.socket.write(frame(0xa, payload));
        return;
      default:
        return; // pong, reserved
    }
  }
}

/** A client frame with FIN set and an all-zero mask (so the payload goes out as is). */
function frame(opcode: number, payload: Uint8Array): Buffer {
  const length = payload.byteLength;
  const headerBytes = length < 126 ? 6 : length < 65536 ? 8 : 14;
  const out = Buffer.allocUnsafe(headerBytes + length);
  out[0] = 0x80 | opcode;
  if (length < 126) {
    out[1] = 0x80 | length;
  } else if (length < 65536) {
    out[1] = 0x80 | 126;
    out.writeUInt16BE(length, 2);
  } else {
    out[1] = 0x80 | 127;
    out.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    out.writeUInt32BE(length >>> 0, 6);
  }
  out.fill(0, headerBytes - 4, headerBytes); // mask key 0,0,0,0
  out.set(payload, headerBytes);
  return out;
}
