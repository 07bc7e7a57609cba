/**
 * The HTTP routes: the page, its assets and the REST API. Bodies are parsed with the same zod
 * fields as the WebSocket commands; every change is broadcast to the sockets that care.
 */
import { z } from 'zod';
import { AppError } from './errors.js';
import { SECURITY_HEADERS, json, parseJsonBody, type CoreRequest, type CoreResponse } from './http.js';
import { exportChat, exportFilename, exportMarkdown } from './carry/export.js';
import { prepareImport, writeImport } from './carry/import.js';
import { serveAsset, type AssetTable } from './assets.js';
import { servePage } from './page.js';
import { chatView, type ChatService } from './chats/service.js';
import { MAX_IMPORT_BYTES, checkContent, messageAdded, type Broadcast, type CommandContext, type Limits } from './commands.js';
import { ChatId, ChatName, ClientTime, Content, MessageIdField, ModelId } from './protocol/fields.js';
import { PROTOCOL_VERSION, describeIssues } from './protocol/commands.js';
import type { CoreState, Settings } from './app.js';
import type { Ports } from './ports.js';
import { APP_VERSION } from './version.js';
import { ModelDirectory } from './claude/directory.js';

export interface RestContext {
  ports: Ports;
  state: CoreState;
  settings: Settings;
  assets: AssetTable;
  chats: ChatService;
}

export interface RestResult {
  response: CoreResponse;
  broadcasts?: Broadcast[];
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Theater's (axum's) pattern syntax: `{name}` and `{*rest}`. */
  pattern: string;
  handle: (ctx: RestContext, req: CoreRequest) => Promise<RestResult> | RestResult;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function body<T extends z.ZodType>(schema: T, req: CoreRequest): z.infer<T> {
  const parsed = schema.safeParse(parseJsonBody(req));
  if (!parsed.success) throw new AppError('bad_request', describeIssues(parsed.error));
  return parsed.data;
}

