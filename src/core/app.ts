import { z } from 'zod';
import type { Ports } from './ports.js';
import { AppError, toAppError } from './errors.js';
import { errorResponse, json, type CoreRequest, type CoreResponse } from './http.js';
import { parseFrame, PROTOCOL_VERSION, type ClientCommand, type ServerFrame } from './protocol.js';
import { serveAsset, type AssetTable } from './assets.js';
import { openStore } from './store-meta.js';
import { APP_VERSION } from './version.js';

/** What survives between calls. Small by design: no messages, no caches, no secrets. */
export const CoreState = z.object({
  store_id: z.string(),
  /** Open WebSocket connections, as decimal ids. */
  connections: z.array(z.string()).max(100_000),
});
export type CoreState = z.infer<typeof CoreState>;

export interface Context {
  ports: Ports;
  state: CoreState;
  assets: AssetTable;
}

/** A frame to send after the call; the adapter performs it (the core never sends itself). */
export interface Outbound {
  connection: string;
  frame: ServerFrame;
}

export interface SocketResult {
  state: CoreState;
  outbound: Outbound[];
}

type RouteHandler = (ctx: Context, req: CoreRequest) => CoreResponse;

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Theater's (axum's) pattern syntax: `{name}` and `{*rest}`. */
  pattern: string;
  handle: RouteHandler;
}

export const ROUTES: readonly Route[] = [
  { method: 'GET', pattern: '/', handle: (ctx) => serveAsset(ctx.assets, 'index.html') },
  { method: 'GET', pattern: '/assets/{*path}', handle: (ctx, req) => serveAsset(ctx.assets, req.params.path ?? '') },
  {
    method: 'GET',
    pattern: '/api/health',
    handle: (ctx) => json(200, { status: 'ok', version: APP_VERSION, protocol: PROTOCOL_VERSION, store_id: ctx.state.store_id }),
  },
];

export const WEBSOCKET_PATH = '/ws';

export function startup(ports: Ports, storeId: string): CoreState {
  openStore(ports, storeId);
  return { store_id: storeId, connections: [] };
}

export function handleHttp(ctx: Context, route: Route, req: CoreRequest): CoreResponse {
  try {
    return route.handle(ctx, req);
  } catch (e) {
    const err = toAppError(e);
    if (err.code === 'internal') ctx.ports.log.error(`HTTP ${req.method} ${req.path}: ${err.message}`);
    return errorResponse(err);
  }
}

export function onConnect(state: CoreState, connection: string): CoreState {
  if (state.connections.includes(connection)) return state;
  return { ...state, connections: [...state.connections, connection] };
}

export function onDisconnect(state: CoreState, connection: string): CoreState {
  return { ...state, connections: state.connections.filter((c) => c !== connection) };
}

export function onSocketText(ctx: Context, connection: string, text: string): SocketResult {
  const parsed = parseFrame(text);
  const reply = (frame: ServerFrame): SocketResult => ({ state: ctx.state, outbound: [{ connection, frame }] });
  const fail = (e: AppError, requestId = parsed.requestId): SocketResult =>
    reply({ type: 'error', code: e.code, message: e.message, ...(requestId ? { request_id: requestId } : {}) });
  if (parsed.error || !parsed.command) return fail(parsed.error ?? new AppError('bad_request', 'empty command'));
  try {
    return runCommand(ctx, connection, parsed.command);
  } catch (e) {
    const err = toAppError(e);
    if (err.code === 'internal') ctx.ports.log.error(`command ${parsed.command.type}: ${err.message}`);
    return fail(err);
  }
}

function runCommand(ctx: Context, connection: string, command: ClientCommand): SocketResult {
  switch (command.type) {
    case 'ping':
      return {
        state: ctx.state,
        outbound: [{ connection, frame: { type: 'pong', protocol: PROTOCOL_VERSION, ...(command.request_id ? { request_id: command.request_id } : {}) } }],
      };
  }
}

export function binaryFrameRefused(connection: string): Outbound {
  return { connection, frame: { type: 'error', code: 'bad_request', message: 'binary frames are not supported; send JSON text' } };
}
