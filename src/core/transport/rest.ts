/**
 * The HTTP routes: the page, its assets and the REST API, each a thin mapping onto an operation.
 * Bodies and query strings are parsed with the same zod fields as the WebSocket commands.
 */
import { z } from 'zod';
import { AppError } from '../errors.js';
import { SECURITY_HEADERS, json, parseJsonBody, type CoreRequest, type CoreResponse } from '../http.js';
import { serveAsset, type AssetTable } from '../assets.js';
import { AttachmentPicks, BlobIdField, ChatId, ChatName, ClientTime, Content, MessageIdField, ModelId } from '../protocol/fields.js';
import { ThinkingSetting, WebSearchSetting } from '../claude/features.js';
import { maxFileBytes, readFile, uploadFile } from '../ops/files.js';
import { declaredName, fileResponse } from './files.js';
import { MAX_IMPORT_FILE_BYTES } from '../ops/deps.js';
import { PROTOCOL_VERSION, describeIssues } from '../protocol/commands.js';
import type { CoreState } from '../state.js';
import type { Settings } from '../app.js';
import { APP_VERSION } from '../version.js';
import type { Change } from '../ops/change.js';
import type { OpDeps } from '../ops/deps.js';
import { createChat, deleteChat, getChat, listChatsPage, updateChat } from '../ops/chats.js';
import { getBranchPage, getMessage, latestChat, sendMessage } from '../ops/messages.js';
import { exportFile, importFile } from '../ops/carry.js';
import { search } from '../ops/lookup.js';
import { servePage } from './page.js';
import { checkBodySize, checkHost, checkOrigin } from './guards.js';
import { helloTokenOf } from './sessions.js';
import { logIn, logOut, loginPage, requireSession, sessionOf, type AccessDeps } from './login.js';

export interface RestDeps extends OpDeps, AccessDeps {
  state: CoreState;
  settings: Settings;
  assets: AssetTable;
}

export interface RestResult {
  response: CoreResponse;
  /** What the operation changed, beyond the response: app.ts applies it as for a WebSocket command. */
  change?: Change<unknown>;
  /** Logged out: the open WebSockets must say hello again (app.ts). */
  endSessions?: boolean;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Theater's (axum's) pattern syntax: `{name}` and `{*rest}`. */
  pattern: string;
  handle: (d: RestDeps, req: CoreRequest) => Promise<RestResult> | RestResult;
}

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

function query<T>(req: CoreRequest, name: string, schema: z.ZodType<T>): T | undefined {
  const value = req.query.get(name);
  return value === null ? undefined : parseField(schema, value, name);
}

/**
 * Lists and branches come in pages: on Theater c50 a response is kept in the actor's event chain
 * for its whole life (theater-c50.md §14), so no response may carry a whole list or branch.
 */
const Limit = (max: number) => z.coerce.number().int().min(1).max(max);
const LIST_PAGE = { default: 50, max: 200 };
const BRANCH_PAGE = { default: 100, max: 500 };

/** A route's own body limit, and how to say that a body is over it. */
interface BodyLimit {
  limit: (d: RestDeps) => number;
  tooBig?: (req: CoreRequest, size: number, limit: number) => string;
}

/** Every route but the login page's own needs a session when served beyond loopback. */
function guarded(method: Route['method'], pattern: string, handle: Route['handle'], sized?: BodyLimit, open = false): Route {
  return {
    method,
    pattern,
    handle: async (d, req) => {
      checkHost(d.settings, req);
      if (method !== 'GET') checkOrigin(d.settings, req);
      if (!open) await requireSession(d, req);
      checkBodySize(d.settings, req, sized?.limit(d), sized?.tooBig && ((size, limit) => sized.tooBig!(req, size, limit)));
      return handle(d, req);
    },
  };
}

/** The page: without a session, the login page in its place (a browser gets somewhere it can act). */
async function page(d: RestDeps, req: CoreRequest): Promise<RestResult> {
  const secret = await sessionOf(d, req);
  if (secret === undefined) return { response: loginPage(401) };
  // Beyond loopback each session's page carries its own hello token, which ends with the session.
  const token = secret === null ? d.settings.session_token : await helloTokenOf(secret);
  return { response: await servePage(d.assets, token, secret !== null, req) };
}

/** The response says what the operation returned; everything else it changed goes with it. */
const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
/** A size said beside a limit: in bytes when both would round to the same megabytes ("48 MB: up to 48 MB" says nothing). */
const sizeBeside = (bytes: number, limit: number) => (megabytes(bytes) === megabytes(limit) ? `${String(bytes).replace(/\B(?=(\d{3})+(?!\d))/g, ',')} bytes` : megabytes(bytes));

const respond = <R>(status: number, change: Change<R>, shape: (result: R) => unknown): RestResult => ({ response: json(status, shape(change.result)), change });

const NewChatBody = z.strictObject({
  name: ChatName.optional(),
  model: ModelId.nullable().optional(),
  system: z.string().nullable().optional(),
  starting_head: MessageIdField.nullable().optional(),
  thinking: ThinkingSetting.nullable().optional(),
  web_search: WebSearchSetting.nullable().optional(),
  created_at: ClientTime.optional(),
});
const ChatChangesBody = z.strictObject({
  name: ChatName.optional(),
  model: ModelId.nullable().optional(),
  system: z.string().nullable().optional(),
  thinking: ThinkingSetting.nullable().optional(),
  web_search: WebSearchSetting.nullable().optional(),
});
const NewMessageBody = z.strictObject({ content: Content, parent_id: MessageIdField.nullable().optional(), attachments: AttachmentPicks.optional(), created_at: ClientTime.optional() });