function parseField<T>(schema: z.ZodType<T>, value: unknown, name: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError('bad_request', `${name}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

const param = <T>(req: CoreRequest, name: string, schema: z.ZodType<T>): T => parseField(schema, req.params[name], name);

function hostname(host: string): string {
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
}

/**
 * DNS rebinding: a hostile name that resolves to 127.0.0.1 makes the browser treat it as the app's
 * own origin. While bound to loopback, only loopback names are answered.
 */
function checkHost(state: Settings, req: CoreRequest): void {
  if (!LOOPBACK.has(state.bind_host)) return;
  const host = req.headers.get('host');
  if (host === undefined) return;
  const name = hostname(host).toLowerCase();
  const allowed = LOOPBACK.has(name) || state.allowed_origins.some((o) => new URL(o).host.toLowerCase() === host.toLowerCase());
  if (!allowed) throw new AppError('forbidden', `host "${host.slice(0, 100)}" is not this server`);
}

/** A page on another site must not change chats through the user's browser. */
function checkOrigin(state: Settings, req: CoreRequest): void {
  const origin = req.headers.get('origin');
  if (origin === undefined) return; // not sent by a browser on a cross-site request we must fear
  const host = req.headers.get('host');
  let same = false;
  try {
    same = host !== undefined && new URL(origin).host.toLowerCase() === host.toLowerCase();
  } catch {
    same = false;
  }
  if (!same && !state.allowed_origins.includes(origin)) throw new AppError('forbidden', `origin ${origin.slice(0, 100)} may not change chats`);
}

/**
 * c50 hands the actor request bodies of up to 100 MiB (server_instance.rs:845): the app refuses what
 * is larger than anything it takes (an import, or a message at the content limit) before reading it.
 */
function checkBodySize(settings: Settings, req: CoreRequest): void {
  const limit = Math.max(MAX_IMPORT_BYTES, 2 * settings.limits.max_content_bytes) + 64 * 1024;
  if (req.body && req.body.length > limit) throw new AppError('payload_too_large', `the request body is ${req.body.length} bytes; the limit is ${limit}`);
}

function guarded(method: Route['method'], pattern: string, handle: Route['handle']): Route {
  return {
    method,
    pattern,
    handle: (ctx, req) => {
      checkHost(ctx.settings, req);
      if (method !== 'GET') checkOrigin(ctx.settings, req);
      checkBodySize(ctx.settings, req);
      return handle(ctx, req);
    },
  };
}

function commandContext(ctx: RestContext): CommandContext {
  return {
    chats: ctx.chats,
    current: null,
    limits: ctx.settings.limits as Limits,
    models: new ModelDirectory(),
    generations: ctx.state.generations,
    generation_timeout_ms: ctx.settings.generation_timeout_ms,
  };
}

const listUpdate = (ctx: RestContext): Broadcast => ({ to: 'all', frame: { type: 'chats_update', chats: ctx.chats.list() } });

const NewChatBody = z.strictObject({
  name: ChatName.optional(),
  model: ModelId.nullable().optional(),
  system: z.string().nullable().optional(),
  starting_head: MessageIdField.nullable().optional(),
  created_at: ClientTime.optional(),
});
const ChatChangesBody = z.strictObject({ name: ChatName.optional(), model: ModelId.nullable().optional(), system: z.string().nullable().optional() });
const NewMessageBody = z.strictObject({ content: Content, parent_id: MessageIdField.nullable().optional(), created_at: ClientTime.optional() });

/**
 * Lists and branches come in pages: on Theater c50 a response is kept in the actor's event chain
 * for its whole life (theater-c50.md §14), so no response may carry a whole list or branch.
 */
const LIST_PAGE = { default: 50, max: 200 };
const BRANCH_PAGE = { default: 100, max: 500 };

function pageLimit(req: CoreRequest, page: { default: number; max: number }): number {
  const limit = req.query.get('limit');
  if (limit === null) return page.default;
  return parseField(z.coerce.number().int().min(1).max(page.max), limit, 'limit');
}

function branchPage(ctx: RestContext, req: CoreRequest, chatId: string) {
  const before = req.query.get('before');
  return ctx.chats.branchPage(chatId, pageLimit(req, BRANCH_PAGE), before === null ? undefined : parseField(MessageIdField, before, 'before'));
}

export const REST_ROUTES: readonly Route[] = [
  guarded('GET', '/', async (ctx, req) => ({ response: await servePage(ctx.assets, ctx.settings.session_token, req) })),
  guarded('GET', '/assets/{*path}', (ctx, req) => ({ response: serveAsset(ctx.assets, req.params.path ?? '') })),
  guarded('GET', '/api/health', (ctx) => {
    // Generators as they were when this call began: ready ones can answer a reply at once.
    const slots = Object.values(ctx.state.generators);
    const generators = { ready: slots.filter((s) => s.channel).length, starting: slots.filter((s) => !s.channel).length };
    return { response: json(200, { status: 'ok', version: APP_VERSION, protocol: PROTOCOL_VERSION, store_id: ctx.state.store_id, generators }) };
  }),
  guarded('GET', '/api/chats', (ctx, req) => {
    const limit = pageLimit(req, LIST_PAGE);
    const after = req.query.get('after');
    return { response: json(200, ctx.chats.listPage(limit, after === null ? undefined : parseField(ChatId, after, 'after'))) };
  }),
  guarded('POST', '/api/chats', async (ctx, req) => {
    const spec = body(NewChatBody, req);
    if (spec.system) checkContent(spec.system, ctx.settings.limits, 'system');
    const chat = chatView(await ctx.chats.create({ ...spec, name: spec.name ?? 'New chat' }));
    return { response: json(201, { chat }), broadcasts: [listUpdate(ctx)] };
  }),
  guarded('GET', '/api/chats/{id}', (ctx, req) => ({ response: json(200, { chat: chatView(ctx.chats.get(param(req, 'id', ChatId))) }) })),
  guarded('PUT', '/api/chats/{id}', (ctx, req) => {
    const id = param(req, 'id', ChatId);
    const changes = body(ChatChangesBody, req);
    if (changes.system) checkContent(changes.system, ctx.settings.limits, 'system');
    const chat = chatView(ctx.chats.update(id, changes));
    const broadcasts: Broadcast[] = [{ to: { chat: id }, frame: { type: 'chat_updated', chat } }];
    if (changes.name !== undefined) broadcasts.push(listUpdate(ctx));
    return { response: json(200, { chat }), broadcasts };
  }),
  guarded('DELETE', '/api/chats/{id}', (ctx, req) => {
    const id = param(req, 'id', ChatId);
    ctx.chats.delete(id);
    return { response: json(200, { chat_id: id, deleted: true }), broadcasts: [{ to: 'all', frame: { type: 'chat_deleted', chat_id: id } }, listUpdate(ctx)] };
  }),
  guarded('GET', '/api/chats/{id}/messages', async (ctx, req) => ({ response: json(200, await branchPage(ctx, req, param(req, 'id', ChatId))) })),
  guarded('POST', '/api/chats/{id}/messages', async (ctx, req) => {
    const id = param(req, 'id', ChatId);
    const msg = body(NewMessageBody, req);
    checkContent(msg.content, ctx.settings.limits);
    const added = await ctx.chats.append(id, { role: 'user', content: msg.content, meta: msg.created_at ? { created_at: msg.created_at } : {} }, msg.parent_id);
    const effects = messageAdded(commandContext(ctx), id, added);
    return {
      response: json(201, { chat: chatView(added.chat), message: added.message, branched: added.branched }),
      broadcasts: (effects.broadcasts ?? []).map((b) => ({ ...b, skipSender: false })),
    };
  }),
  guarded('GET', '/api/chats/{id}/export', async (ctx, req) => {
    const id = param(req, 'id', ChatId);
    const markdown = req.query.get('format') === 'markdown';
    const name = ctx.chats.get(id).name;
    const body = markdown ? await exportMarkdown(ctx.chats, id) : JSON.stringify(await exportChat(ctx.chats, id), null, 1);
    const filename = exportFilename(name, markdown ? 'md' : 'json');
    return {
      response: {
        status: 200,
        headers: [
          ['content-type', markdown ? 'text/markdown; charset=utf-8' : 'application/json; charset=utf-8'],
          ['content-disposition', `attachment; filename="${filename}"`],
          ['cache-control', 'no-store'],
          ...SECURITY_HEADERS,
        ],
        body: new TextEncoder().encode(body),
      },
    };
  }),
  guarded('POST', '/api/import', async (ctx, req) => {
    if (!req.body) throw new AppError('bad_request', 'the file is missing: send it as the request body');
    const text = new TextDecoder().decode(req.body);
    const chats = (await writeImport(await prepareImport(text, ctx.chats, MAX_IMPORT_BYTES), ctx.chats)).map(chatView);
    return { response: json(201, { chats }), broadcasts: [listUpdate(ctx)] };
  }),
  guarded('GET', '/api/search', async (ctx, req) => {
    const query = parseField(z.string().trim().min(1, 'q is empty').max(500), req.query.get('q') ?? '', 'q');
    if (!ctx.chats.search) throw new AppError('internal', 'search is not available on this host');
    return { response: json(200, { query, results: await ctx.chats.search.search(ctx.chats, query) }) };
  }),
  guarded('GET', '/api/messages', async (ctx, req) => {
    const requested = req.query.get('chat_id');
    // Without chat_id: the chat with the latest activity (there is no per-request "current chat").
    const id = requested !== null ? parseField(ChatId, requested, 'chat_id') : ctx.chats.records.ids()[0];
    if (!id) throw new AppError('not_found', 'there are no chats yet');
    return { response: json(200, await branchPage(ctx, req, id)) };
  }),
  guarded('GET', '/api/messages/{id}', async (ctx, req) => ({
    response: json(200, { message: await ctx.chats.message(param(req, 'id', MessageIdField)) }),
  })),
];
