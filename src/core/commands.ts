/**
 * One handler per WebSocket command: parse is done, the handler decides, and returns what to
 * send to whom. Nothing here sends or stores connection state itself.
 */
import { AppError } from './errors.js';
import { chatView, type ChatService } from './chats/service.js';
import type { ClientCommand, CommandOf } from './protocol/commands.js';
import { PROTOCOL_VERSION } from './protocol/commands.js';
import type { ServerFrame } from './protocol/frames.js';
import { APP_VERSION } from './version.js';
import type { Llm } from './claude/llm.js';
import type { ModelDirectory } from './claude/directory.js';
import { PRICES_AS_OF } from './claude/prices.js';
import { finishGeneration, prepareGeneration, runGeneration, startedFrame, type GenerationOptions } from './generation.js';
import { settle, type Pending } from './generations.js';
import { exportChat, exportFilename, exportMarkdown } from './carry/export.js';
import { prepareImport, writeImport } from './carry/import.js';
import type { Logger } from './ports.js';

export interface Limits {
  max_content_bytes: number;
  max_tokens: number;
}

export interface CommandContext {
  chats: ChatService;
  /** The chat this connection is looking at, if any. */
  current: string | null;
  limits: Limits;
  llm?: Llm;
  models: ModelDirectory;
  /** Generations go to generator actors when true; otherwise they run inside the call. */
  pooled?: boolean;
  /** Generations running or waiting for a generator now, by job id. */
  generations: Record<string, Pending>;
  baseUrl?: string;
  generation_timeout_ms: number;
  log?: Logger;
}

/** Who else hears about a change: everyone, or those viewing one chat. */
export interface Broadcast {
  to: 'all' | { chat: string };
  frame: ServerFrame;
  /** The sender already got the same news as its reply. */
  skipSender?: boolean;
}

export interface Effects {
  reply: ServerFrame;
  /** Work that continues after the reply and broadcasts have been sent (a Claude call). */
  after?: () => Promise<Effects>;
  broadcasts?: Broadcast[];
  /** The sender's current chat afterwards (undefined: unchanged). */
  current?: string | null;
  /** Connections viewing this chat stop viewing it. */
  deleted?: string;
  /** Changes to the running generations: one to queue for a generator, or one stopped. */
  pending?: { add?: Pending; remove?: string; timedOut?: boolean };
}

type Handler<T extends ClientCommand['type']> = (ctx: CommandContext, cmd: CommandOf<T>) => Promise<Effects> | Effects;

const DEFAULT_CHAT_NAME = 'New chat';
/** The largest file the app imports (also the largest WebSocket frame it parses). */
export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;
const encoder = new TextEncoder();

export function checkContent(content: string, limits: Limits, field = 'content'): void {
  const bytes = encoder.encode(content).length;
  if (bytes > limits.max_content_bytes) {
    throw new AppError('payload_too_large', `${field} is ${bytes} bytes; the limit is ${limits.max_content_bytes}`);
  }
}

function chatOf(ctx: CommandContext, chatId: string | undefined): string {
  const id = chatId ?? ctx.current;
  if (!id) throw new AppError('bad_request', 'no chat selected: give chat_id or send switch_chat first');
  return id;
}

const listUpdate = (ctx: CommandContext): Broadcast => ({ to: 'all', frame: { type: 'chats_update', chats: ctx.chats.list() } });

/** Viewers of the chat see the message; the chat list changes only when the chat moved to the top. */
export function messageAdded(ctx: CommandContext, chatId: string, added: Awaited<ReturnType<ChatService['append']>>): Effects {
  const frame: ServerFrame = { type: 'message_added', chat: chatView(added.chat), message: added.message, branched: added.branched };
  const broadcasts: Broadcast[] = [{ to: { chat: chatId }, frame, skipSender: true }];
  if (added.reordered) broadcasts.push(listUpdate(ctx));
  return { reply: frame, broadcasts };
}

