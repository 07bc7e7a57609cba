/**
 * Client → actor commands over /ws, one zod schema each: the single source of truth for the
 * actor, the UI and docs/protocol.md. The original actor's names and fields are kept.
 */
import { z } from 'zod';
import { AppError } from '../errors.js';
import { AttachmentPicks, ChatId, ChatName, ClientTime, Content, MessageIdField, ModelId, RequestId } from './fields.js';
import { ThinkingSetting, WebSearchSetting } from '../claude/features.js';

export const PROTOCOL_VERSION = 1;

const command = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.strictObject({ type: z.literal(type), request_id: RequestId, ...shape });

export const Commands = [
  command('hello', { token: z.string().min(1).max(200) }),
  command('ping', {}),
  command('list_chats', {}),
  command('create_chat', {
    name: ChatName.optional(),
    starting_head: MessageIdField.nullable().optional(),
    model: ModelId.nullable().optional(),
    system: z.string().nullable().optional(),
    thinking: ThinkingSetting.nullable().optional(),
    web_search: WebSearchSetting.nullable().optional(),
    created_at: ClientTime.optional(),
  }),
  command('switch_chat', { chat_id: ChatId }),
  command('rename_chat', { chat_id: ChatId, name: ChatName }),
  command('update_chat', {
    chat_id: ChatId,
    model: ModelId.nullable().optional(),
    system: z.string().nullable().optional(),
    /** null turns it off. */
    thinking: ThinkingSetting.nullable().optional(),
    web_search: WebSearchSetting.nullable().optional(),
  }),
  command('delete_chat', { chat_id: ChatId }),
  command('send_message', {
    content: Content,
    chat_id: ChatId.optional(),
    parent_id: MessageIdField.nullable().optional(),
    attachments: AttachmentPicks.optional(),
    created_at: ClientTime.optional(),
  }),
  command('edit_message', {
    message_id: MessageIdField,
    content: Content,
    chat_id: ChatId.optional(),
    /** Absent: the new version keeps the original's files; `[]` drops them. */
    attachments: AttachmentPicks.optional(),
    created_at: ClientTime.optional(),
  }),
  command('get_message', { message_id: MessageIdField }),
  command('get_head', { chat_id: ChatId.optional() }),
  command('get_branch', { chat_id: ChatId.optional() }),
  command('get_tree', { chat_id: ChatId.optional() }),
  command('get_siblings', { message_id: MessageIdField, chat_id: ChatId.optional() }),
  command('select_sibling', { message_id: MessageIdField, chat_id: ChatId.optional() }),
  command('fork_chat', { message_id: MessageIdField, name: ChatName.optional() }),
  command('generate_llm_response', {
    chat_id: ChatId.optional(),
    /** The original's field: the model to use for this reply (default: the chat's, else the app's). */
    model_id: ModelId.optional(),
    /** The user message to answer (default: the selected leaf): naming an earlier one regenerates. */
    parent_id: MessageIdField.optional(),
    attempt: z.number().int().min(1).max(10).optional(),
    spent_ms: z.number().int().min(0).max(600_000).optional(),
  }),
  command('retry', {
    /** An error record, or the user message it failed on. */
    message_id: MessageIdField,
    chat_id: ChatId.optional(),
    attempt: z.number().int().min(1).max(10).optional(),
    spent_ms: z.number().int().min(0).max(600_000).optional(),
  }),
  command('list_models', { refresh: z.boolean().optional() }),
  command('search', { query: z.string().trim().min(1, 'query is empty').max(500), limit: z.number().int().min(1).max(100).optional() }),
  command('export_chat', { chat_id: ChatId.optional(), format: z.enum(['json', 'markdown']).optional() }),
  /** A theater-chat export or a ChatGPT conversations.json, as text. */
  command('import_chat', { content: z.string().min(1) }),
  command('cancel_generation', {
    chat_id: ChatId.optional(),
    parent_id: MessageIdField.optional(),
    /** `timeout` when the client's clock says the generation ran past generation_timeout_ms. */
    reason: z.enum(['cancelled', 'timeout']).optional(),
  }),
] as const;

export const ClientCommand = z.discriminatedUnion('type', Commands);
export type ClientCommand = z.infer<typeof ClientCommand>;
/** What a client writes (before defaults and trimming). */
export type ClientCommandInput = z.input<typeof ClientCommand>;
export type CommandOf<T extends ClientCommand['type']> = Extract<ClientCommand, { type: T }>;

const COMMAND_TYPES = new Set<string>(Commands.map((c) => c.shape.type.value));
const isCommandType = (type: string): type is ClientCommand['type'] => COMMAND_TYPES.has(type);

/** A frame at most this large is parsed; a bigger one is refused before JSON.parse. */
export const MAX_FRAME_BYTES = 2 * 1024 * 1024;

export interface ParsedFrame {
  command?: ClientCommand;
  error?: AppError;
  requestId?: string;
  /** The command's type, when the frame names a known one. */
  type?: ClientCommand['type'];
}

/** A `request_id` near either end of a frame too large to parse (where clients put it): its refusal can still be matched. */
const REQUEST_ID_AT_AN_END = /"request_id"\s*:\s*"([^"\\]{0,128})"/;
const END_SCANNED = 4096;

/** Parses one text frame; never throws. A request_id is recovered even from a rejected command. */
export function parseFrame(text: string): ParsedFrame {
  if (text.length > MAX_FRAME_BYTES) {
    const requestId = REQUEST_ID_AT_AN_END.exec(text.slice(0, END_SCANNED))?.[1] ?? REQUEST_ID_AT_AN_END.exec(text.slice(-END_SCANNED))?.[1];
    return { requestId, error: new AppError('payload_too_large', `frame is larger than ${MAX_FRAME_BYTES} bytes`) };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { error: new AppError('invalid_json', 'frame is not valid JSON') };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { error: new AppError('bad_request', 'a command must be a JSON object with a "type"') };
  }
  const record = raw as Record<string, unknown>;
  const requestId = typeof record.request_id === 'string' && record.request_id.length <= 128 ? record.request_id : undefined;
  const type = Object.prototype.hasOwnProperty.call(record, 'type') ? record.type : undefined;
  if (typeof type !== 'string') {
    return { requestId, error: new AppError('bad_request', 'a command needs a string "type"') };
  }
  if (!isCommandType(type)) {
    return { requestId, error: new AppError('unknown_command', `unknown command type "${type.slice(0, 64)}"`) };
  }
  const parsed = ClientCommand.safeParse(raw);
  if (!parsed.success) {
    return { requestId, type, error: new AppError('bad_request', `invalid "${type}" command: ${describeIssues(parsed.error)}`) };
  }
  return { requestId, command: parsed.data };
}

/** One line per problem, naming the field: "name: name is empty". */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}
