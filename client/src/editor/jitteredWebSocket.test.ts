import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { jitteredWebSocketClass, providerBackoffMs, type SocketClass } from './jitteredWebSocket.js';
import { FakeWebSocket } from './testing/fakeWebSocket.js';

const Fake = FakeWebSocket as unknown as SocketClass;

/** A class whose random delay is `fraction` of the backoff, recording every delay chosen. */
function jittered(fraction: number): { Socket: SocketClass; delays: number[] } {
  const delays: number[] = [];
  return { Socket: jitteredWebSocketClass(Fake, { random: () => fraction, onDelay: (ms) => delays.push(ms) }), delays };
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeWebSocket.instances = [];
});
afterEach(() => {
  vi.useRealTimers();
});

describe('reconnect jitter in the WebSocketPolyfill', () => {
  it('JITTER-1: the first socket connects at once; a reconnect creates the real socket only after a random part of the backoff, reading CONNECTING meanwhile', () => {
    const { Socket, delays } = jittered(0.5);
    const first = new Socket('ws://x/doc');
    expect(FakeWebSocket.instances).toHaveLength(1);
    FakeWebSocket.latest().serverOpen();
    FakeWebSocket.latest().serverSend(new Uint8Array([0]));
    FakeWebSocket.latest().serverClose(1001);
    expect(first.readyState).toBe(3);

    const second = new Socket('ws://x/doc');
    second.binaryType = 'arraybuffer';
    expect(delays).toEqual([0, 100]); // half of the provider's 200 ms after one failure
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(second.readyState).toBe(0);
    vi.advanceTimersByTime(99);
    expect(FakeWebSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.instances).toHaveLength(2);
    expect(FakeWebSocket.latest().binaryType).toBe('arraybuffer');
    // Events of the real socket reach the handlers set on the wrapper, whenever they were set.
    const seen: string[] = [];
    second.onopen = () => seen.push('open');
    second.onmessage = () => seen.push('message');
    second.onclose = (event) => seen.push(`close ${(event as { code: number }).code}`);
    FakeWebSocket.latest().serverOpen();
    expect(second.readyState).toBe(1);
    FakeWebSocket.latest().serverSend(new Uint8Array([1]));
    FakeWebSocket.latest().serverClose(4500);
    expect(seen).toEqual(['open', 'message', 'close 4500']);
  });

  it('JITTER-2: the delay window follows the provider backoff (200, 400, … capped at 2500 ms) and starts over once a socket heard from the server', () => {
    const { Socket, delays } = jittered(0.999);
    new Socket('ws://x/doc');
    for (let attempt = 0; attempt < 7; attempt++) {
      FakeWebSocket.latest().serverClose(1006); // refused: never heard anything
      new Socket('ws://x/doc');
      vi.runOnlyPendingTimers();
    }
    expect(delays.slice(1)).toEqual([1, 2, 3, 4, 5, 5, 5].map((n) => Math.floor(0.999 * providerBackoffMs(n))));
    FakeWebSocket.latest().serverOpen();
    FakeWebSocket.latest().serverSend(new Uint8Array([0]));
    FakeWebSocket.latest().serverClose(1001);
    new Socket('ws://x/doc');
    expect(delays.at(-1)).toBe(Math.floor(0.999 * 200));
  });

  it('JITTER-3: closing while waiting creates no socket and reports an abnormal close (1006) later, like a browser', () => {
    const { Socket } = jittered(0.9);
    new Socket('ws://x/doc');
    FakeWebSocket.latest().serverClose(1006);
    const waiting = new Socket('ws://x/doc');
    const closes: number[] = [];
    waiting.onclose = (event) => closes.push((event as { code: number }).code);
    waiting.close();
    expect(waiting.readyState).toBe(3);
    expect(closes).toEqual([]);
    vi.advanceTimersByTime(5000);
    expect(closes).toEqual([1006]);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(() => waiting.send(new Uint8Array([1]) as never)).toThrow(/still connecting/);
  });

  it('JITTER-4: the stock provider runs unchanged on top: it reconnects through the delay, can disconnect during it, and still stops at a final close', () => {
    const doc = new Y.Doc();
    const { Socket, delays } = jittered(0.5);
    const provider = new WebsocketProvider('ws://x', 'doc', doc, { WebSocketPolyfill: Socket as unknown as typeof WebSocket, disableBc: true });
    const statuses: string[] = [];
    provider.on('status', ({ status }) => statuses.push(status));
    FakeWebSocket.latest().serverOpen();
    expect(provider.wsconnected).toBe(true);

    FakeWebSocket.latest().serverClose(1001); // the server restarts
    expect(provider.wsconnected).toBe(false);
    vi.advanceTimersByTime(200); // the provider's own backoff: it creates the wrapper
    expect(provider.wsconnecting).toBe(true);
    expect(FakeWebSocket.instances).toHaveLength(1); // ...whose real socket waits
    vi.advanceTimersByTime(delays.at(-1)!);
    expect(FakeWebSocket.instances).toHaveLength(2);
    FakeWebSocket.latest().serverOpen();
    expect(provider.wsconnected).toBe(true);
    expect(statuses).toEqual(['connected', 'disconnected', 'connecting', 'connected']);

    // Disconnecting while a delayed socket waits: no socket is made, nothing reconnects.
    FakeWebSocket.latest().serverClose(1006);
    vi.advanceTimersByTime(providerBackoffMs(2));
    provider.disconnect();
    vi.advanceTimersByTime(10_000);
    expect(FakeWebSocket.instances).toHaveLength(2);
    expect(provider.ws).toBeNull();

    // A final close (44xx) still ends it: jitter changes only when, not whether.
    provider.connect();
    vi.advanceTimersByTime(10_000);
    const closed: number[] = [];
    provider.on('closed', (event) => closed.push(event.code));
    FakeWebSocket.latest().serverOpen();
    FakeWebSocket.latest().serverClose(4429);
    vi.advanceTimersByTime(10_000);
    expect(closed).toEqual([4429]);
    expect(provider.shouldConnect).toBe(false);
    provider.destroy();
    doc.destroy();
  });
});
