/**
 * Actor → client frames, as zod schemas: the actor builds them, the UI and the tests parse every
 * frame they receive with these same schemas. Every direct reply echoes the command's request_id.
 */
import { z } from 'zod';
import { ErrorCode } from '../errors.js';
import { ChatView, MessageView, TreeNode } from '../chats/views.js';
import { StoredMessageId } from '../ids.js';
import { ModelInfo } from '../claude/models.js';
import { SearchHit } from '../search/index.js';

const frame = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) => z.object({ type: z.literal(type), ...shape });

const Reference = { chat_id: z.string(), parent_id: StoredMessageId };

export const ServerFrame = z.discriminatedUnion('type', [
  frame('welcome', {
    protocol: z.number().int(),
    version: z.string(),
    chats: z.array(ChatView),
    api_key_configured: z.boolean(),
    /** Generations running now (after a reconnect the client shows them again). */
    generating: z.array(z.object({ chat_id: z.string(), parent_id: z.string() })),
    /** The client stops a generation that runs longer (the actor has no clock). */
    generation_timeout_ms: z.number().int().positive(),
  }),
  frame('pong', { protocol: z.number().int() }),
  frame('error', { code: ErrorCode, message: z.string() }),
  /** The reply to list_chats: the whole list. Events never carry it (see chat_listed). */
  frame('chats_update', { chats: z.array(ChatView) }),
  /** One chat as the list shows it: new or moved to the top (`top`), or changed where it stands (`same`). */
  frame('chat_listed', { chat: ChatView, at: z.enum(['top', 'same']) }),
  frame('chat_created', { chat: ChatView }),
  frame('chat_updated', { chat: ChatView }),
  frame('chat_deleted', { chat_id: z.string() }),
  frame('branch', {
    chat: ChatView,
    messages: z.array(MessageView),
    /**
     * In the reply to switch_chat: the reply being written in this chat now, or null: a client that
     * missed how it ended (its connection was down meanwhile) learns it here.
     */
    generating: z.object({ parent_id: z.string() }).nullable().optional(),
  }),
  frame('tree', { chat: ChatView, nodes: z.array(TreeNode) }),
  frame('message_added', { chat: ChatView, message: MessageView, branched: z.boolean(), selected: z.literal(false).optional() }),
  frame('message', { message: MessageView }),
  frame('head', { current_chat_id: z.string().nullable(), head: StoredMessageId.nullable() }),
  frame('siblings', { message_id: StoredMessageId, parent_id: StoredMessageId.nullable(), siblings: z.array(StoredMessageId), index: z.number().int() }),
  frame('generation_started', { ...Reference, model: z.string(), attempt: z.number().int().positive() }),
  frame('generation_finished', { ...Reference, message_id: StoredMessageId }),
  frame('generation_failed', {
    ...Reference,
    attempt: z.number().int().positive(),
    error: z.object({ code: z.string(), message: z.string(), status: z.number().int().optional(), request_id: z.string().optional(), retryable: z.boolean() }),
    /** Present when the client should send `retry` after `after_ms` (the actor has no timer). */
    retry: z.object({ attempt: z.number().int().positive(), after_ms: z.number().nonnegative() }).optional(),
  }),
  frame('search_results', { query: z.string(), results: z.array(SearchHit), more: z.boolean() }),
  frame('export', { chat_id: z.string(), format: z.enum(['json', 'markdown']), filename: z.string(), content: z.string() }),
  frame('imported', { chats: z.array(ChatView) }),
  frame('models_list', { models: z.array(ModelInfo), source: z.enum(['api', 'fallback']), prices_as_of: z.string() }),
]);
export type ServerFrame = z.infer<typeof ServerFrame>;

/** A frame as it travels: a direct reply carries the command's request_id. */
export const Reply = z.intersection(ServerFrame, z.object({ request_id: z.string().optional() }));
export type Reply = ServerFrame & { request_id?: string };
