/**
 * The origins (scheme://host:port) whose pages may change things or open collaboration sockets
 * with a person's cookie. Browsers send `Origin` on every cross-origin request and on every
 * same-origin request that is not GET/HEAD, and on every WebSocket handshake; a page on another
 * site cannot forge it. See docs/SECURITY.md.
 */
export class OriginPolicy {
  private readonly allowed: ReadonlySet<string>;

  constructor(origins: Iterable<string>) {
    this.allowed = new Set([...origins].map((origin) => origin.toLowerCase()));
  }

  allows(origin: string): boolean {
    return this.allowed.has(origin.toLowerCase());
  }

  get origins(): string[] {
    return [...this.allowed];
  }

  /**
   * The default allow-list once the port is known: PUBLIC_URL (the address people use) and the
   * addresses the server answers on directly. Nothing else, in particular not "whatever the Host
   * header says", which a DNS-rebinding page controls.
   */
  static defaults(options: { publicUrl: string | null; host: string; port: number }): string[] {
    const { publicUrl, host, port } = options;
    const origins = new Set<string>();
    if (publicUrl) origins.add(publicUrl);
    for (const name of ['localhost', '127.0.0.1', '[::1]']) origins.add(`http://${name}:${port}`);
    // A wildcard bind address is not something a browser can be at; the loopback names cover it.
    if (host !== '0.0.0.0' && host !== '::' && host !== '') origins.add(`http://${host.includes(':') ? `[${host}]` : host}:${port}`);
    return [...origins];
  }
}
