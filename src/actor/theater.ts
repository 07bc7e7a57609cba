/**
 * The chat actor's adapters from the core's ports to Theater c50b1871's imports. Only src/actor
 * names Theater's WIT (`theater:simple/*`); a second Theater target gets a sibling folder.
 */
import * as store from 'theater:simple/store';
import * as framework from 'theater:simple/http-framework';
import * as supervisor from 'theater:simple/supervisor';
import * as messages from 'theater:simple/message-server-host';
import type { HttpRequest, HttpResponse } from 'theater:simple/http-types';
import type { WebsocketMessage } from 'theater:simple/websocket-types';
import type { Ports } from '../core/ports.js';
import type { GeneratorLink } from '../core/generator-pool.js';
import type { CoreRequest, CoreResponse } from '../core/http.js';
import { describe, log, ownBytes } from './common.js';

export { describe, log };

export type { HttpRequest, HttpResponse, WebsocketMessage };

/**
 * Generator actors through Theater: started by supervisor.spawn (the id comes back before the
 * child has compiled), reached on a message-server channel once it has registered its mailbox.
 */
export function theaterGenerators(manifest: string): GeneratorLink {
  return {
    spawn: () => {
      try {
        return supervisor.spawn(manifest, undefined);
      } catch (e) {
        throw new Error(describe(e));
      }
    },
    // c50 answers "Actor not found" until the child's handlers are set up: it is still starting.
    open: (id) => {
      try {
        return messages.openChannel(id, new Uint8Array());
      } catch {
        return undefined;
      }
    },
    send: (channel, message) => {
      try {
        messages.sendOnChannel(channel, message);
      } catch (e) {
        throw new Error(describe(e));
      }
    },
    close: (channel) => {
      try {
        messages.closeChannel(channel);
      } catch (e) {
        throw new Error(describe(e));
      }
    },
  };
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
