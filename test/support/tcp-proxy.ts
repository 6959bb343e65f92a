import { createServer, Server, Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of the test database, so a test can cut the database away from the app
 * (connections dropped, new ones refused) and bring it back, without touching the server itself.
 */
export class TcpProxy {
  private server?: Server;
  private sockets = new Set<Socket>();
  public port = 0;

  constructor(private readonly targetHost: string, private readonly targetPort: number) {}

  static forUrl(url: string): TcpProxy {
    const u = new URL(url);
    return new TcpProxy(u.hostname, Number(u.port || 5432));
  }

  /** the database URL rewritten to go through the proxy */
  rewrite(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  async start(port = this.port): Promise<void> {
    this.server = createServer((client) => {
      const upstream = new Socket();
      upstream.connect(this.targetPort, this.targetHost);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => { client.destroy(); upstream.destroy(); });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as { port: number }).port;
  }

  /** drops every open connection and refuses new ones */
  async cut(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  /** accepts connections again on the same port (no-op while already accepting) */
  async restore(): Promise<void> {
    if (this.server?.listening) return;
    await this.start(this.port);
  }
}
