/**
 * Composition root of the component: decode Theater's calls, run the core, encode the answer.
 * Every export is total: it catches everything and keeps the previous state, because on
 * Theater an Err or a trap stops the actor for good (theater-c50.md §3.2).
 */
import { z } from 'zod';
import assets from 'virtual:assets';
import type * as HttpHandlers from 'theater:simple/http-handlers';
import type * as Actor from 'theater:simple/actor';
import type * as SupervisorHandlers from 'theater:simple/supervisor-handlers';
import type * as MessageClient from 'theater:simple/message-server-client';
import { parseInitConfig } from '../core/config.js';
import {
  CoreStateWire,
  packState,
  unpackState,
  type CoreState,
  ROUTES,
  WEBSOCKET_PATH,
  binaryFrameRefused,
  handleHttp,
  onConnect,
  onGeneratorGoneAway,
  onGeneratorMessage,
  onDisconnect,
  onSocketText,
  startup,
  advance,
  loadSettings,
  type Settings,
  type Context,
  type Outbound,
} from '../core/app.js';
import { AppError } from '../core/errors.js';
import { NodeCache } from '../core/dag/cache.js';
import { SearchIndex } from '../core/search/index.js';
import { ModelDirectory } from '../core/claude/directory.js';
import type { Llm } from '../core/claude/llm.js';
import { theaterClaude } from './claude.js';

// The SDK arms a timer around every request; without WASI clocks setTimeout traps. The host's
// send-http blocks until the response is complete, so a timer that never fires loses nothing.
let timerId = 0;
globalThis.setTimeout = (() => ++timerId) as unknown as typeof setTimeout;
globalThis.clearTimeout = (() => undefined) as typeof clearTimeout;

/** About 20 MB of typical messages: enough for the chats in use, bounded for a long-lived instance. */
const NODE_CACHE_ENTRIES = 20_000;
import { errorResponse, json } from '../core/http.js';
import { describe, log, sendJson, startServer, theaterGenerators, theaterPorts, toCoreRequest, toHttpResponse } from './theater.js';
import { ownBytes } from './common.js';
import type { HttpRequest, WebsocketMessage } from './theater.js';

/**
 * The state Theater keeps for the actor: the core's wire form beside what only this adapter knows,
 * in one flat object (every byte of it is in c50's chain twice per call).
 */
const ActorStateWire = CoreStateWire.extend({
  /** u64 ids kept as decimal strings: JSON has no bigint. */
  server: z.string(),
  /**
   * Which route a handler id serves: the first id when the ids came out consecutive (always, unless
   * another actor registered handlers at the same moment: c50's counter is server-wide), else a map.
   */
  routes: z.union([z.string(), z.record(z.string(), z.number().int().nonnegative())]),
});
interface ActorState {
  core: CoreState;
  server: string;
  routes: z.infer<typeof ActorStateWire>['routes'];
}

/** jco's guest types do not say that an export may return a Promise; componentize-js settles it. */
type Awaitable<F> = F extends (...args: infer A) => infer R ? (...args: A) => R | Promise<R> : never;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The state Theater hands back is almost always the bytes this instance returned last time, so
 * keep their decoded form: parsing with zod inside the component costs more than the call itself.
 */
let lastState: { text: string; state: ActorState } | undefined;

function encodeState(state: ActorState): Uint8Array {
  const text = JSON.stringify({ ...packState(state.core), server: state.server, routes: state.routes });
  lastState = { text, state };
  return encoder.encode(text);
}

function decodeState(bytes: Uint8Array | undefined): ActorState | undefined {
  if (!bytes) return undefined;
  // Decoding and comparing strings are native in the engine; a byte loop is interpreted and slower.
  const text = decoder.decode(bytes);
  if (lastState?.text === text) return lastState.state;
  try {
    const parsed = ActorStateWire.safeParse(JSON.parse(text));
    if (!parsed.success) return undefined;
    const { server, routes } = parsed.data;
    const state: ActorState = { core: unpackState(parsed.data), server, routes };
    lastState = { text, state };
    return state;
  } catch {
    return undefined;
  }
}

function routeIndex(routes: ActorState['routes'], handler: bigint): number | undefined {
  if (typeof routes !== 'string') return routes[handler.toString()];
  const index = Number(handler - BigInt(routes));
  return index >= 0 && index < ROUTES.length ? index : undefined;
}

function compactRoutes(ids: Map<bigint, number>): ActorState['routes'] {
  const entries = [...ids];
  const first = entries[0]![0];
  if (entries.every(([handler, index]) => handler === first + BigInt(index))) return first.toString();
  return Object.fromEntries(entries.map(([handler, index]) => [handler.toString(), index]));
}

/** Lives as long as this instance: the ports, the verified nodes already read, the model list, this start's settings. */
let instance:
  | { storeId: string; ports: Context['ports']; cache: NodeCache; llm: Llm; models: ModelDirectory; search: SearchIndex; settings?: Settings }
  | undefined;
