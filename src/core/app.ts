/**
 * The chat app as the actor sees it: HTTP routes, WebSocket connections and commands. Calls in,
 * effects out (a response, frames to send); the adapter performs the effects.
 */
import { effectiveLimits, type AttachmentLimits } from './claude/attachments.js';
import type { Settings } from './settings.js';
import { toAppError, AppError } from './errors.js';
import { errorResponse, type CoreRequest } from './http.js';
import { parseFrame } from './protocol/commands.js';
import type { ServerFrame } from './protocol/frames.js';
import type { CoreState } from './state.js';
import type { ConnectionId } from './ids.js';
import { ModelDirectory } from './claude/directory.js';
import { REST_ROUTES, type Route } from './transport/rest.js';
import { runCommand } from './transport/socket.js';
import type { Change } from './ops/change.js';
import type { OpDeps } from './ops/deps.js';
import { blobsOf, chatOf, chatsOf, deliver, isAuthed, type CallResult, type Context, type HttpResult, type Outbound } from './context.js';
import { advance, withPending } from './pool-calls.js';
import { accessKeyOf, needsLogin } from './transport/login.js';
import { helloIsValid, keyTagOf } from './transport/sessions.js';
import { closeStaleSockets, closeTrusted, LOGGED_OUT, saidHelloUnder } from './transport/socket-key.js';
import { onGeneratorGoneAway as poolGoneAway, onGeneratorMessage as poolMessage } from './pool-calls.js';

export { REST_ROUTES as ROUTES, type Route };
export { packState, unpackState, CoreStateWire, type CoreState } from './state.js';
export { Settings, startup, loadSettings } from './settings.js';
export type { Context, Outbound, CallResult, HttpResult } from './context.js';
export { advance } from './pool-calls.js';

export const WEBSOCKET_PATH = '/ws';

/**
 * Every call begins by closing the sockets let in under an access key that is no longer the key
 * (socket-key.ts), so that nothing this call does reaches them.
 */
async function afterKeyCheck<R extends CallResult>(ctx: Context, call: (ctx: Context) => Promise<R>): Promise<R> {
  const fresh = await closeStaleSockets(ctx, ctx.state);
  if (fresh.outbound.length === 0) return call(ctx);
  const result = await call({ ...ctx, state: fresh.state });
  return { ...result, outbound: [...result.outbound, ...fresh.outbound] };
}

export const handleHttp = (ctx: Context, route: Route, req: CoreRequest): Promise<HttpResult> => afterKeyCheck(ctx, (c) => http(c, route, req));

export const onGeneratorMessage = (ctx: Context, channel: string, bytes: Uint8Array): Promise<CallResult> =>
  afterKeyCheck(ctx, (c) => poolMessage(c, channel, bytes));

export const onGeneratorGoneAway = (ctx: Context, match: { id?: string; channel?: string }, why: string): Promise<CallResult> =>
  afterKeyCheck(ctx, (c) => poolGoneAway(c, match, why));

async function http(ctx: Context, route: Route, req: CoreRequest): Promise<HttpResult> {
  try {
    const deps = { ...opDeps(ctx, ctx.state), state: ctx.state, settings: ctx.settings, assets: ctx.assets, ports: ctx.ports, accessKey: ctx.accessKey };
    const result = await route.handle(deps, req);
    // After a logout no open connection is trusted until it says hello with a new session's token.
    const ended = result.endSessions ? closeTrusted(ctx.state, LOGGED_OUT) : { state: ctx.state, outbound: [] };
    const applied = result.change ? applyChange(ctx, ended.state, undefined, result.change) : { state: ended.state, outbound: [] };
    return advance(ctx, { state: applied.state, outbound: [...ended.outbound, ...applied.outbound], response: result.response });
  } catch (e) {
    const err = toAppError(e);
    if (err.code === 'internal' || err.code === 'corrupt_object') ctx.ports.log.error(`HTTP ${req.method} ${req.path}: ${err.message}`);
    return { state: ctx.state, response: errorResponse(err), outbound: [] };
  }
}

/** Settings are replaced, never changed in place: their limits are worked out once per settings. */
const limitsBySettings = new WeakMap<Settings, Readonly<AttachmentLimits>>();

