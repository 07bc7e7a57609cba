/** A chat's mutable record and the index of chats, each one small blob behind one label. */
import { z } from 'zod';
import type { Ports } from '../ports.js';
import { AppError } from '../errors.js';
import type { MessageId } from '../dag/node.js';
import { CHAT_ID, StoredChatId, StoredMessageId } from '../ids.js';
import { ThinkingSetting, WebSearchSetting } from '../claude/features.js';
import { ParsedRefs, type KnownOrder } from '../dag/cache.js';

export { CHAT_ID };

export const UsageTotals = z.object({
  input_tokens: z.number().int().nonnegative(),
  output_tokens: z.number().int().nonnegative(),
  cache_creation_input_tokens: z.number().int().nonnegative(),
  cache_read_input_tokens: z.number().int().nonnegative(),
  /** Totals kept since thinking and web search came: records written before read them as 0. */
  thinking_tokens: z.number().int().nonnegative().default(0),
  web_search_requests: z.number().int().nonnegative().default(0),
  /** USD, counting only messages whose price was known; `unpriced` counts the others. */
  cost_usd: z.number().nonnegative(),
  unpriced_messages: z.number().int().nonnegative(),
});
export type UsageTotals = z.output<typeof UsageTotals>;

export const ZERO_USAGE: UsageTotals = {
  input_tokens: 0,
  output_tokens: 0,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
  thinking_tokens: 0,
  web_search_requests: 0,
  cost_usd: 0,
  unpriced_messages: 0,
};

const MessageIdText = StoredMessageId;

export const ChatRecord = z.object({
  v: z.literal(1),
  id: StoredChatId,
  name: z.string(),
  model: z.string().nullable(),
  system: z.string().nullable(),
  /** Off when absent: records written before these existed read as off. */
  thinking: ThinkingSetting.nullable().default(null),
  web_search: WebSearchSetting.nullable().default(null),
  leaf: MessageIdText.nullable(),
  /** At every branch point (a node with two or more children in this chat): the child chosen last. */
  selected: z.record(z.string(), MessageIdText),
  usage: UsageTotals,
  created_at: z.string().nullable(),
  updated_at: z.string().nullable(),
  /**
   * Where the chat stands in the list: the chat active last has the largest. Kept in the record,
   * which every message rewrites anyway, so a message no longer rewrites the whole list. Records
   * written before it have none and keep the order the list gave them, below every chat with one.
   */
  active: z.number().int().nonnegative().optional(),
});
export type ChatRecord = Omit<z.infer<typeof ChatRecord>, 'leaf' | 'selected'> & {
  leaf: MessageId | null;
  selected: Record<string, MessageId>;
};

/** Which chats exist, newest first (until records carried `active`, also their order). */
const ChatIndex = z.object({ v: z.literal(1), ids: z.array(z.string().regex(CHAT_ID)) });

const INDEX_LABEL = 'chats';
const decoder = new TextDecoder();

export function parseChatId(value: unknown, field = 'chat_id'): string {
  if (typeof value !== 'string' || !CHAT_ID.test(value)) throw new AppError('bad_request', `${field} is not a chat id`);
  return value;
}

export class ChatRecords {
  /**
   * `order`: what the instance knows of the list's order, kept between calls. It is read from the
   * records once and then kept as this instance writes them: one actor per store (README).
   */
  constructor(
    private readonly ports: Ports,
    private readonly parsed = new ParsedRefs(0),
    private readonly order: KnownOrder = { top: 0 },
  ) {}

  /** Frozen: a record is changed by saving a new one. */
  private readJson<T>(label: string, schema: z.ZodType<T>, what: string): T | undefined {
    const ref = this.ports.labels.get(label);
    if (ref === undefined) return undefined;
    const known = this.parsed.get<T>(label, ref);
    if (known !== undefined) return known;
    let raw: unknown;
    try {
      raw = JSON.parse(decoder.decode(this.ports.content.get(ref)));
    } catch {
      throw new AppError('corrupt_object', `${what} is damaged in the store`);
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw new AppError('corrupt_object', `${what} is damaged in the store`);
    return this.parsed.set(label, ref, parsed.data);
  }

  /** The value is kept as the next read's answer, so it is frozen too. */
  private writeJson(label: string, value: unknown): void {
    this.parsed.set(label, this.ports.labels.write(label, JSON.stringify(value)), value);
  }

  /** Chat ids, the chat active last first. */
  ids(): string[] {
    return [...this.known().ids];
  }

  private listed(): string[] {
    return this.readJson(INDEX_LABEL, ChatIndex, 'the chat list')?.ids ?? [];
  }

  private writeListed(ids: string[]): void {
    this.writeJson(INDEX_LABEL, { v: 1, ids });
  }

  private known(): { ids: string[]; top: number } {
    if (this.order.ids === undefined) {
      const chats = this.listed().map((id, place) => ({ id, place, active: this.activeOf(id) }));
      chats.sort((a, b) => b.active - a.active || a.place - b.place);
      this.order.ids = chats.map((c) => c.id);
      this.order.top = Math.max(0, ...chats.map((c) => c.active));
    }
    return this.order as { ids: string[]; top: number };
  }

  /** A damaged or missing record sorts as one written before `active`: it must not stop the others. */
  private activeOf(id: string): number {
    try {
      return this.find(id)?.active ?? -1;
    } catch {
      return -1;
    }
  }

  find(id: string): ChatRecord | undefined {
    return this.readJson(`chat/${id}`, ChatRecord, `chat ${id}`) as ChatRecord | undefined;
  }

  get(id: string): ChatRecord {
    const chat = this.find(id);
    if (!chat) throw new AppError('not_found', `no chat ${id}`);
    return chat;
  }

  /**
   * Saves the chat; with `toTop` it becomes the chat active last, in the same write. Answers the
   * record as saved and whether the chat moved up the list.
   */
  save(chat: ChatRecord, toTop = false): { saved: ChatRecord; moved: boolean } {
    const order = toTop ? this.known() : undefined;
    const moved = order !== undefined && order.ids[0] !== chat.id;
    const saved = moved ? { ...chat, active: order.top + 1 } : chat;
    this.writeJson(`chat/${chat.id}`, saved);
    if (moved) {
      order.top = saved.active!;
      order.ids = [chat.id, ...order.ids.filter((x) => x !== chat.id)];
    }
    return { saved, moved };
  }

  /** A new chat: saved at the top of the list, then listed (a crash between leaves it unlisted, never listed and missing). */
  add(chat: ChatRecord): ChatRecord {
    const { saved } = this.save(chat, true);
    this.writeListed([chat.id, ...this.listed().filter((x) => x !== chat.id)]);
    return saved;
  }

  remove(id: string): void {
    this.writeListed(this.listed().filter((x) => x !== id));
    this.ports.labels.remove(`chat/${id}`);
    if (this.order.ids) this.order.ids = this.order.ids.filter((x) => x !== id);
  }
}
