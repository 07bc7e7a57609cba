/** HTTP and WebSocket through Theater's http-framework: the server, requests in, responses and frames out. */
import type { CoreRequest, CoreResponse } from '../core/http.js';
import { framework, type HttpRequest, type HttpResponse } from './theater.js';
import { ownBytes } from './common.js';
import { ScratchBuffers } from './scratch.js';

const ROUTE_PARAM_PREFIX = 'x-route-param-';

/** c50 appends route parameters as `X-Route-Param-<name>` headers after the client's own. */
export function toCoreRequest(req: HttpRequest): CoreRequest {
  const url = new URL(req.uri, 'http://actor.invalid');
  const headers = new Map<string, string>();
  const params: Record<string, string> = {};
  for (const [name, value] of req.headers) {
    const lower = name.toLowerCase();
    if (lower.startsWith(ROUTE_PARAM_PREFIX)) params[name.slice(ROUTE_PARAM_PREFIX.length)] = value;
    else headers.set(lower, value);
  }
  return { method: req.method.toUpperCase(), path: url.pathname, query: url.searchParams, headers, params, body: req.body && ownBytes(req.body) };
}

export function toHttpResponse(res: CoreResponse): HttpResponse {
  return { status: res.status, headers: res.headers, body: res.body };
}

export interface ServerIds {
  server: bigint;
  /** handler id → index into the core's route table */
  routes: Map<bigint, number>;
  websocket: bigint;
}

export function startServer(
  config: { host: string; port: number; tls?: { cert_path: string; key_path: string } },
  routes: readonly { method: string; pattern: string }[],
  websocketPath: string,
): { ids: ServerIds; port: number } {
  const tlsConfig = config.tls && { certPath: config.tls.cert_path, keyPath: config.tls.key_path };
  const server = framework.createServer({ host: config.host, port: config.port, ...(tlsConfig ? { tlsConfig } : {}) });
  const routeIds = new Map<bigint, number>();
  routes.forEach((route, index) => {
    const handler = framework.registerHandler(`${route.method} ${route.pattern}`);
    framework.addRoute(server, route.pattern, route.method, handler);
    routeIds.set(handler, index);
  });
  const websocket = framework.registerHandler('websocket');
  framework.enableWebsocket(server, websocketPath, websocket, websocket, websocket);
  const port = framework.startServer(server);
  return { ids: { server, routes: routeIds, websocket }, port };
}

/**
 * A string passed out of the component is encoded again on every call, into room for three bytes
 * a character (the generated glue measured it a character at a time, ≈ 0.3 µs each, until the
 * build's rewrite: scripts/tune-bindings.mjs); bytes are copied as they are. So a frame over this
 * size, and a frame that goes to several connections (encoded once for all of them), travel as
 * binary frames holding the same UTF-8 JSON (docs/protocol.md).
 */
const TEXT_FRAME_MAX = 1024;
/** One slot per distinct frame of a call: a broadcast's bytes stay valid while it goes to each recipient. */
const frameBytes = new ScratchBuffers();

export type WireFrame = { ty: { tag: 'text' }; text: string } | { ty: { tag: 'binary' }; data: Uint8Array };

/** `nextSlot`: where this call's next binary frame keeps its bytes (until the next call). */
export function wireFrame(json: string, recipients: number, nextSlot: () => number): WireFrame {
  return json.length <= TEXT_FRAME_MAX && recipients === 1 ? { ty: { tag: 'text' }, text: json } : { ty: { tag: 'binary' }, data: frameBytes.encode(json, nextSlot()) };
}

export function sendFrame(server: bigint, connection: bigint, frame: WireFrame): void {
  framework.sendWebsocketMessage(server, connection, frame);
}

/** Ends a connection from the actor's side (c50: a close frame without a code). */
export function closeSocket(server: bigint, connection: bigint): void {
  framework.closeWebsocket(server, connection);
}
