/**
 * The chat app as the actor sees it: HTTP routes, WebSocket connections and commands. Calls in,
 * effects out (a response, frames to send); the adapter performs the effects.
 */
import { z } from 'zod';
import type { Ports } from './ports.js';
import { onGeneratorGone, onResult, pump, release, type GeneratorLink, type Pool, type PoolStep } from './generator-pool.js';
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
import { initialState, type Connection, type CoreState } from './state.js';
import { ModelDirectory } from './claude/directory.js';
import type { InitConfig } from './config.js';
import { REST_ROUTES, type Route } from './transport/rest.js';
import { runCommand } from './transport/socket.js';
import type { Broadcast, Change } from './ops/change.js';
import type { OpDeps } from './ops/deps.js';

export { REST_ROUTES as ROUTES, type Route };

const isAuthed = (c: Connection | undefined): boolean => c !== false && c !== undefined;
const chatOf = (c: Connection | undefined): string | null => (typeof c === 'string' ? c : null);

/** Fixed for the life of one start: written to the store at the start, under SETTINGS_LABEL. */
export const Settings = z.object({
  /** Made at every start from host entropy and written into the page: another origin cannot read it. */
  session_token: z.string(),
  bind_host: z.string(),
  allowed_origins: z.array(z.string()),
  limits: z.object({ max_content_bytes: z.number().int().positive(), max_tokens: z.number().int().positive() }),
  anthropic_base_url: z.string().optional(),
  generation_timeout_ms: z.number().int().positive(),
  generator_manifest: z.string(),
});
export type Settings = z.infer<typeof Settings>;

export { packState, unpackState, CoreStateWire, type CoreState } from './state.js';

