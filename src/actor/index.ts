/**
 * The chat component's exports: each decodes the state, runs the core, and encodes the answer,
 * through one wrapper that makes it total, because on Theater an Err or a trap stops the actor
 * for good (theater-c50.md §3.2). Everything Theater-specific is in the files this one imports.
 */
import {
  ROUTES,
  WEBSOCKET_PATH,
  advance,
  binaryFrameRefused,
  handleHttp,
  onConnect,
  onDisconnect,
  onGeneratorGoneAway,
  onGeneratorMessage,
  onSocketText,
  startup,
  type CallResult,
  type Context,
} from '../core/app.js';
import { parseInitConfig } from '../core/config.js';
import { connectionId } from '../core/ids.js';
import { AppError } from '../core/errors.js';
import { errorResponse } from '../core/http.js';
import type {
  ActorExports,
  ChannelAccept,
  HttpHandlerExports,
  HttpRequest,
  HttpResponse,
  MessageClientExports,
  SupervisorHandlerExports,
  WebsocketMessage,
  WitActorError,
} from './theater.js';
import { describe, log, ownBytes, withoutTimers, type Awaitable } from './common.js';
import { theaterPorts } from './ports.js';
import { startServer, toCoreRequest, toHttpResponse } from './http.js';
import { compactRoutes, decodeState, encodeState, routeIndex, withCore, type ActorState } from './actor-state.js';
import { contextOf, finishCall, forgetSettings } from './instance.js';

withoutTimers();

type Bytes = Uint8Array | undefined;

const STATE_LOST = new AppError('internal', 'actor state is missing or unreadable; restart the actor');
const INTERNAL = new AppError('internal', 'internal error');

async function guard<T>(what: string, fallback: T, run: () => Promise<T> | T): Promise<T> {
  try {
    return await run();
  } catch (e) {
    log(`error: ${what}: ${describe(e)}`);
    return fallback;
  }
}

/**
 * Every export that works on the state goes through here. When the state cannot be read, or
 * anything throws, the old state is kept and `otherwise` says what to answer.
 */
function withState<R extends unknown[]>(
  what: string,
  stateBytes: Bytes,
  otherwise: (problem: AppError) => R,
  body: (state: ActorState) => Promise<[Bytes, ...R]> | [Bytes, ...R],
): Promise<[Bytes, ...R]> {
  return guard<[Bytes, ...R]>(what, [stateBytes, ...otherwise(INTERNAL)], () => {
    const state = decodeState(stateBytes);
    return state ? body(state) : [stateBytes, ...otherwise(STATE_LOST)];
  });
}

/** A call that runs the core and may send frames: the new state is encoded only if it changed. */
const run = (what: string, stateBytes: Bytes, call: (ctx: Context, state: ActorState) => Promise<CallResult> | CallResult): Promise<[Bytes]> =>
  withState(what, stateBytes, () => [], async (state) => [finishCall(stateBytes, state, await call(contextOf(state), state))]);

export const actor = {
  init: (config: Bytes): Promise<[Bytes]> =>
    guard('init failed, the chat is not serving', [config], async () => {
      const { config: parsed, problem } = parseInitConfig(config);
      if (problem) log(`error: ${problem}`);
      const { state: core } = startup(theaterPorts(parsed.store_id), parsed);
      const { ids, port } = startServer(parsed, ROUTES, WEBSOCKET_PATH);
      log(`info: serving ${parsed.tls ? 'https' : 'http'}://${parsed.host}:${port}/ (store ${parsed.store_id})`);
      const state: ActorState = { core, server: ids.server.toString(), routes: compactRoutes(ids.routes) };
      forgetSettings();
      // The first generator starts now: on Theater it compiles for seconds, before anyone asks.
      const { state: started } = await advance(contextOf(state), { state: core, outbound: [] });
      return [encodeState(withCore(state, started))];
    }),
} satisfies { [K in keyof typeof ActorExports]: Awaitable<(typeof ActorExports)[K]> };

/**
 * On c50 these reach only the first supervising actor of a server, about every child of every
 * actor (theater-c50.md §14): a hint that a generator is gone when they come, never relied upon.
 */
