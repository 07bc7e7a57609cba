/**
 * Theater c50's http-framework on Node: servers, routes, middleware and WebSockets, with the
 * ids, header conventions and error strings the actor would meet on Theater (theater-c50.md §4).
 * Lives on the main thread so connections are accepted while the actor is busy.
 *
 * One registry per TheaterServer, shared by all its actors as c50's HttpFrameworkHandler shares its
 * maps and id counters between clones (crates/theater-handler-http-framework/src/lib.rs:97-135):
 * any actor may add routes to any server id, and a server sends its requests to the actor that
 * started it (lib.rs:233-240). This file is the registry and the servers' lifecycle; how a running
 * server's requests and sockets reach that actor is http-dispatch.ts.
 */
import type { Server } from 'node:http';
import { listenerFor, tlsConfigOf } from './tls-listener.js';
import { WebSocketServer, type WebSocket } from 'ws';
import { serveRequest, serveUpgrade } from './http-dispatch.js';
import { METHODS, bySpecificity, checkRoutePath, compilePattern, type CompiledPattern } from './router.js';
import type { ActorCalls, WebsocketMessage } from './wit-types.js';

interface RouteEntry {
  id: bigint;
  path: string;
  method: string;
  handler: bigint;
}

export interface WebsocketEntry {
  connect?: bigint;
  message: bigint;
  disconnect?: bigint;
}

export interface FrozenRoute {
  compiled: CompiledPattern;
  methods: Map<string, bigint>;
}

export interface ServerEntry {
  id: bigint;
  host: string;
  port: number;
  /** PEM paths from the server config (c50: tls-config); read when the server starts. */
  tls?: { certPath: string; keyPath: string };
  routes: Map<bigint, RouteEntry>;
  middleware: Map<bigint, { path: string; handler: bigint }>;
  websockets: Map<string, WebsocketEntry>;
  frozen?: FrozenRoute[];
  http?: Server;
  connections: Map<bigint, WebSocket>;
  /** The actor that started the server: every request and socket event goes to it. */
  owner?: ActorCalls;
}

export interface FrameworkOptions {
  log: (line: string) => void;
}

