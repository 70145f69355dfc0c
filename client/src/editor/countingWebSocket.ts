import { carriesUpdate, classifyFrame, MessageType, SyncMessageType } from '../../../shared/protocol/index.js';

/** What the counting socket reports after each update-carrying frame it sends. */
export interface SentFrame {
  /** This socket's counter after the frame: the number a Saved acknowledgement refers to. */
  count: number;
  /** The frame is a SyncStep2, i.e. our answer to the server's SyncStep1. */
  isStep2: boolean;
}

export type FrameListener = (socket: WebSocket, frame: SentFrame) => void;

export type WebSocketClass = typeof WebSocket;

/** The bytes of a frame the provider sends, or null for text and blobs (never update frames). */
function frameBytes(data: unknown): Uint8Array | null {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return null;
}

/**
 * Classifies one outgoing frame. Unparseable frames are not counted: the server could not
 * acknowledge them either.
 */
export function classifyOutgoing(data: unknown): { counts: boolean; isStep2: boolean } {
  const bytes = frameBytes(data);
  if (bytes === null) return { counts: false, isStep2: false };
  try {
    const kind = classifyFrame(bytes);
    return {
      counts: carriesUpdate(kind),
      isStep2: kind.type === MessageType.Sync && kind.syncType === SyncMessageType.Step2,
    };
  } catch {
    return { counts: false, isStep2: false };
  }
}

export interface CountingOptions {
  /** Send no update-carrying frame at all (SyncStep2, Update): for read-only sessions. */
  dropUpdates?: boolean;
}

/**
 * A WebSocket class for the provider's `WebSocketPolyfill` option that numbers the
 * update-carrying frames it sends, the way the server numbers them for Saved acknowledgements.
 *
 * Why a subclass rather than patching the provider: the stock provider stays unchanged, and
 * the count lives on the socket itself, so a reconnect (a new socket) starts at 0 exactly as
 * the server's count does. `Base` is a parameter so tests can pass a fake socket.
 */
export function countingWebSocketClass(Base: WebSocketClass, onFrame: FrameListener, options: CountingOptions = {}): WebSocketClass {
  const { dropUpdates = false } = options;
  class CountingWebSocket extends Base {
    updateFramesSent = 0;

    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      const { counts, isStep2 } = classifyOutgoing(data);
      // Read-only: the server drops these anyway (before decoding them), but not sending them
      // keeps a reader's socket quiet and makes "a read-only client sends no content" true
      // here as well, not only on the server.
      if (counts && dropUpdates) return;
      if (counts) {
        // Counted before the frame leaves, so the status can never believe less was sent than
        // the server will acknowledge.
        this.updateFramesSent += 1;
        onFrame(this, { count: this.updateFramesSent, isStep2 });
      }
      super.send(data as Parameters<WebSocket['send']>[0]);
    }
  }
  return CountingWebSocket;
}
