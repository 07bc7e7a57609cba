/**
 * The chat app as the actor sees it: HTTP routes, WebSocket connections and commands. Calls in,
 * effects out (a response, frames to send); the adapter performs the effects.
 */
import { z } from 'zod';
import type { Ports, Spawner } from './ports.js';
import { Pending, parseExit, settle } from './generations.js';
import type { Effects } from './commands.js';
import type { LlmOutcome } from './claude/llm.js';
import { AppError, toAppError } from './errors.js';
import { errorResponse, type CoreRequest, type CoreResponse } from './http.js';
import { parseFrame } from './protocol/commands.js';
import type { Reply, ServerFrame } from './protocol/frames.js';
import type { AssetTable } from './assets.js';
import { openStore } from './store-meta.js';
import { ChatService } from './chats/service.js';
import type { NodeCache } from './dag/cache.js';
import type { SearchIndex } from './search/index.js';
import type { Llm } from './claude/llm.js';
import { ModelDirectory } from './claude/directory.js';
import { runCommand, type Broadcast, type Limits } from './commands.js';
import type { InitConfig } from './config.js';
import { REST_ROUTES, type Route } from './rest.js';

export { REST_ROUTES as ROUTES, type Route };

const Connection = z.object({
  /** Has presented the page's session token: until then no command is answered. */
  authed: z.boolean(),
  chat: z.string().nullable(),
});

/** What survives between calls. Small by design: no messages, no caches, no secrets of the user. */
export const CoreState = z.object({
  store_id: z.string(),
  /** Made at every start from host entropy and written into the page: another origin cannot read it. */
  session_token: z.string(),
  bind_host: z.string(),
  allowed_origins: z.array(z.string()),
  limits: z.object({ max_content_bytes: z.number().int().positive(), max_tokens: z.number().int().positive() }),
  anthropic_base_url: z.string().optional(),
  generation_timeout_ms: z.number().int().positive(),
  generator_manifest: z.string(),
  connections: z.record(z.string(), Connection),
  /** Generations running in child actors, by child id: a few bytes each, never the request. */
  generations: z.record(z.string(), Pending),
});
export type CoreState = z.infer<typeof CoreState>;

export interface Context {
  ports: Ports;
  state: CoreState;
  assets: AssetTable;
  /** Verified nodes kept by the caller between calls (the actor instance); optional. */
  cache?: NodeCache;
  llm?: Llm;
  models?: ModelDirectory;
  /** Sends frames now, before the call ends (e.g. "generation started" before Claude is asked). */
  emit?: (outbound: Outbound[]) => void;
  spawner?: Spawner;
  /** The full-text index, kept by the instance between calls. */
  search?: SearchIndex;
}

/** A frame to send after the call; the adapter performs it (the core never sends itself). */
export interface Outbound {
  connection: string;
  frame: Reply;
}

export interface CallResult {
  state: CoreState;
  outbound: Outbound[];
}

export interface HttpResult extends CallResult {
  response: CoreResponse;
}

export const WEBSOCKET_PATH = '/ws';

export function startup(ports: Ports, config: InitConfig): CoreState {
  openStore(ports, config.store_id);
  return {
    store_id: config.store_id,
    session_token: `${ports.entropy.uuid()}${ports.entropy.uuid()}`.replace(/-/g, ''),
    bind_host: config.host,
    allowed_origins: config.allowed_origins,
    limits: { max_content_bytes: config.max_content_bytes, max_tokens: config.max_tokens },
    ...(config.anthropic_base_url ? { anthropic_base_url: config.anthropic_base_url } : {}),
    generation_timeout_ms: config.generation_timeout_ms,
    generator_manifest: config.generator_manifest,
    connections: {},
    generations: {},
  };
}

/** The chats as this call sees them, over the instance's node cache and search index. */
function chatsOf(ctx: Context): ChatService {
  return new ChatService(ctx.ports, ctx.cache, ctx.search);
}

function deliver(state: CoreState, sender: string | undefined, broadcasts: Broadcast[]): Outbound[] {
  const out: Outbound[] = [];
  for (const b of broadcasts) {
    for (const [id, conn] of Object.entries(state.connections)) {
      if (!conn.authed || (b.skipSender && id === sender)) continue;
      if (b.to === 'all' || conn.chat === b.to.chat) out.push({ connection: id, frame: b.frame });
    }
  }
  return out;
}

export async function handleHttp(ctx: Context, route: Route, req: CoreRequest): Promise<HttpResult> {
  try {
    const result = await route.handle({ ...ctx, chats: chatsOf(ctx) }, req);
    return { state: ctx.state, response: result.response, outbound: deliver(ctx.state, undefined, result.broadcasts ?? []) };
  } catch (e) {
    const err = toAppError(e);
    if (err.code === 'internal' || err.code === 'corrupt_object') ctx.ports.log.error(`HTTP ${req.method} ${req.path}: ${err.message}`);
    return { state: ctx.state, response: errorResponse(err), outbound: [] };
  }
}

export function onConnect(state: CoreState, connection: string): CoreState {
  if (state.connections[connection]) return state;
  return { ...state, connections: { ...state.connections, [connection]: { authed: false, chat: null } } };
}

