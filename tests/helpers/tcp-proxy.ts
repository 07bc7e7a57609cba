/**
 * A loopback port the test holds for the whole test, forwarding each connection to whichever server
 * is behind it now. A browser page keeps its origin while the server behind it restarts on a fresh
 * port: a restart never has to win its old port back from whatever else runs on the machine.
 */
import { createConnection, createServer, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  url: string;
  /** Where new connections go; undefined: refuse them (closed at once), and cut the open ones. */
  target(port: number | undefined): void;
  close(): Promise<void>;
}

export async function startTcpProxy(initial?: number): Promise<TcpProxy> {
  let target = initial;
  const open = new Set<Socket>();
  const track = (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  };
  const server = createServer((client) => {
    track(client);
    if (target === undefined) return void client.destroy();
    const upstream = createConnection({ host: '127.0.0.1', port: target });
    track(upstream);
    // Either side ending ends both, as a direct connection to a stopped server would.
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.once('error', cut);
      socket.once('close', cut);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    target(next) {
      target = next;
      if (next === undefined) for (const socket of open) socket.destroy();
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