let baseUrlFromInit: string | undefined;

function contextOf(state: ActorState): Context {
  const storeId = state.core.store_id;
  if (instance?.storeId !== storeId) {
    const ports = theaterPorts(storeId);
    instance = {
      storeId,
      ports,
      search: new SearchIndex(ports),
      cache: new NodeCache(NODE_CACHE_ENTRIES),
      llm: theaterClaude(() => baseUrlFromInit),
      models: new ModelDirectory(),
    };
  }
  instance.settings ??= loadSettings(instance.ports);
  const settings = instance.settings;
  baseUrlFromInit = settings.anthropic_base_url;
  const server = BigInt(state.server);
  return {
    ports: instance.ports,
    state: state.core,
    settings,
    assets,
    cache: instance.cache,
    llm: instance.llm,
    models: instance.models,
    search: instance.search,
    generators: settings.generator_manifest ? theaterGenerators(settings.generator_manifest) : undefined,
    // A peer found gone here is forgotten when the call's last frames go out (finishCall).
    emit: (outbound) => void send(server, outbound),
  };
}

function withCore(state: ActorState, core: CoreState): ActorState {
  return core === state.core ? state : { ...state, core };
}

/** Sends each frame; returns the connections that turned out to be gone. */
function send(server: bigint, outbound: Outbound[]): string[] {
  const gone: string[] = [];
  for (const { connection, frame } of outbound) {
    try {
      sendJson(server, BigInt(connection), JSON.stringify(frame));
    } catch (e) {
      log(`warn: could not send to ${connection}: ${describe(e)}`);
      gone.push(connection);
    }
  }
  return gone;
}

/**
 * The end of a call: its frames sent, peers found gone forgotten (their disconnect may never come),
 * and the state bytes re-encoded only when something changed.
 */
function finishCall(stateBytes: Uint8Array | undefined, state: ActorState, result: { state: CoreState; outbound: Outbound[] }): Uint8Array | undefined {
  let core = result.state;
  for (const connection of send(BigInt(state.server), result.outbound)) core = onDisconnect(core, connection);
  return core === state.core ? stateBytes : encodeState(withCore(state, core));
}

const STATE_LOST = new AppError('internal', 'actor state is missing or unreadable; restart the actor');

export const actor = {
  async init(stateBytes: Uint8Array | undefined): Promise<[Uint8Array | undefined]> {
    try {
      const { config, problem } = parseInitConfig(stateBytes);
      if (problem) log(`error: ${problem}`);
      const ports = theaterPorts(config.store_id);
      const { state: core } = startup(ports, config);
      const { ids, port } = startServer(config, ROUTES, WEBSOCKET_PATH);
      log(`info: serving http://${config.host}:${port}/ (store ${config.store_id})`);
      const state: ActorState = { core, server: ids.server.toString(), routes: compactRoutes(ids.routes) };
      // This start's settings (just written), not any an earlier start of this instance read.
      if (instance) instance.settings = undefined;
      // The first generator starts now: on Theater it compiles for seconds, before anyone asks.
      const { state: started } = await advance(contextOf(state), { state: core, outbound: [] });
      return [encodeState(withCore(state, started))];
    } catch (e) {
      log(`error: init failed, the chat is not serving: ${describe(e)}`);
      return [stateBytes];
    }
  },
} satisfies { [K in keyof typeof Actor]: Awaitable<(typeof Actor)[K]> };

/** Apply a generator's news to the state and tell those viewing the chat. */
async function generatorEvent(stateBytes: Uint8Array | undefined, run: (ctx: Context) => Promise<{ state: CoreState; outbound: Outbound[] }>): Promise<[Uint8Array | undefined]> {
  try {
    const state = decodeState(stateBytes);
    if (!state) return [stateBytes];
    return [finishCall(stateBytes, state, await run(contextOf(state)))];
  } catch (e) {
    log(`error: generator event: ${describe(e)}`);
    return [stateBytes];
  }
}

/**
 * On c50 these reach only the first supervising actor of a server, about every child of every
 * actor (theater-c50.md §14): a hint that a generator is gone when they come, never relied upon.
 */
export const supervisorHandlers = {
  handleChildExit: (stateBytes: Uint8Array | undefined, [child]: [string, Uint8Array | undefined]) =>
    generatorEvent(stateBytes, (ctx) => onGeneratorGoneAway(ctx, { id: child }, 'ended')),
  handleChildError: (stateBytes: Uint8Array | undefined, [child, error]: [string, SupervisorHandlers.WitActorError]) =>
    generatorEvent(stateBytes, (ctx) => onGeneratorGoneAway(ctx, { id: child }, `failed (${error.errorType})`)),
  handleChildExternalStop: (stateBytes: Uint8Array | undefined, [child]: [string]) =>
    generatorEvent(stateBytes, (ctx) => onGeneratorGoneAway(ctx, { id: child }, 'was stopped')),
} satisfies { [K in keyof typeof SupervisorHandlers]: Awaitable<(typeof SupervisorHandlers)[K]> };

