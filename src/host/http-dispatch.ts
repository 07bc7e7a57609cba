/**
 * How a running http-framework server hands its traffic to the actor that started it: requests
 * through routing, middleware and the handler, WebSocket upgrades through the origin check to the
 * socket's connect, message and disconnect calls. The registry these read is http-framework.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { WebSocketServer, WebSocket, RawData } from 'ws';
import { matchPattern } from './router.js';
import type { FrozenRoute, ServerEntry, WebsocketEntry } from './http-framework.js';
import type { HttpRequest, HttpResponse, MiddlewareResult, WebsocketMessage } from './wit-types.js';

/**
 * c50 reads the body with axum::body::to_bytes(body, 100 MiB) and hands a bigger one to the actor
 * as `none` (crates/theater-handler-http-framework/src/server_instance.rs:845-851); no
 * DefaultBodyLimit layer applies to the raw Request extractor.
 */
export const BODY_LIMIT = 100 * 1024 * 1024;

function find(server: ServerEntry, path: string): { route: FrozenRoute; params: Record<string, string> } | undefined {
  for (const route of server.frozen ?? []) {
    const params = matchPattern(route.compiled, path);
    if (params) return { route, params };
  }
  return undefined;
}

/** One HTTP request to a running server: route, middleware, then the owner's handler (server_instance.rs). */
export async function serveRequest(server: ServerEntry, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const actor = server.owner!;
  const url = req.url ?? '/';
  const path = url.split('?')[0] ?? '/';
  const found = find(server, path);
  const method = (req.method ?? 'GET').toUpperCase();
  if (!found) return void res.writeHead(404).end();
  const handler = found.route.methods.get(method) ?? (method === 'HEAD' ? found.route.methods.get('GET') : undefined);
  if (handler === undefined) return void res.writeHead(405).end();
  let request: HttpRequest = { method, uri: url, headers: toHeaderList(req.rawHeaders), body: await readBody(req) };
  for (const [name, value] of Object.entries(found.params)) request.headers.push([`X-Route-Param-${name}`, value]);
  try {
    for (const mw of server.middleware.values()) {
      if (!(path.startsWith(mw.path) || mw.path === '/*')) continue;
      const result: MiddlewareResult = await actor.handleMiddleware(mw.handler, request);
      if (!result.proceed) return void res.writeHead(403).end();
      request = result.request;
    }
    writeResponse(res, await actor.handleRequest(handler, request));
  } catch {
    // The actor failed: on Theater the calling task panics and the client gets no response.
    res.destroy();
  }
}

function originAllowed(server: ServerEntry, req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true; // not a browser: the actor's own guard decides
  if (server.owner?.allowedOrigins?.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/** A WebSocket upgrade on a running server: the path must be enabled and the origin allowed. */
export function serveUpgrade(wss: WebSocketServer, server: ServerEntry, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const entry = server.websockets.get(path);
  if (!entry) return void socket.destroy();
  if (!originAllowed(server, req)) {
    socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => onSocket(server, entry, path, ws));
}

function onSocket(server: ServerEntry, entry: WebsocketEntry, path: string, ws: WebSocket): void {
  const id = randomBytes(8).readBigUInt64BE();
  const actor = server.owner!;
  server.connections.set(id, ws);
  actor.socketChanged(server.id, id, true);
  const fail = () => ws.terminate();
  // Calls queue in arrival order; connect is queued before any message of this socket.
  if (entry.connect !== undefined) actor.handleWebsocketConnect(entry.connect, id, path, undefined).catch(fail);
  ws.on('message', (data: RawData, isBinary: boolean) => {
    const bytes = rawToBytes(data);
    const message: WebsocketMessage = isBinary
      ? { ty: { tag: 'binary' }, data: bytes, text: undefined }
      : { ty: { tag: 'text' }, data: undefined, text: Buffer.from(bytes).toString('utf8') };
    actor.handleWebsocketMessage(entry.message, id, message).catch(fail);
  });
  ws.once('close', () => {
    if (server.connections.get(id) !== ws) return;
    server.connections.delete(id);
    actor.socketChanged(server.id, id, false);
    if (entry.disconnect !== undefined) actor.handleWebsocketDisconnect(entry.disconnect, id).catch(() => undefined);
  });
  ws.on('error', () => ws.terminate());
}

function rawToBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Lower-case names, as axum delivers them; one pair per header line. */
function toHeaderList(raw: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!.toLowerCase(), raw[i + 1]!]);
  return out;
}

/** As c50: a body that could not be read whole (too big, or the client went away) reaches the actor as none. */
async function readBody(req: IncomingMessage): Promise<Uint8Array | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooBig = false;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > BODY_LIMIT) tooBig = true;
      else chunks.push(chunk);
    }
  } catch {
    return undefined;
  }
  if (tooBig || !req.complete) return undefined;
  return new Uint8Array(Buffer.concat(chunks));
}

function writeResponse(res: ServerResponse, response: HttpResponse): void {
  // c50: an invalid status makes the response builder fail and axum sends 200 with nothing.
  if (!Number.isInteger(response.status) || response.status < 100 || response.status > 999) return void res.writeHead(200).end();
  res.statusCode = response.status;
  for (const [name, value] of response.headers) {
    try {
      res.appendHeader(name, value);
    } catch {
      // c50 drops headers that are not valid HTTP.
    }
  }
  res.end(response.body ? Buffer.from(response.body.buffer, response.body.byteOffset, response.body.byteLength) : undefined);
}