export class HttpFramework {
  private servers = new Map<bigint, ServerEntry>();
  private handlers = new Set<bigint>();
  private nextServer = 1n;
  private nextHandler = 1n;
  private nextRoute = 1n;
  private nextMiddleware = 1n;
  private wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });

  constructor(private options: FrameworkOptions) {}

  /** Addresses of running servers (of one actor, if given), for the CLI's start-up line. */
  listening(owner?: ActorCalls): { host: string; port: number; tls: boolean }[] {
    return [...this.servers.values()]
      .filter((s) => s.http?.listening && (owner === undefined || s.owner === owner))
      .map((s) => ({ host: s.host, port: s.port, tls: s.tls !== undefined }));
  }

  createServer(config: { port?: number; host?: string; tlsConfig?: { certPath: string; keyPath: string } }): bigint {
    const host = config.host ?? '127.0.0.1';
    if (host.length === 0 || host.length >= 255 || /\s/.test(host)) throw 'Invalid host';
    const id = this.nextServer++;
    const tls = tlsConfigOf(config.tlsConfig);
    this.servers.set(id, { id, host, port: config.port ?? 0, tls, routes: new Map(), middleware: new Map(), websockets: new Map(), connections: new Map() });
    return id;
  }

  private server(id: bigint): ServerEntry {
    const server = this.servers.get(id);
    if (!server) throw `Server not found: ${id}`;
    return server;
  }

  getServerInfo(id: bigint) {
    const s = this.server(id);
    return {
      id,
      port: s.port,
      host: s.host,
      running: Boolean(s.http?.listening),
      routesCount: s.routes.size,
      middlewareCount: s.middleware.size,
      websocketEnabled: s.websockets.size > 0,
    };
  }

  registerHandler(_name: string): bigint {
    const id = this.nextHandler++;
    this.handlers.add(id);
    return id;
  }

  private handler(id: bigint | undefined): void {
    if (id !== undefined && !this.handlers.has(id)) throw `Handler not found: ${id}`;
  }

  addRoute(serverId: bigint, path: string, method: string, handler: bigint): bigint {
    const server = this.server(serverId);
    this.handler(handler);
    const problem = checkRoutePath(path);
    if (problem) throw problem;
    const upper = method.toUpperCase();
    if (!METHODS.has(upper)) throw `Invalid HTTP method: ${method}`;
    const id = this.nextRoute++;
    server.routes.set(id, { id, path, method: upper, handler });
    return id;
  }

  removeRoute(routeId: bigint): void {
    for (const server of this.servers.values()) if (server.routes.delete(routeId)) return;
    throw `Route not found: ${routeId}`;
  }

  addMiddleware(serverId: bigint, path: string, handler: bigint): bigint {
    const server = this.server(serverId);
    this.handler(handler);
    const id = this.nextMiddleware++;
    server.middleware.set(id, { path, handler });
    return id;
  }

  removeMiddleware(id: bigint): void {
    for (const server of this.servers.values()) if (server.middleware.delete(id)) return;
    throw `Middleware not found: ${id}`;
  }

  enableWebsocket(serverId: bigint, path: string, connect: bigint | undefined, message: bigint, disconnect: bigint | undefined): void {
    const server = this.server(serverId);
    [connect, message, disconnect].forEach((h) => this.handler(h));
    server.websockets.set(path, { connect, message, disconnect });
  }

  /** The router is built from the routes present now; later add-route needs stop + start (as in c50). */
  async startServer(serverId: bigint, owner: ActorCalls): Promise<number> {
    const server = this.server(serverId);
    if (server.http?.listening) throw 'Server is already running';
    const byPath = new Map<string, FrozenRoute>();
    try {
      for (const route of server.routes.values()) {
        let entry = byPath.get(route.path);
        if (!entry) byPath.set(route.path, (entry = { compiled: compilePattern(route.path), methods: new Map() }));
        if (entry.methods.has(route.method)) throw new Error(`Overlapping method route: ${route.method} ${route.path}`);
        entry.methods.set(route.method, route.handler);
      }
      for (const path of server.websockets.keys()) {
        if (byPath.get(path)?.methods.has('GET')) throw new Error(`Overlapping method route: GET ${path} is the WebSocket path`);
      }
    } catch (e) {
      throw `Failed to build router: ${(e as Error).message}`;
    }
    server.frozen = [...byPath.values()].sort((a, b) => bySpecificity(a.compiled, b.compiled));
    const http = listenerFor(server.tls, (req, res) => {
      // A client that hangs up mid-body must cost its own request only, never the host.
      serveRequest(server, req, res).catch(() => res.destroy());
    });
    // c50 serves with `axum::serve(listener, router)` (server_instance.rs:589), which sets no idle
    // timeout of its own. Node's 5 s default closes an idle keep-alive socket just as a client
    // reuses it (a loaded machine turned that into EPIPE mid-upload); a minute still bounds idle sockets.
    http.keepAliveTimeout = 60_000;
    http.on('upgrade', (req, socket, head) => serveUpgrade(this.wss, server, req, socket, head));
    http.on('clientError', (_e, socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(server.port, server.host, () => resolve());
    }).catch((e: NodeJS.ErrnoException) => {
      throw `Failed to bind ${server.host}:${server.port}: ${e.code ?? e.message}`;
    });
    const address = http.address();
    server.port = typeof address === 'object' && address ? address.port : server.port;
    server.http = http;
    server.owner = owner;
    return server.port;
  }

  async stopServer(serverId: bigint): Promise<void> {
    const server = this.server(serverId);
    for (const [id, ws] of server.connections) {
      ws.terminate();
      server.owner?.socketChanged(server.id, id, false);
    }
    server.connections.clear();
    const http = server.http;
    server.http = undefined;
    if (http) {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  }

  async destroyServer(serverId: bigint): Promise<void> {
    await this.stopServer(serverId);
    this.servers.delete(serverId);
  }

  /**
   * The shutdown monitor of any actor importing http-framework: stops every server in the shared
   * map, whoever started it, and leaves them in the map (lib.rs:1034-1100; ServerInstance::stop).
   */
  async stopAll(): Promise<void> {
    await Promise.all([...this.servers.keys()].map((id) => this.stopServer(id)));
  }

  sendWebsocketMessage(serverId: bigint, connection: bigint, message: WebsocketMessage): void {
    const ws = this.server(serverId).connections.get(connection);
    if (!ws || ws.readyState !== ws.OPEN) throw `Connection not found: ${connection}`;
    // As c50 (server_instance.rs): text needs `text`, binary needs `data`; otherwise nothing is sent.
    switch (message.ty.tag) {
      case 'text':
        if (message.text !== undefined) ws.send(message.text);
        break;
      case 'binary':
        if (message.data !== undefined) ws.send(message.data, { binary: true });
        break;
      case 'close':
        ws.close();
        break;
      case 'ping':
        ws.ping(message.data);
        break;
      case 'pong':
        ws.pong(message.data);
        break;
      default:
        // c50 drops connect and other.
        break;
    }
  }

  closeWebsocket(serverId: bigint, connection: bigint): void {
    const ws = this.server(serverId).connections.get(connection);
    if (!ws) throw `Connection not found: ${connection}`;
    ws.close();
  }
}
