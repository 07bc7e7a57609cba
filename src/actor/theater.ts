/**
 * The only file that names Theater c50b1871's WIT (`theater:simple/*`): adapters from the
 * core's ports to the host imports. A second Theater target gets a sibling of this file.
 */
import * as runtime from 'theater:simple/runtime';
import * as store from 'theater:simple/store';
import * as framework from 'theater:simple/http-framework';
import * as supervisor from 'theater:simple/supervisor';
import type { HttpRequest, HttpResponse } from 'theater:simple/http-types';
import type { WebsocketMessage } from 'theater:simple/websocket-types';
import type { Ports, Spawner } from '../core/ports.js';
import type { CoreRequest, CoreResponse } from '../core/http.js';

export type { HttpRequest, HttpResponse, WebsocketMessage };

/** jco raises a failed import as an Error whose `payload` holds the WIT error string. */
export function describe(e: unknown): string {
  if (e && typeof e === 'object' && 'payload' in e && typeof (e as { payload: unknown }).payload === 'string') {
    return (e as { payload: string }).payload;
  }
  return e instanceof Error ? e.message : String(e);
}

/** Generator children through Theater's supervisor: spawn with a manifest (path or TOML text), stop by id. */
export function theaterSpawner(manifest: string): Spawner {
  return {
    spawn: (init) => {
      try {
        return supervisor.spawn(manifest, init);
      } catch (e) {
        throw new Error(describe(e));
      }
    },
    stop: (id) => supervisor.stopChild(id),
  };
}

/** Ends this actor; its exit data goes to the parent's handle-child-exit. */
export function shutdown(data: Uint8Array): void {
  runtime.shutdown(data);
}

export function log(message: string): void {
  try {
    runtime.log(message);
  } catch {
    // Logging must never be the reason an export fails.
  }
}

/**
 * Bytes lifted from a host import are Uint8Arrays of another realm inside componentize-js:
 * `instanceof Uint8Array` is false, which libraries such as multiformats reject. Copy them in.
 */
export function ownBytes(bytes: Uint8Array): Uint8Array {
  return bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
}

export function theaterPorts(storeId: string): Ports {
  const ref = (hash: string) => ({ hash });
  return {
    content: {
      put: (bytes) => store.store(storeId, bytes).hash,
      get: (hash) => ownBytes(store.get(storeId, ref(hash))),
      has: (hash) => store.exists(storeId, ref(hash)),
    },
    labels: {
      get: (label) => store.getByLabel(storeId, label)?.hash,
      set: (label, hash) => store.replaceAtLabel(storeId, label, ref(hash)),
      remove: (label) => store.removeLabel(storeId, label),
    },
    log: {
      info: (m) => log(`info: ${m}`),
      warn: (m) => log(`warn: ${m}`),
      error: (m) => log(`error: ${m}`),
    },
    entropy: { uuid: () => store.new() },
  };
}

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
  config: { host: string; port: number },
  routes: readonly { method: string; pattern: string }[],
  websocketPath: string,
): { ids: ServerIds; port: number } {
  const server = framework.createServer({ host: config.host, port: config.port });
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
 * Passing a long string out of the component costs about 0.3 µs a character (a 250 KB branch:
 * 90 ms), passing bytes a few microseconds in all. So a frame over this size travels as a binary
 * frame holding the same UTF-8 JSON (docs/protocol.md).
 */
const TEXT_FRAME_MAX = 1024;
const encoder = new TextEncoder();

export function sendJson(server: bigint, connection: bigint, json: string): void {
  if (json.length <= TEXT_FRAME_MAX) framework.sendWebsocketMessage(server, connection, { ty: { tag: 'text' }, text: json });
  else framework.sendWebsocketMessage(server, connection, { ty: { tag: 'binary' }, data: encoder.encode(json) });
}
