/**
 * The component's imports that run on the main thread, one entry per function of each
 * `theater:simple` interface Theater c50 links (linkable.ts). The worker forwards exactly these
 * names over its RPC port (worker.ts) and the main thread runs nothing else a guest asks for: a
 * public host method that is no WIT import (stopAll, listening, …) is refused, not looked up.
 * The store, runtime, environment and filesystem imports, and send-websocket-message, run in the
 * worker itself and never reach this table.
 */
import { sendHttp } from './http-client.js';
import type { HttpFramework } from './http-framework.js';
import type { MessageRouter } from './message-router.js';
import type { Supervisor } from './supervisor.js';
import type { ActorCalls, HttpRequest, ServerConfig } from './wit-types.js';

/** What a guest call may touch: its own actor (as the http-framework calls it back) and its view of the server it runs in. */
export interface HostCallContext extends ActorCalls {
  readonly id: string;
  readonly framework: HttpFramework;
  readonly supervisor: Supervisor;
  readonly router: MessageRouter;
}

// The arguments arrive as jco lifted them for the WIT signature: each entry names their types by position.
type HostCall = (ctx: HostCallContext, args: any) => unknown;
type Table = Record<string, Record<string, HostCall>>;

export const HOST_CALLS = {
  'theater:simple/http-framework': {
    createServer: (c, [config]: [ServerConfig]) => c.framework.createServer(config),
    getServerInfo: (c, [server]: [bigint]) => c.framework.getServerInfo(server),
    // The server answers requests through the actor that started it (crates/theater-handler-http-framework/src/lib.rs:233-240).
    startServer: (c, [server]: [bigint]) => c.framework.startServer(server, c),
    stopServer: (c, [server]: [bigint]) => c.framework.stopServer(server),
    destroyServer: (c, [server]: [bigint]) => c.framework.destroyServer(server),
    registerHandler: (c, [name]: [string]) => c.framework.registerHandler(name),
    addRoute: (c, [server, path, method, handler]: [bigint, string, string, bigint]) => c.framework.addRoute(server, path, method, handler),
    removeRoute: (c, [route]: [bigint]) => c.framework.removeRoute(route),
    addMiddleware: (c, [server, path, handler]: [bigint, string, bigint]) => c.framework.addMiddleware(server, path, handler),
    removeMiddleware: (c, [middleware]: [bigint]) => c.framework.removeMiddleware(middleware),
    enableWebsocket: (c, [server, path, connect, message, disconnect]: [bigint, string, bigint | undefined, bigint, bigint | undefined]) =>
      c.framework.enableWebsocket(server, path, connect, message, disconnect),
    closeWebsocket: (c, [server, connection]: [bigint, bigint]) => c.framework.closeWebsocket(server, connection),
  },
  'theater:simple/http-client': {
    sendHttp: (_c, [request]: [HttpRequest]) => sendHttp(request),
  },
  'theater:simple/supervisor': {
    spawn: (c, [manifest, init]: [string, Uint8Array | undefined]) => c.supervisor.spawn(manifest, init),
    resume: (c, [manifest, state]: [string, Uint8Array | undefined]) => c.supervisor.resume(manifest, state),
    listChildren: (c) => c.supervisor.listChildren(),
    stopChild: (c, [child]: [string]) => c.supervisor.stopChild(child),
    restartChild: (c) => c.supervisor.restartChild(),
    getChildState: (c, [child]: [string]) => c.supervisor.getChildState(child),
  },
  // As this actor calls them (crates/theater-handler-message-server/src/lib.rs:511-925).
  'theater:simple/message-server-host': {
    send: (c, [to, data]: [string, Uint8Array]) => c.router.send(to, data),
    request: (c, [to, data]: [string, Uint8Array]) => c.router.request(to, data),
    openChannel: (c, [to, initial]: [string, Uint8Array]) => c.router.openChannel(c.id, to, initial),
    sendOnChannel: (c, [channel, data]: [string, Uint8Array]) => c.router.sendOnChannel(c.id, channel, data),
    closeChannel: (c, [channel]: [string]) => c.router.closeChannel(c.id, channel),
    // c50 never records an outstanding request (lib.rs:390-415): the list is always empty.
    listOutstandingRequests: () => [],
    respondToRequest: (_c, [request]: [string]) => {
      throw `Request ID not found: ${request}`;
    },
    cancelRequest: (_c, [request]: [string]) => {
      throw `Request ID not found: ${request}`;
    },
  },
} satisfies Table;

export type HostCallInterface = keyof typeof HOST_CALLS;

/** The function names the worker forwards for one interface. */
export function hostCallNames(iface: HostCallInterface): string[] {
  return Object.keys(HOST_CALLS[iface]);
}

/** Runs one guest call if the table lists it; anything else is refused with a WIT error string. */
export async function runHostCall(ctx: HostCallContext, iface: string, fn: string, args: unknown[]): Promise<unknown> {
  const calls: Record<string, HostCall> | undefined = Object.hasOwn(HOST_CALLS, iface) ? (HOST_CALLS as Table)[iface] : undefined;
  const call = calls && Object.hasOwn(calls, fn) ? calls[fn] : undefined;
  if (!call) throw `refused: ${iface}#${fn} is not an import the host serves to a component`;
  return call(ctx, args);
}