export const supervisorHandlers = {
  handleChildExit: (stateBytes: Bytes, [child]: [string, Bytes]) =>
    run('child exit', stateBytes, (ctx) => onGeneratorGoneAway(ctx, { id: child }, 'ended')),
  handleChildError: (stateBytes: Bytes, [child, error]: [string, WitActorError]) =>
    run('child error', stateBytes, (ctx) => onGeneratorGoneAway(ctx, { id: child }, `failed (${error.errorType})`)),
  handleChildExternalStop: (stateBytes: Bytes, [child]: [string]) =>
    run('child stop', stateBytes, (ctx) => onGeneratorGoneAway(ctx, { id: child }, 'was stopped')),
} satisfies { [K in keyof typeof SupervisorHandlerExports]: Awaitable<(typeof SupervisorHandlerExports)[K]> };

/** The generators' channels: their answers arrive here. Nobody else may open one. */
export const messageServerClient = {
  handleSend: (stateBytes: Bytes): [Bytes] => [stateBytes],
  handleRequest: (stateBytes: Bytes): [Bytes, [Bytes]] => [stateBytes, [undefined]],
  handleChannelOpen: (stateBytes: Bytes): [Bytes, [ChannelAccept]] => [stateBytes, [{ accepted: false, message: undefined }]],
  handleChannelMessage: (stateBytes: Bytes, [channel, bytes]: [string, Uint8Array]) =>
    run('generator message', stateBytes, (ctx) => onGeneratorMessage(ctx, channel, ownBytes(bytes))),
  handleChannelClose: (stateBytes: Bytes, [channel]: [string]) =>
    run('generator channel closed', stateBytes, (ctx) => onGeneratorGoneAway(ctx, { channel }, 'closed its channel')),
} satisfies { [K in keyof typeof MessageClientExports]: Awaitable<(typeof MessageClientExports)[K]> };

const failed = (problem: AppError): [[HttpResponse]] => [[toHttpResponse(errorResponse(problem))]];

export const httpHandlers = {
  handleRequest: (stateBytes: Bytes, [handler, request]: [bigint, HttpRequest]) =>
    withState<[[HttpResponse]]>('handle-request', stateBytes, failed, async (state) => {
      const index = routeIndex(state.routes, handler);
      const route = index === undefined ? undefined : ROUTES[index];
      if (!route) return [stateBytes, ...failed(new AppError('not_found', 'no such route'))];
      const result = await handleHttp(contextOf(state), route, toCoreRequest(request));
      return [finishCall(stateBytes, state, result), [toHttpResponse(result.response)]];
    }),

  /** No middleware is registered; pass everything through unchanged. */
  handleMiddleware: (stateBytes: Bytes, [, request]: [bigint, HttpRequest]): [Bytes, [{ proceed: boolean; request: HttpRequest }]] => [
    stateBytes,
    [{ proceed: true, request }],
  ],

  handleWebsocketConnect: (stateBytes: Bytes, [, connection]: [bigint, bigint, string, string | undefined]) =>
    withState('websocket-connect', stateBytes, () => [], (state) => [encodeState(withCore(state, onConnect(state.core, connectionId(connection))))]),

  /** Replies go through send-websocket-message: c50 drops whatever this returns. */
  handleWebsocketMessage: (stateBytes: Bytes, [, connection, message]: [bigint, bigint, WebsocketMessage]) =>
    withState<[[WebsocketMessage[]]]>('websocket-message', stateBytes, () => [[[]]], async (state) => {
      const id = connectionId(connection);
      if (message.ty.tag === 'text') return [finishCall(stateBytes, state, await onSocketText(contextOf(state), id, message.text ?? '')), [[]]];
      if (message.ty.tag === 'binary') return [finishCall(stateBytes, state, { state: state.core, outbound: [binaryFrameRefused(id)] }), [[]]];
      return [stateBytes, [[]]];
    }),

  handleWebsocketDisconnect: (stateBytes: Bytes, [, connection]: [bigint, bigint]) =>
    withState('websocket-disconnect', stateBytes, () => [], (state) => [encodeState(withCore(state, onDisconnect(state.core, connectionId(connection))))]),
} satisfies { [K in keyof typeof HttpHandlerExports]: Awaitable<(typeof HttpHandlerExports)[K]> };