const HANDLERS: { [T in ClientCommand['type']]: Handler<T> } = {
  hello: (ctx) => ({
    reply: {
      type: 'welcome',
      protocol: PROTOCOL_VERSION,
      version: APP_VERSION,
      chats: ctx.chats.list(),
      api_key_configured: ctx.llm?.hasKey() ?? false,
      generating: Object.values(ctx.generations).map((p) => ({ chat_id: p.chat_id, parent_id: p.parent_id })),
      generation_timeout_ms: ctx.generation_timeout_ms,
    },
  }),

  ping: () => ({ reply: { type: 'pong', protocol: PROTOCOL_VERSION } }),

  list_chats: (ctx) => ({ reply: { type: 'chats_update', chats: ctx.chats.list() } }),

  async create_chat(ctx, cmd) {
    if (cmd.system) checkContent(cmd.system, ctx.limits, 'system');
    const chat = await ctx.chats.create({
      name: cmd.name ?? DEFAULT_CHAT_NAME,
      model: cmd.model,
      system: cmd.system,
      starting_head: cmd.starting_head,
      created_at: cmd.created_at,
    });
    return { reply: { type: 'chat_created', chat: chatView(chat) }, current: chat.id, broadcasts: [listUpdate(ctx)] };
  },

  async switch_chat(ctx, cmd) {
    const branch = await ctx.chats.branch(cmd.chat_id);
    return { reply: { type: 'branch', ...branch }, current: cmd.chat_id };
  },

  rename_chat(ctx, cmd) {
    const chat = chatView(ctx.chats.update(cmd.chat_id, { name: cmd.name }));
    return {
      reply: { type: 'chat_updated', chat },
      broadcasts: [{ to: { chat: chat.id }, frame: { type: 'chat_updated', chat }, skipSender: true }, listUpdate(ctx)],
    };
  },

  update_chat(ctx, cmd) {
    if (cmd.system) checkContent(cmd.system, ctx.limits, 'system');
    const changes = Object.fromEntries(Object.entries({ model: cmd.model, system: cmd.system }).filter(([, v]) => v !== undefined));
    const chat = chatView(ctx.chats.update(cmd.chat_id, changes));
    return { reply: { type: 'chat_updated', chat }, broadcasts: [{ to: { chat: chat.id }, frame: { type: 'chat_updated', chat }, skipSender: true }] };
  },

  delete_chat(ctx, cmd) {
    ctx.chats.delete(cmd.chat_id);
    return {
      reply: { type: 'chat_deleted', chat_id: cmd.chat_id },
      broadcasts: [{ to: 'all', frame: { type: 'chat_deleted', chat_id: cmd.chat_id }, skipSender: true }, listUpdate(ctx)],
      current: ctx.current === cmd.chat_id ? null : undefined,
      deleted: cmd.chat_id,
    };
  },

  async send_message(ctx, cmd) {
    checkContent(cmd.content, ctx.limits);
    const chatId = chatOf(ctx, cmd.chat_id);
    const meta = cmd.created_at ? { created_at: cmd.created_at } : {};
    return messageAdded(ctx, chatId, await ctx.chats.append(chatId, { role: 'user', content: cmd.content, meta }, cmd.parent_id));
  },

  async edit_message(ctx, cmd) {
    checkContent(cmd.content, ctx.limits);
    const chatId = chatOf(ctx, cmd.chat_id);
    return messageAdded(ctx, chatId, await ctx.chats.edit(chatId, cmd.message_id, cmd.content, cmd.created_at));
  },

  async get_message(ctx, cmd) {
    return { reply: { type: 'message', message: await ctx.chats.message(cmd.message_id) } };
  },

  get_head(ctx, cmd) {
    const id = cmd.chat_id ?? ctx.current;
    const head = id ? ctx.chats.get(id).leaf : null;
    return { reply: { type: 'head', current_chat_id: id, head } };
  },

  async get_branch(ctx, cmd) {
    return { reply: { type: 'branch', ...(await ctx.chats.branch(chatOf(ctx, cmd.chat_id))) } };
  },

  async get_tree(ctx, cmd) {
    return { reply: { type: 'tree', ...(await ctx.chats.tree(chatOf(ctx, cmd.chat_id))) } };
  },

  async get_siblings(ctx, cmd) {
    const s = await ctx.chats.siblings(chatOf(ctx, cmd.chat_id), cmd.message_id);
    return { reply: { type: 'siblings', message_id: cmd.message_id, parent_id: s.parent_id, siblings: s.ids, index: s.index } };
  },

  async select_sibling(ctx, cmd) {
    const chatId = chatOf(ctx, cmd.chat_id);
    const frame: ServerFrame = { type: 'branch', ...(await ctx.chats.select(chatId, cmd.message_id)) };
    return { reply: frame, broadcasts: [{ to: { chat: chatId }, frame, skipSender: true }] };
  },

  generate_llm_response: (ctx, cmd) =>
    generate(ctx, { chat_id: chatOf(ctx, cmd.chat_id), parent_id: cmd.parent_id, model: cmd.model_id, attempt: cmd.attempt, spent_ms: cmd.spent_ms }),

  /** Again from the same point: the message an error record failed on (or that message itself). */
  async retry(ctx, cmd) {
    const node = await ctx.chats.dag.get(cmd.message_id);
    const parent = node.role === 'error' ? node.parent : cmd.message_id;
    if (!parent) throw new AppError('bad_request', 'nothing to retry from here');
    return generate(ctx, { chat_id: chatOf(ctx, cmd.chat_id), parent_id: parent, attempt: cmd.attempt, spent_ms: cmd.spent_ms });
  },

  /** Stops a running generation (the user's Stop, or the client's timeout: the actor has no clock). */
  async cancel_generation(ctx, cmd) {
    const chatId = chatOf(ctx, cmd.chat_id);
    const entry = Object.entries(ctx.generations).find(([, p]) => p.chat_id === chatId && (!cmd.parent_id || p.parent_id === cmd.parent_id));
    if (!entry) throw new AppError('not_found', 'no reply is being generated in this chat');
    const [jobId, pending] = entry;
    const timeout = cmd.reason === 'timeout';
    const message = timeout ? `no reply within ${Math.round(ctx.generation_timeout_ms / 1000)} s: stopped` : 'stopped';
    const effects = await settle(ctx.chats, pending, { ok: false, failure: { kind: timeout ? 'timeout' : 'cancelled', message } });
    // The sender has the outcome as its reply; the error record it stored reaches the sender too.
    const broadcasts = effects.broadcasts?.map((b) => (b.frame.type === 'generation_failed' ? { ...b, skipSender: true } : b));
    return { ...effects, broadcasts, pending: { remove: jobId, timedOut: timeout } };
  },

  async search(ctx, cmd) {
    if (!ctx.chats.search) throw new AppError('internal', 'search is not available on this host');
    return { reply: { type: 'search_results', query: cmd.query, results: await ctx.chats.search.search(ctx.chats, cmd.query, cmd.limit) } };
  },

  async export_chat(ctx, cmd) {
    const chatId = chatOf(ctx, cmd.chat_id);
    const name = ctx.chats.get(chatId).name;
    if (cmd.format === 'markdown') {
      return { reply: { type: 'export', chat_id: chatId, format: 'markdown', filename: exportFilename(name, 'md'), content: await exportMarkdown(ctx.chats, chatId) } };
    }
    const content = JSON.stringify(await exportChat(ctx.chats, chatId), null, 1);
    return { reply: { type: 'export', chat_id: chatId, format: 'json', filename: exportFilename(name, 'json'), content } };
  },

  async import_chat(ctx, cmd) {
    const prepared = await prepareImport(cmd.content, ctx.chats, MAX_IMPORT_BYTES);
    const chats = (await writeImport(prepared, ctx.chats)).map(chatView);
    return { reply: { type: 'imported', chats }, broadcasts: [listUpdate(ctx)] };
  },

  async list_models(ctx, cmd) {
    const { models, source } = await ctx.models.list(ctx.llm, cmd.refresh);
    return { reply: { type: 'models_list', models, source, prices_as_of: PRICES_AS_OF } };
  },

  async fork_chat(ctx, cmd) {
    const chat = await ctx.chats.fork(cmd.message_id, cmd.name ?? DEFAULT_CHAT_NAME);
    return { reply: { type: 'chat_created', chat: chatView(chat) }, current: chat.id, broadcasts: [listUpdate(ctx)] };
  },
};