export function onDisconnect(state: CoreState, connection: string): CoreState {
  if (!state.connections[connection]) return state;
  const { [connection]: _gone, ...rest } = state.connections;
  return { ...state, connections: rest };
}

export async function onSocketText(ctx: Context, connection: string, text: string): Promise<CallResult> {
  const parsed = parseFrame(text);
  const reply = (frame: ServerFrame, state = ctx.state): CallResult => ({
    state,
    outbound: [{ connection, frame: parsed.requestId ? { ...frame, request_id: parsed.requestId } : frame }],
  });
  const fail = (e: AppError) => reply({ type: 'error', code: e.code, message: e.message });
  if (parsed.error || !parsed.command) return fail(parsed.error ?? new AppError('bad_request', 'empty command'));
  const command = parsed.command;
  let state = onConnect(ctx.state, connection);
  const conn = state.connections[connection]!;

  if (command.type === 'hello') {
    if (command.token !== state.session_token) {
      return fail(new AppError('unauthorized', 'the session token is not this server\'s: reload the page'));
    }
    state = { ...state, connections: { ...state.connections, [connection]: { ...conn, authed: true } } };
  } else if (!conn.authed) {
    return fail(new AppError('unauthorized', 'send {"type":"hello","token":…} with the token from the page first'));
  }

  try {
    const commandCtx = {
      chats: chatsOf(ctx),
      current: conn.chat,
      limits: state.limits as Limits,
      llm: ctx.llm,
      models: ctx.models ?? new ModelDirectory(),
      spawner: ctx.spawner,
      generations: state.generations,
      baseUrl: state.anthropic_base_url,
      generation_timeout_ms: state.generation_timeout_ms,
      log: ctx.ports.log,
    };
    const effects = await runCommand(commandCtx, command);
    state = withPending(state, effects);
    if (effects.current !== undefined) {
      state = { ...state, connections: { ...state.connections, [connection]: { authed: true, chat: effects.current } } };
    }
    let outbound = [...reply(effects.reply, state).outbound, ...deliver(state, connection, effects.broadcasts ?? [])];
    if (effects.after) {
      // What was said so far goes out now: the rest of this call may take a while.
      let early = outbound;
      if (ctx.emit) {
        ctx.emit(early);
        early = [];
      }
      const later = await effects.after();
      const rest = deliver(state, undefined, later.broadcasts ?? []);
      // The one who asked hears the outcome even when not viewing that chat.
      if (!rest.some((o) => o.connection === connection)) rest.push(...reply(later.reply, state).outbound);
      outbound = [...early, ...rest];
    }
    if (effects.deleted) {
      const connections = Object.fromEntries(
        Object.entries(state.connections).map(([id, c]) => [id, c.chat === effects.deleted ? { ...c, chat: null } : c]),
      );
      state = { ...state, connections };
    }
    return { state, outbound };
  } catch (e) {
    const err = toAppError(e);
    if (err.code === 'internal' || err.code === 'corrupt_object') ctx.ports.log.error(`command ${command.type}: ${err.message}`);
    return { ...fail(err), state };
  }
}

function withPending(state: CoreState, effects: Effects): CoreState {
  const change = effects.pending;
  if (!change) return state;
  const generations = { ...state.generations };
  if (change.remove) delete generations[change.remove];
  if (change.add) generations[change.add[0]] = change.add[1];
  return { ...state, generations };
}

/** A pending generation ended (the child's exit data, its error, or its disappearance). */
async function endGeneration(ctx: Context, child: string, end: (pending: Pending) => { outcome: LlmOutcome; attempt?: number }): Promise<CallResult> {
  const pending = ctx.state.generations[child];
  if (!pending) return { state: ctx.state, outbound: [] };
  const { [child]: _done, ...generations } = ctx.state.generations;
  const state = { ...ctx.state, generations };
  try {
    const { outcome, attempt } = end(pending);
    const effects = await settle(chatsOf(ctx), pending, outcome, attempt);
    return { state, outbound: deliver(state, undefined, effects.broadcasts ?? []) };
  } catch (e) {
    ctx.ports.log.error(`generation ${child} ended but could not be recorded: ${toAppError(e).message}`);
    return { state, outbound: [] };
  }
}

export function onChildExit(ctx: Context, child: string, data: Uint8Array | undefined): Promise<CallResult> {
  return endGeneration(ctx, child, () => parseExit(data));
}

export function onChildError(ctx: Context, child: string, what: string): Promise<CallResult> {
  return endGeneration(ctx, child, () => ({ outcome: { ok: false, failure: { kind: 'generator', message: `the generator failed (${what})` } } }));
}

export function onChildStopped(ctx: Context, child: string): Promise<CallResult> {
  return endGeneration(ctx, child, () => ({ outcome: { ok: false, failure: { kind: 'generator', message: 'the generator was stopped before it answered' } } }));
}

export function binaryFrameRefused(connection: string): Outbound {
  return { connection, frame: { type: 'error', code: 'bad_request', message: 'binary frames are not supported; send JSON text' } };
}
