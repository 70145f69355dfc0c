import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';

/**
 * The part of a `ws` WebSocket the server's Connection uses, backed by the simulated network
 * instead of TCP. The network emits `message` to deliver a client frame; the Connection's sends
 * and closes are handed to the callbacks.
 */
export class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  readonly bufferedAmount = 0;

  constructor(
    private readonly onSend: (frame: Uint8Array) => void,
    private readonly onServerClose: (code: number) => void,
  ) {
    super();
  }

  /** The Connection takes a `ws` WebSocket; it only ever touches the members above. */
  asWebSocket(): WebSocket {
    return this as unknown as WebSocket;
  }

  send(frame: Uint8Array): void {
    if (this.readyState === this.OPEN) this.onSend(frame);
  }

  close(code = 1000): void {
    if (this.readyState !== this.OPEN) return;
    this.onServerClose(code);
  }

  terminate(): void {
    this.close(1006);
  }

  ping(): void {}
}