function limitsOf(settings: Settings): Readonly<AttachmentLimits> {
  let limits = limitsBySettings.get(settings);
  if (!limits) limitsBySettings.set(settings, (limits = Object.freeze(effectiveLimits(settings.attachment_limits))));
  return limits;
}

/** What an operation may use in this call. */
function opDeps(ctx: Context, state: CoreState): OpDeps {
  return {
    chats: chatsOf(ctx),
    blobs: blobsOf(ctx.ports),
    limits: ctx.settings.limits,
    attachmentLimits: limitsOf(ctx.settings),
    llm: ctx.llm,
    models: ctx.models ?? new ModelDirectory(),
    pooled: ctx.generators !== undefined,
    generations: state.generations,
    generationTimeoutMs: ctx.settings.generation_timeout_ms,
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

/**
 * On c50 the actor never sees the upgrade's cookie: beyond loopback, the hello token names the
 * session. Accepted, it gives the tag of the key it was accepted under (none on loopback).
 */
async function helloAccepted(ctx: Context, token: string): Promise<{ tag?: string } | false> {
  if (!needsLogin(ctx.settings)) return token === ctx.settings.session_token && {};
  const key = accessKeyOf(ctx);
  if (!key || !(await helloIsValid(ctx.ports, key, token))) return false;
  return { tag: await keyTagOf(key) };
}

export function onConnect(state: CoreState, connection: ConnectionId): CoreState {
  if (connection in state.connections) return state;
  return { ...state, connections: { ...state.connections, [connection]: false } };
}

export function onDisconnect(state: CoreState, connection: ConnectionId): CoreState {
  if (!(connection in state.connections)) return state;
  const { [connection]: _gone, ...rest } = state.connections;
  return { ...state, connections: rest };
}

export async function onSocketText(ctx: Context, connection: ConnectionId, text: string): Promise<CallResult> {
  const fresh = await closeStaleSockets(ctx, ctx.state);
  const mine = fresh.outbound.find((o) => o.connection === connection);
  if (mine) {
    // Let in under the old key: its command does not run; the refusal answers it, then it is closed.
    const requestId = parseFrame(text).requestId;
    const refusal = requestId ? { ...mine, frame: { ...mine.frame, request_id: requestId } } : mine;
    return advance(ctx, { state: fresh.state, outbound: [refusal, ...fresh.outbound.filter((o) => o !== mine)] });
  }
  const result = await socketText({ ...ctx, state: fresh.state }, connection, text);
  // The sender's own reply stays first.
  return advance(ctx, { ...result, outbound: [...result.outbound, ...fresh.outbound] });
}

async function socketText(ctx: Context, connection: ConnectionId, text: string): Promise<CallResult> {
  const parsed = parseFrame(text);
  const reply = (frame: ServerFrame, state = ctx.state): CallResult => ({
    state,
    outbound: [{ connection, frame: parsed.requestId ? { ...frame, request_id: parsed.requestId } : frame }],
  });
  const fail = (e: AppError) => reply({ type: 'error', code: e.code, message: e.message });
  let state = onConnect(ctx.state, connection);
  const conn = state.connections[connection];
  const helloFirst = () => new AppError('unauthorized', 'send {"type":"hello","token":…} with the token from the page first');
  // Before hello a connection learns nothing, not even what is wrong with its frames; a hello that
  // cannot be read is told why.
  if (parsed.error || !parsed.command) return fail(isAuthed(conn) || parsed.type === 'hello' ? (parsed.error ?? new AppError('bad_request', 'empty command')) : helloFirst());
  const command = parsed.command;

  if (command.type === 'hello') {
    const accepted = await helloAccepted(ctx, command.token);
    if (!accepted) return fail(new AppError('unauthorized', 'the session token is not this server\'s: reload the page'));
    state = saidHelloUnder({ ...state, connections: { ...state.connections, [connection]: chatOf(conn) } }, accepted.tag);
  } else if (!isAuthed(conn)) {
    return fail(helloFirst());
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

export function binaryFrameRefused(connection: ConnectionId): Outbound {
  return { connection, frame: { type: 'error', code: 'bad_request', message: 'binary frames are not supported; send JSON text' } };
}