async function generate(ctx: CommandContext, opts: Omit<GenerationOptions, 'max_tokens'>): Promise<Effects> {
  const llm = ctx.llm;
  if (!llm) throw new AppError('internal', 'this host has no Claude client');
  const job = await prepareGeneration(ctx.chats, { ...opts, max_tokens: ctx.limits.max_tokens });
  // Two replies to one message at once would race for the same place: the second is refused.
  if (Object.values(ctx.generations).some((p) => p.chat_id === job.chat_id && p.parent_id === job.parent_id)) {
    throw new AppError('conflict', 'a reply to this message is being generated already: wait for it, or stop it first');
  }
  const started = startedFrame(job);
  const effects: Effects = { reply: started, broadcasts: [{ to: { chat: job.chat_id }, frame: started, skipSender: true }] };
  if (ctx.pooled) {
    const pending: Pending = { chat_id: job.chat_id, parent_id: job.parent_id, attempt: job.attempt, spent_ms: job.spent_ms, ...(opts.model ? { model: opts.model } : {}) };
    return { ...effects, pending: { add: pending } };
  }
  return {
    ...effects,
    after: async () => {
      const { outcome, attempt } = await runGeneration(llm, job);
      return finishGeneration(ctx.chats, job, outcome, attempt);
    },
  };
}

export function runCommand(ctx: CommandContext, cmd: ClientCommand): Promise<Effects> | Effects {
  return (HANDLERS[cmd.type] as Handler<typeof cmd.type>)(ctx, cmd as never);
}
