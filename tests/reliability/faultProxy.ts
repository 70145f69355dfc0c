import net from 'node:net';

/** One direction of one proxied connection: chunks wait here until they are due and forwarding is on. */
class Pipe {
  readonly queue: { chunk: Buffer; due: number }[] = [];
  ended = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly from: net.Socket,
    readonly to: net.Socket,
    private readonly proxy: FaultProxy,
  ) {
    from.on('data', (chunk: Buffer) => {
      this.queue.push({ chunk, due: Date.now() + proxy.delayMs });
      this.pump();
    });
    from.on('end', () => {
      this.ended = true;
      this.pump();
    });
  }

  /** Forwards every due chunk in order; a later chunk never overtakes an earlier one. */
  pump(): void {
    if (this.proxy.stalled || this.to.destroyed) return;
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      const wait = head.due - Date.now();
      if (wait > 0) {
        if (this.timer === undefined) {
          this.timer = setTimeout(() => {
            this.timer = undefined;
            this.pump();
          }, wait);
        }
        return;
      }
      this.queue.shift();
      if (!this.to.write(head.chunk)) {
        // Backpressure: stop reading the sender until the receiver has drained.
        this.from.pause();
        this.to.once('drain', () => this.from.resume());
      }
    }
    if (this.ended) this.to.end();
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}

interface ProxiedConnection {
  client: net.Socket;
  upstream: net.Socket;
  pipes: Pipe[];
}

/**
 * A TCP proxy on 127.0.0.1 between real clients and the real server, for network faults that a
 * test decides: `cut()` resets every connection, `goOffline()` also refuses new ones until
 * `goOnline()`, `stall()` stops forwarding without closing anything (the connection looks alive
 * but nothing arrives) until `resume()`, and `delayMs` holds every chunk back before it is
 * forwarded. Byte order within a connection is always kept, as TCP keeps it.
 */
export class FaultProxy {
  delayMs = 0;
  stalled = false;
  private offline = false;
  private readonly connections = new Set<ProxiedConnection>();
  private readonly server: net.Server;
  private listeningPort = 0;

  private constructor(private targetPort: number) {
    this.server = net.createServer((client) => this.accept(client));
  }

  static async start(targetPort: number): Promise<FaultProxy> {
    const proxy = new FaultProxy(targetPort);
    await new Promise<void>((resolve, reject) => {
      proxy.server.once('error', reject);
      proxy.server.listen(0, '127.0.0.1', () => resolve());
    });
    proxy.listeningPort = (proxy.server.address() as net.AddressInfo).port;
    return proxy;
  }

  /** Base URL for WebSocket clients, e.g. `ws://127.0.0.1:41234`. */
  get wsUrl(): string {
    return `ws://127.0.0.1:${this.listeningPort}`;
  }

  get openConnections(): number {
    return this.connections.size;
  }

  /** Points new connections at another port (a restarted server listens on a new one). */
  setTarget(port: number): void {
    this.targetPort = port;
  }

  /** Resets every open connection, in both directions, as a broken link does. */
  cut(): void {
    for (const connection of this.connections) this.drop(connection);
  }

  goOffline(): void {
    this.offline = true;
    this.cut();
  }

  goOnline(): void {
    this.offline = false;
  }

  stall(): void {
    this.stalled = true;
  }

  resume(): void {
    this.stalled = false;
    for (const connection of this.connections) for (const pipe of connection.pipes) pipe.pump();
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    if (this.offline) {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(this.targetPort, '127.0.0.1');
    const connection: ProxiedConnection = { client, upstream, pipes: [] };
    connection.pipes.push(new Pipe(client, upstream, this), new Pipe(upstream, client, this));
    this.connections.add(connection);
    // A reset or error on either side resets the other (errors are the expected outcome of a
    // cut); a graceful end travels through the Pipe after the data queued before it.
    for (const socket of [client, upstream]) {
      socket.on('error', () => this.drop(connection));
      socket.on('close', (hadError) => {
        if (hadError) this.drop(connection);
        else if (client.destroyed && upstream.destroyed) this.forget(connection);
      });
    }
  }

  private drop(connection: ProxiedConnection): void {
    if (!this.forget(connection)) return;
    for (const socket of [connection.client, connection.upstream]) {
      if (!socket.destroyed) socket.resetAndDestroy();
    }
  }

  private forget(connection: ProxiedConnection): boolean {
    if (!this.connections.delete(connection)) return false;
    for (const pipe of connection.pipes) pipe.dispose();
    return true;
  }
}
