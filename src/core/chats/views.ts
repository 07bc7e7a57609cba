/** The shapes of chats and messages going in (new, changed, restored) and out (every reply and event). */
import { z } from 'zod';
import { NodeMeta, Role, type MessageId, type MessageNode } from '../dag/node.js';
import { StoredChatId, StoredMessageId } from '../ids.js';
import { UsageTotals, type ChatRecord } from './record.js';
import { costOf } from '../claude/cost.js';
import { Attachment } from '../dag/parts.js';
import { ThinkingSetting, WebSearchSetting } from '../claude/features.js';
import { ReplyPart, Source, replyParts } from './reply-parts.js';

export const ChatView = z.object({
  id: StoredChatId,
  name: z.string(),
  model: z.string().nullable(),
  system: z.string().nullable(),
  thinking: ThinkingSetting.nullable(),
  web_search: WebSearchSetting.nullable(),
  leaf: StoredMessageId.nullable(),
  usage: UsageTotals,
  created_at: z.string().nullable(),
  updated_at: z.string().nullable(),
});
export type ChatView = z.infer<typeof ChatView>;

export const MessageView = z.object({
  id: StoredMessageId,
  parent_id: StoredMessageId.nullable(),
  role: Role,
  content: z.string(),
  meta: NodeMeta,
  attachments: z.array(Attachment).optional(),
  /** Replies whose blocks hold more than text: thinking, searches, cited text, in order. */
  parts: z.array(ReplyPart).optional(),
  /** The numbered sources the parts' citations point at. */
  sources: z.array(Source).optional(),
  /** Where this message stands among its siblings in this chat: `‹ index+1 / count ›`. */
  siblings: z.object({ index: z.number().int().nonnegative(), count: z.number().int().positive() }),
  /** Replies only: USD at today's prices, or null when the model's price is unknown. */
  cost_usd: z.number().nullable().optional(),
});
export type MessageView = z.infer<typeof MessageView>;

export const TreeNode = z.object({
  id: StoredMessageId,
  parent_id: StoredMessageId.nullable(),
  role: Role,
  /** The first 80 characters. */
  preview: z.string(),
  /** On the chat's selected branch. */
  selected: z.boolean(),
});
export type TreeNode = z.infer<typeof TreeNode>;

export interface Branch {
  chat: ChatView;
  messages: MessageView[];
}

/** The end of a branch: `earlier` is the message to ask `before` for the page above it, or null at the root. */
export interface BranchPage extends Branch {
  earlier: MessageId | null;
}

/** A page of the chat list: `next` is the chat to ask `after` for the next page, or null at its end. */
export interface ListPage {
  chats: ChatView[];
  next: string | null;
}

export function chatView(chat: ChatRecord): ChatView {
  const { id, name, model, system, thinking, web_search, leaf, usage, created_at, updated_at } = chat;
  return { id, name, model, system, thinking, web_search, leaf, usage, created_at, updated_at };
}

/**
 * The view of a message that is the only version at its place, by node: it is the same on every
 * read of every branch through it, and nodes are immutable, so it is built once while its node is
 * kept in the cache. Frozen, as it is shared between replies.
 */
const soleViews = new WeakMap<MessageNode, MessageView>();

export function soleView(id: MessageId, node: MessageNode): MessageView {
  let made = soleViews.get(node);
  if (!made) soleViews.set(node, (made = Object.freeze(view(id, node, [id]))));
  return made;
}

export function view(id: MessageId, node: MessageNode, kids: MessageId[]): MessageView {
  const v: MessageView = {
    id,
    parent_id: node.parent,
    role: node.role,
    content: node.content,
    meta: node.meta,
    siblings: { index: Math.max(0, kids.indexOf(id)), count: Math.max(1, kids.length) },
  };
  if (node.attachments?.length) v.attachments = node.attachments;
  if (node.blocks?.some((b) => b.type !== 'text' || 'citations' in b)) Object.assign(v, replyParts(node.blocks));
  if (node.role === 'assistant' && node.meta.usage) v.cost_usd = node.meta.model ? (costOf(node.meta.model, node.meta.usage) ?? null) : null;
  return v;
}

export interface NewChat {
  name: string;
  model?: string | null;
  system?: string | null;
  thinking?: ThinkingSetting | null;
  web_search?: WebSearchSetting | null;
  starting_head?: MessageId | null;
  created_at?: string;
}

export interface ChatChanges {
  name?: string;
  model?: string | null;
  system?: string | null;
  thinking?: ThinkingSetting | null;
  web_search?: WebSearchSetting | null;
}

/** A chat to write whole, its nodes already checked against their ids (an import). */
export interface RestoredChat {
  name: string;
  model: string | null;
  system: string | null;
  thinking: ThinkingSetting | null;
  web_search: WebSearchSetting | null;
  leaf: MessageId | null;
  selected: Record<string, MessageId>;
  created_at: string | null;
  updated_at: string | null;
  nodes: { id: MessageId; node: MessageNode }[];
  kids: Record<string, MessageId[]>;
}