/** The generators' channels: their answers arrive here. Nobody else may open one. */
export const messageServerClient = {
  handleSend: (stateBytes: Uint8Array | undefined): [Uint8Array | undefined] => [stateBytes],
  handleRequest: (stateBytes: Uint8Array | undefined): [Uint8Array | undefined, [Uint8Array | undefined]] => [stateBytes, [undefined]],
  handleChannelOpen: (stateBytes: Uint8Array | undefined): [Uint8Array | undefined, [MessageClient.ChannelAccept]] => [stateBytes, [{ accepted: false, message: undefined }]],
  handleChannelMessage: (stateBytes: Uint8Array | undefined, [channel, bytes]: [string, Uint8Array]) =>
    generatorEvent(stateBytes, (ctx) => onGeneratorMessage(ctx, channel, ownBytes(bytes))),
  handleChannelClose: (stateBytes: Uint8Array | undefined, [channel]: [string]) =>
    generatorEvent(stateBytes, (ctx) => onGeneratorGoneAway(ctx, { channel }, 'closed its channel')),
} satisfies { [K in keyof typeof MessageClient]: Awaitable<(typeof MessageClient)[K]> };

export const httpHandlers = {
  async handleRequest(stateBytes: Uint8Array | undefined, [handler, request]: [bigint, HttpRequest]) {
    try {
      const state = decodeState(stateBytes);
      if (!state) return [stateBytes, [toHttpResponse(errorResponse(STATE_LOST))]] as [Uint8Array | undefined, [HttpHandlers.HttpResponse]];
      const index = routeIndex(state.routes, handler);
      const route = index === undefined ? undefined : ROUTES[index];
      if (!route) return [stateBytes, [toHttpResponse(errorResponse(new AppError('not_found', 'no such route')))]] as [Uint8Array | undefined, [HttpHandlers.HttpResponse]];
      const result = await handleHttp(contextOf(state), route, toCoreRequest(request));
      return [finishCall(stateBytes, state, result), [toHttpResponse(result.response)]] as [Uint8Array | undefined, [HttpHandlers.HttpResponse]];
    } catch (e) {
      log(`error: handle-request: ${describe(e)}`);
      return [stateBytes, [toHttpResponse(json(500, { error: { code: 'internal', message: 'internal error' } }))]] as [
        Uint8Array | undefined,
        [HttpHandlers.HttpResponse],
      ];
    }
  },

  /** No middleware is registered; pass everything through unchanged. */
  handleMiddleware(stateBytes: Uint8Array | undefined, [, request]: [bigint, HttpRequest]) {
    return [stateBytes, [{ proceed: true, request }]] as [Uint8Array | undefined, [HttpHandlers.MiddlewareResult]];
  },

  handleWebsocketConnect(stateBytes: Uint8Array | undefined, [, connection]: [bigint, bigint, string, string | undefined]) {
    try {
      const state = decodeState(stateBytes);
      if (!state) return [stateBytes] as [Uint8Array | undefined];
      return [encodeState(withCore(state, onConnect(state.core, connection.toString())))] as [Uint8Array | undefined];
    } catch (e) {
      log(`error: websocket-connect: ${describe(e)}`);
      return [stateBytes] as [Uint8Array | undefined];
    }
  },

  /** Replies go through send-websocket-message: c50 drops whatever this returns. */
  async handleWebsocketMessage(stateBytes: Uint8Array | undefined, [, connection, message]: [bigint, bigint, WebsocketMessage]) {
    const none: [Uint8Array | undefined, [WebsocketMessage[]]] = [stateBytes, [[]]];
    try {
      const state = decodeState(stateBytes);
      if (!state) return none;
      const id = connection.toString();
      let result: { state: CoreState; outbound: Outbound[] };
      if (message.ty.tag === 'text') result = await onSocketText(contextOf(state), id, message.text ?? '');
      else if (message.ty.tag === 'binary') result = { state: state.core, outbound: [binaryFrameRefused(id)] };
      else return none;
      return [finishCall(stateBytes, state, result), [[]]] as [Uint8Array | undefined, [WebsocketMessage[]]];
    } catch (e) {
      log(`error: websocket-message: ${describe(e)}`);
      return none;
    }
  },

  handleWebsocketDisconnect(stateBytes: Uint8Array | undefined, [, connection]: [bigint, bigint]) {
    try {
      const state = decodeState(stateBytes);
      if (!state) return [stateBytes] as [Uint8Array | undefined];
      return [encodeState(withCore(state, onDisconnect(state.core, connection.toString())))] as [Uint8Array | undefined];
    } catch (e) {
      log(`error: websocket-disconnect: ${describe(e)}`);
      return [stateBytes] as [Uint8Array | undefined];
    }
  },
} satisfies { [K in keyof typeof HttpHandlers]: Awaitable<(typeof HttpHandlers)[K]> };