export interface Context {
  ports: Ports;
  state: CoreState;
  settings: Settings;
  assets: AssetTable;
  /** Verified nodes kept by the caller between calls (the actor instance); optional. */
  cache?: NodeCache;
  llm?: Llm;
  models?: ModelDirectory;
  /** Sends frames now, before the call ends (e.g. "generation started" before Claude is asked). */
  emit?: (outbound: Outbound[]) => void;
  /** Generator actors (Theater); without it a generation runs inside the call. */
  generators?: GeneratorLink;
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

export function startup(ports: Ports, config: InitConfig): { state: CoreState; settings: Settings } {
  openStore(ports, config.store_id);
  const settings: Settings = {
    // A host-made UUID v4: 122 random bits (the page carries it, so every byte counts on c50's chain).
    session_token: ports.entropy.uuid().replace(/-/g, '').toLowerCase(),
    bind_host: config.host,
    allowed_origins: config.allowed_origins,
    limits: { max_content_bytes: config.max_content_bytes, max_tokens: config.max_tokens },
    ...(config.anthropic_base_url ? { anthropic_base_url: config.anthropic_base_url } : {}),
    generation_timeout_ms: config.generation_timeout_ms,
    generator_manifest: config.generator_manifest,
  };
  ports.labels.set(SETTINGS_LABEL, ports.content.put(new TextEncoder().encode(JSON.stringify(settings))));
  return { state: initialState(config.store_id), settings };
}

/** Where this start's settings live: one actor serves one store, and each start replaces them. */
const SETTINGS_LABEL = 'actor/settings';

/** This start's settings, read back from the store by a fresh component instance. */
export function loadSettings(ports: Ports): Settings {
  const ref = ports.labels.get(SETTINGS_LABEL);
  if (!ref) throw new AppError('internal', 'this start\'s settings are missing from the store');
  return Settings.parse(JSON.parse(new TextDecoder().decode(ports.content.get(ref))));
}

/** The chats as this call sees them, over the instance's node cache and search index. */
function chatsOf(ctx: Context): ChatService {
  return new ChatService(ctx.ports, ctx.cache, ctx.search ? [ctx.search] : []);
}

function deliver(state: CoreState, sender: string | undefined, broadcasts: Broadcast[]): Outbound[] {
  const out: Outbound[] = [];
  for (const b of broadcasts) {
    for (const [id, conn] of Object.entries(state.connections)) {
      if (!isAuthed(conn) || (b.skipSender && id === sender)) continue;
      if (b.to === 'all' || chatOf(conn) === b.to.chat) out.push({ connection: id, frame: b.frame });
    }
  }
  return out;
}

export async function handleHttp(ctx: Context, route: Route, req: CoreRequest): Promise<HttpResult> {
  try {
    const result = await route.handle({ ...opDeps(ctx, ctx.state), state: ctx.state, settings: ctx.settings, assets: ctx.assets }, req);
    const applied = result.change ? applyChange(ctx, ctx.state, undefined, result.change) : { state: ctx.state, outbound: [] };
    return advance(ctx, { ...applied, response: result.response });
  } catch (e) {
    const err = toAppError(e);
    if (err.code === 'internal' || err.code === 'corrupt_object') ctx.ports.log.error(`HTTP ${req.method} ${req.path}: ${err.message}`);
    return { state: ctx.state, response: errorResponse(err), outbound: [] };
  }
}

/** What an operation may use in this call. */
function opDeps(ctx: Context, state: CoreState): OpDeps {
  return {
    chats: chatsOf(ctx),
    limits: ctx.settings.limits,
    llm: ctx.llm,
    models: ctx.models ?? new ModelDirectory(),
    pooled: ctx.generators !== undefined,
    generations: state.generations,
    generation_timeout_ms: ctx.settings.generation_timeout_ms,
    search: ctx.search,
  };
}

/**
 * Applies what an operation changed, the same for both transports: the generations, who views
 * which chat, and the events for everyone concerned. `asker` is the WebSocket connection that asked.
 */
function applyChange(ctx: Context, before: CoreState, asker: string | undefined, change: Change<unknown>): CallResult {
  let state = withPending(ctx, before, change);
  if (asker !== undefined && change.opens !== undefined) state = { ...state, connections: { ...state.connections, [asker]: change.opens } };
  const outbound = deliver(state, asker, change.events);
  if (change.closes !== undefined) {
    const connections = Object.fromEntries(Object.entries(state.connections).map(([id, c]) => [id, c === change.closes ? null : c]));
    state = { ...state, connections };
  }
  return { state, outbound };
}

export function onConnect(state: CoreState, connection: string): CoreState {
  if (connection in state.connections) return state;
  return { ...state, connections: { ...state.connections, [connection]: false } };
}

export function onDisconnect(state: CoreState, connection: string): CoreState {
  if (!(connection in state.connections)) return state;
  const { [connection]: _gone, ...rest } = state.connections;
  return { ...state, connections: rest };
}

export async function onSocketText(ctx: Context, connection: string, text: string): Promise<CallResult> {
  return advance(ctx, await socketText(ctx, connection, text));
}

async function socketText(ctx: Context, connection: string, text: string): Promise<CallResult> {
  const parsed = parseFrame(text);
  const reply = (frame: ServerFrame, state = ctx.state): CallResult => ({
    state,
    outbound: [{ connection, frame: parsed.requestId ? { ...frame, request_id: parsed.requestId } : frame }],
  });
  const fail = (e: AppError) => reply({ type: 'error', code: e.code, message: e.message });
  if (parsed.error || !parsed.command) return fail(parsed.error ?? new AppError('bad_request', 'empty command'));
  const command = parsed.command;
  let state = onConnect(ctx.state, connection);
  const conn = state.connections[connection];

  if (command.type === 'hello') {
    if (command.token !== ctx.settings.session_token) {
      return fail(new AppError('unauthorized', 'the session token is not this server\'s: reload the page'));
    }
    state = { ...state, connections: { ...state.connections, [connection]: chatOf(conn) } };
  } else if (!isAuthed(conn)) {
    return fail(new AppError('unauthorized', 'send {"type":"hello","token":…} with the token from the page first'));
  }

  try {
    const change = await runCommand({ ...opDeps(ctx, state), current: chatOf(conn) }, command);
    const applied = applyChange(ctx, state, connection, change);
    state = applied.state;
    let outbound = [...reply(change.result, state).outbound, ...applied.outbound];
    if (change.after) {
      // What was said so far goes out now: the rest of this call may take a while.
      let early = outbound;
      if (ctx.emit) {
        ctx.emit(early);
        early = [];
      }
      const later = await change.after();
      const rest = deliver(state, undefined, later.events);
      // The one who asked hears the outcome even when not viewing that chat.
      if (!rest.some((o) => o.connection === connection)) rest.push(...reply(later.result, state).outbound);
      outbound = [...early, ...rest];
    }
    return { state, outbound };
  } catch (e) {
    const err = toAppError(e);
    if (err.code === 'internal' || err.code === 'corrupt_object') ctx.ports.log.error(`command ${command.type}: ${err.message}`);
    return { ...fail(err), state };
  }
}

function withPending(ctx: Context, state: CoreState, change: Change<unknown>): CoreState {
  const pending = change.pending;
  if (!pending) return state;
  let pool = poolOf(state);
  if (pending.remove) pool = release(ctx.generators, pool, pending.remove, pending.timedOut === true);
  // A user asking for a reply gives generators that failed to start another chance.
  if (pending.add) pool = { generators: pool.generators, generations: { ...pool.generations, [nextJobId(pool)]: pending.add } };
  return withPool(state, pool);
}

function poolOf(state: CoreState): Pool {
  return { generators: state.generators, generations: state.generations, ...(state.failed_starts ? { failed_starts: state.failed_starts } : {}) };
}

function withPool(state: CoreState, pool: Pool): CoreState {
  const { failed_starts: _old, ...rest } = state;
  return { ...rest, generators: pool.generators, generations: pool.generations, ...(pool.failed_starts ? { failed_starts: pool.failed_starts } : {}) };
}

/** Larger than any job still running or still owed an answer, so a late answer never matches a new job. */
function nextJobId(pool: Pool): string {
  const ids = [...Object.keys(pool.generations), ...Object.values(pool.generators).map((s) => s.job ?? '0')].map(Number);
  return String(Math.max(0, ...ids) + 1);
}

function poolContext(ctx: Context, chats: ChatService): Parameters<typeof pump>[0] | undefined {
  if (!ctx.generators) return undefined;
  return { chats, link: ctx.generators, max_tokens: ctx.settings.limits.max_tokens, baseUrl: ctx.settings.anthropic_base_url, log: ctx.ports.log };
}

/**
 * The end of every call: the generator pool moves on (the actor has no clock, so calls are its
 * ticks), and what that settled goes out with the call's own frames.
 */
export async function advance<R extends CallResult>(ctx: Context, result: R, step?: (pc: NonNullable<ReturnType<typeof poolContext>>, pool: Pool) => Promise<PoolStep>): Promise<R> {
  const chats = chatsOf(ctx);
  const pc = poolContext(ctx, chats);
  if (!pc) return result;
  let state = result.state;
  let outbound = result.outbound;
  const apply = (s: PoolStep) => {
    state = withPool(state, s.pool);
    outbound = [...outbound, ...deliver(state, undefined, s.broadcasts)];
  };
  try {
    if (step) apply(await step(pc, poolOf(state)));
    const pool = poolOf(state);
    const moved = await pump(pc, pool);
    const changed = moved.pool.generators !== pool.generators || moved.pool.generations !== pool.generations || moved.pool.failed_starts !== pool.failed_starts;
    if (changed || moved.broadcasts.length > 0) apply(moved);
  } catch (e) {
    ctx.ports.log.error(`generators: ${toAppError(e).message}`);
  }
  return state === result.state && outbound === result.outbound ? result : { ...result, state, outbound };
}

/** A generator's answer on its channel. */
export function onGeneratorMessage(ctx: Context, channel: string, bytes: Uint8Array): Promise<CallResult> {
  return advance(ctx, { state: ctx.state, outbound: [] }, (pc, pool) => onResult(pc, pool, channel, bytes));
}

/** A generator closed its channel, ended, failed or was stopped: its job fails and can be retried. */
export function onGeneratorGoneAway(ctx: Context, match: { id?: string; channel?: string }, why: string): Promise<CallResult> {
  return advance(ctx, { state: ctx.state, outbound: [] }, (pc, pool) => onGeneratorGone(pc, pool, match, why));
}

export function binaryFrameRefused(connection: string): Outbound {
  return { connection, frame: { type: 'error', code: 'bad_request', message: 'binary frames are not supported; send JSON text' } };
}