async function branchPage(d: RestDeps, req: CoreRequest, chatId: string): Promise<RestResult> {
  const page = await getBranchPage(d, chatId, query(req, 'limit', Limit(BRANCH_PAGE.max)) ?? BRANCH_PAGE.default, query(req, 'before', MessageIdField));
  return { response: json(200, page) };
}

function download(file: { format: 'json' | 'markdown'; filename: string; content: string }): CoreResponse {
  return {
    status: 200,
    headers: [
      ['content-type', file.format === 'markdown' ? 'text/markdown; charset=utf-8' : 'application/json; charset=utf-8'],
      ['content-disposition', `attachment; filename="${file.filename}"`],
      ['cache-control', 'no-store'],
      ...SECURITY_HEADERS,
    ],
    body: new TextEncoder().encode(file.content),
  };
}

export const REST_ROUTES: readonly Route[] = [
  guarded('GET', '/', page, undefined, true),
  guarded('GET', '/login', async (d, req) => ({ response: await logIn(d, req) }), undefined, true),
  guarded('POST', '/login', async (d, req) => ({ response: await logIn(d, req) }), { limit: () => 4096 }, true),
  guarded('POST', '/logout', async (d, req) => ({ response: await logOut(d, req), endSessions: true })),
  guarded('GET', '/assets/{*path}', (d, req) => ({ response: serveAsset(d.assets, req.params.path ?? '', req.headers.get('accept-encoding')) })),
  guarded('GET', '/api/health', (d) => {
    // Generators as they were when this call began: ready ones can answer a reply at once.
    const slots = Object.values(d.state.generators);
    const generators = { ready: slots.filter((s) => s.channel).length, starting: slots.filter((s) => !s.channel).length };
    return { response: json(200, { status: 'ok', version: APP_VERSION, protocol: PROTOCOL_VERSION, store_id: d.state.store_id, generators }) };
  }),
  guarded('GET', '/api/chats', (d, req) => ({
    response: json(200, listChatsPage(d, query(req, 'limit', Limit(LIST_PAGE.max)) ?? LIST_PAGE.default, query(req, 'after', ChatId))),
  })),
  guarded('POST', '/api/chats', async (d, req) => respond(201, await createChat(d, body(NewChatBody, req)), (chat) => ({ chat }))),
  guarded('GET', '/api/chats/{id}', (d, req) => ({ response: json(200, { chat: getChat(d, param(req, 'id', ChatId)) }) })),
  guarded('PUT', '/api/chats/{id}', (d, req) => respond(200, updateChat(d, param(req, 'id', ChatId), body(ChatChangesBody, req)), (chat) => ({ chat }))),
  guarded('DELETE', '/api/chats/{id}', (d, req) => respond(200, deleteChat(d, param(req, 'id', ChatId)), ({ chat_id }) => ({ chat_id, deleted: true }))),
  guarded('GET', '/api/chats/{id}/messages', (d, req) => branchPage(d, req, param(req, 'id', ChatId))),
  guarded('POST', '/api/chats/{id}/messages', async (d, req) => respond(201, await sendMessage(d, param(req, 'id', ChatId), body(NewMessageBody, req)), (added) => added)),
  guarded('GET', '/api/chats/{id}/export', async (d, req) => {
    const format = query(req, 'format', z.enum(['json', 'markdown'])) ?? 'json';
    return { response: download(await exportFile(d, param(req, 'id', ChatId), format)) };
  }),
  guarded(
    'POST',
    '/api/import',
    async (d, req) => {
      if (!req.body) throw new AppError('bad_request', 'the file is missing: send it as the request body');
      return respond(201, await importFile(d, new TextDecoder().decode(req.body), MAX_IMPORT_FILE_BYTES), (chats) => ({ chats }));
    },
    { limit: () => MAX_IMPORT_FILE_BYTES, tooBig: (_req, size, limit) => `the file is ${sizeBeside(size, limit)}: import takes files up to ${megabytes(limit)}` },
  ),
  guarded(
    'POST',
    '/api/blobs',
    async (d, req) => {
      if (!req.body?.length) throw new AppError('bad_request', 'the file is missing: send its bytes as the request body');
      const blob = await uploadFile(d, req.body, { name: declaredName(req), media_type: req.headers.get('content-type') });
      return { response: json(201, { blob }) };
    },
    {
      limit: (d) => maxFileBytes(d.attachmentLimits),
      tooBig: (req, size, limit) => `“${declaredName(req) ?? 'the file'}” is ${megabytes(size)}: Claude takes files up to ${megabytes(limit)}`,
    },
  ),
  guarded('GET', '/api/blobs/{cid}', async (d, req) => {
    const { bytes, type } = await readFile(d, param(req, 'cid', BlobIdField));
    return { response: fileResponse(bytes, type, req.query.get('name')) };
  }),
  guarded('GET', '/api/search', async (d, req) => {
    const q = parseField(z.string().trim().min(1, 'q is empty').max(500), req.query.get('q') ?? '', 'q');
    return { response: json(200, { query: q, ...(await search(d, q)) }) };
  }),
  guarded('GET', '/api/messages', (d, req) => {
    // Without chat_id: the chat with the latest activity (there is no per-request "current chat").
    const id = query(req, 'chat_id', ChatId) ?? latestChat(d);
    if (!id) throw new AppError('not_found', 'there are no chats yet');
    return branchPage(d, req, id);
  }),
  guarded('GET', '/api/messages/{id}', async (d, req) => ({ response: json(200, { message: await getMessage(d, param(req, 'id', MessageIdField)) }) })),
];
