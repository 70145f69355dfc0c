import type * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { MessageType, readSavedSeq } from '../../../shared/protocol/index.js';
import { countingWebSocketClass, type CountingOptions, type WebSocketClass } from './countingWebSocket.js';
import { initialSaveState, reduceSaveState, type SaveEvent, type SaveState } from './saveStatus.js';

/**
 * Binds the save-status state machine to a Y.Doc and a stock WebsocketProvider.
 *
 * Order of construction matters and is the caller's job (see collabSession.ts):
 *   1. `new SaveTracker(ydoc, …)` BEFORE the provider exists, so that our Y.Doc 'update'
 *      listener runs before the provider's (lib0 observers fire in registration order): the
 *      'localEdit' event must precede the 'frameSent' of the Update frame that carries it;
 *   2. the provider with `WebSocketPolyfill: tracker.webSocketClass(WebSocket)` and
 *      `connect: false`;
 *   3. `tracker.attach(provider)`, then `provider.connect()`.
 */
export class SaveTracker {
  private state: SaveState = initialSaveState;
  private readonly listeners = new Set<() => void>();
  private provider: WebsocketProvider | null = null;
  private readonly disposers: Array<() => void> = [];

  /**
   * @param ignoredOrigins transaction origins that are not this user's edits, e.g. the
   *   IndexedDB persistence replaying what is stored on the device (the provider itself is
   *   ignored automatically once attached).
   */
  constructor(ydoc: Y.Doc, ignoredOrigins: readonly unknown[] = []) {
    const ignored = new Set(ignoredOrigins);
    const onUpdate = (_update: Uint8Array, origin: unknown): void => {
      if (this.provider !== null && origin === this.provider) return;
      if (ignored.has(origin)) return;
      this.dispatch({ type: 'localEdit' });
    };
    ydoc.on('update', onUpdate);
    this.disposers.push(() => ydoc.off('update', onUpdate));
  }

  /** The provider's WebSocketPolyfill: counts update frames on whichever socket is current. */
  webSocketClass(Base: WebSocketClass, options?: CountingOptions): WebSocketClass {
    return countingWebSocketClass(
      Base,
      (socket, frame) => {
        // Frames from a socket the provider has already abandoned say nothing about this one.
        if (this.provider === null || this.provider.ws !== socket) return;
        this.dispatch({ type: 'frameSent', count: frame.count, isStep2: frame.isStep2 });
      },
      options,
    );
  }

  attach(provider: WebsocketProvider): void {
    this.provider = provider;
    // The provider's handler table is per instance (y-websocket 3.x), so this extends only
    // this provider. The handler writes nothing to the encoder: an acknowledgement is not
    // answered. The provider only dispatches messages of its current socket.
    provider.messageHandlers[MessageType.Saved] = (_encoder, decoder) => {
      this.dispatch({ type: 'ack', seq: readSavedSeq(decoder) });
    };

    const onStatus = ({ status }: { status: 'connected' | 'disconnected' | 'connecting' }): void => {
      if (status === 'connecting') this.dispatch({ type: 'connecting' });
      else if (status === 'connected') this.dispatch({ type: 'opened' });
      // 'disconnected' is only emitted for sockets that had opened; 'connection-close' covers
      // every socket, including ones that never opened.
    };
    const onConnectionClose = (event: CloseEvent | null): void => {
      this.dispatch({ type: 'closed', code: event?.code ?? null });
    };
    const onClosed = (event: { code: number; reason: string }): void => {
      this.dispatch({ type: 'terminal', code: event.code, reason: event.reason });
    };
    const onSync = (synced: boolean): void => {
      this.dispatch({ type: 'synced', synced });
    };
    provider.on('status', onStatus);
    provider.on('connection-close', onConnectionClose);
    provider.on('closed', onClosed);
    provider.on('sync', onSync);
    this.disposers.push(() => {
      provider.off('status', onStatus);
      provider.off('connection-close', onConnectionClose);
      provider.off('closed', onClosed);
      provider.off('sync', onSync);
      delete provider.messageHandlers[MessageType.Saved];
    });
  }

  getState = (): SaveState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  dispose(): void {
    for (const dispose of this.disposers.splice(0)) dispose();
    this.listeners.clear();
  }

  private dispatch(event: SaveEvent): void {
    const next = reduceSaveState(this.state, event);
    if (next === this.state) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}
