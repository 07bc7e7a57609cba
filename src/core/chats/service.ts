/**
 * Chats and their branching conversations. Appending at the selected leaf costs a fixed number
 * of store calls whatever the history length; only branching away from the leaf and switching
 * branches walk the path (their replies carry the whole branch anyway).
 */
import type { Ports } from '../ports.js';
import { AppError } from '../errors.js';
import { Dag, type ParentKey } from '../dag/dag-store.js';
import type { NodeCache } from '../dag/cache.js';
import type { SearchIndex } from '../search/index.js';
import type { MessageId, MessageNode, NodeMeta, Role } from '../dag/node.js';
import { ChatRecords, ZERO_USAGE, type ChatRecord } from './record.js';
import { addUsage } from './usage.js';
import { costOf } from '../claude/cost.js';

export interface ChatView {
  id: string;
  name: string;
  model: string | null;
  system: string | null;
  leaf: MessageId | null;
  usage: ChatRecord['usage'];
  created_at: string | null;
  updated_at: string | null;
}

export interface MessageView {
  id: MessageId;
  parent_id: MessageId | null;
  role: Role;
  content: string;
  meta: NodeMeta;
  /** Where this message stands among its siblings in this chat: `‹ index+1 / count ›`. */
  siblings: { index: number; count: number };
  /** Replies only: USD at today's prices, or null when the model's price is unknown. */
  cost_usd?: number | null;
}

export interface TreeNode {
  id: MessageId;
  parent_id: MessageId | null;
  role: Role;
  /** The first 80 characters. */
  preview: string;
  /** On the chat's selected branch. */
  selected: boolean;
}

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

export interface NewChat {
  name: string;
  model?: string | null;
  system?: string | null;
  starting_head?: MessageId | null;
  created_at?: string;
}

export interface ChatChanges {
  name?: string;
  model?: string | null;
  system?: string | null;
}

export function chatView(chat: ChatRecord): ChatView {
  const { id, name, model, system, leaf, usage, created_at, updated_at } = chat;
  return { id, name, model, system, leaf, usage, created_at, updated_at };
}

const keyOf = (parent: ParentKey): string => parent ?? 'root';

export class ChatService {
  readonly dag: Dag;
  readonly records: ChatRecords;

  constructor(
    private readonly ports: Ports,
    cache?: NodeCache,
    readonly search?: SearchIndex,
  ) {
    this.dag = new Dag(ports, cache);
    this.records = new ChatRecords(ports);
  }

  list(): ChatView[] {
    return this.records.ids().flatMap((id) => {
      const chat = this.records.find(id);
      return chat ? [chatView(chat)] : [];
    });
  }

  /**
   * Chats in order of activity, after the chat `after`. A chat that becomes active between two
   * pages moves to the front, so a reader that pages while others write may see it twice.
   */
  listPage(limit: number, after?: string): ListPage {
    const ids = this.records.ids();
    const start = after === undefined ? 0 : ids.indexOf(after) + 1;
    if (start === 0 && after !== undefined) throw new AppError('not_found', `chat ${after} is not in the list (deleted?): ask for the first page again`);
    const page = ids.slice(start, start + limit);
    const chats = page.flatMap((id) => {
      const chat = this.records.find(id);
      return chat ? [chatView(chat)] : [];
    });
    return { chats, next: start + limit < ids.length ? page[page.length - 1]! : null };
  }

  get(id: string): ChatRecord {
    return this.records.get(id);
  }

  async create(spec: NewChat): Promise<ChatRecord> {
    if (spec.starting_head) await this.dag.get(spec.starting_head);
    const chat: ChatRecord = {
      v: 1,
      // A host-made UUID: ids are never reused, unlike the original's count + 1.
      id: this.ports.entropy.uuid().toLowerCase(),
      name: spec.name,
      model: spec.model ?? null,
      system: spec.system ?? null,
      leaf: spec.starting_head ?? null,
      selected: {},
      usage: { ...ZERO_USAGE },
      created_at: spec.created_at ?? null,
      updated_at: spec.created_at ?? null,
    };
    this.records.save(chat);
    this.records.touch(chat.id);
    return chat;
  }

  update(id: string, changes: ChatChanges): ChatRecord {
    const chat = { ...this.records.get(id), ...changes };
    this.records.save(chat);
    return chat;
  }

  delete(id: string): void {
    this.records.get(id);
    this.records.remove(id);
  }

  /** A new chat that starts at any message: it shares the nodes, nothing is copied. */
  async fork(from: MessageId, name: string): Promise<ChatRecord> {
    return this.create({ name, starting_head: from });
  }

  /**
   * Adds a node under `parent` (default: the chat's selected leaf) and selects it.
   * Returns the chat as saved and the message as the chat now sees it.
   */
  async append(
    chatId: string,
    node: { role: Role; content: string; meta: NodeMeta },
    parent?: ParentKey,
  ): Promise<{ chat: ChatRecord; message: MessageView; branched: boolean; reordered: boolean }> {
    let chat = this.records.get(chatId);
    const at: ParentKey = parent === undefined ? chat.leaf : parent;
    const branched = at !== chat.leaf;
    if (at !== null && branched) await this.dag.get(at);
    const stored: MessageNode = { v: 1, parent: at, ...node };
    const id = await this.dag.put(stored);

    let kids = this.dag.kids(chat.id, at);
    const selected = { ...chat.selected };
    if (branched) {
      const pathChild = await this.childOnPath(chat.leaf, at);
      if (pathChild && !kids.includes(pathChild)) kids = [pathChild, ...kids];
      // Off the current path: every branch point above must now point along the new path.
      if (!pathChild && at !== null) await this.selectAlongPath(selected, at);
    }
    if (!kids.includes(id)) {
      kids = [...kids, id];
      this.dag.setKids(chat.id, at, kids);
    }
    if (kids.length >= 2) selected[keyOf(at)] = id;
    // Searchable as soon as the chat's tree shows it, before the chat moves to it: a crash between
    // the two leaves a findable sibling, never a message on the branch that search cannot find.
    await this.search?.added(this, chat.id, [{ id, node: stored }]);

    chat = {
      ...chat,
      leaf: id,
      selected,
      usage: node.meta.usage ? addUsage(chat.usage, node.meta) : chat.usage,
      updated_at: node.meta.created_at ?? chat.updated_at,
    };
    this.records.save(chat);
    const reordered = this.records.touch(chat.id);
    return { chat, message: view(id, stored, kids), branched, reordered };
  }

  /** A user message edited: a new sibling with the same parent; the original stays. */
  async edit(chatId: string, messageId: MessageId, content: string, createdAt?: string) {
    const original = await this.dag.get(messageId);
    if (original.role !== 'user') throw new AppError('bad_request', 'only user messages can be edited; regenerate assistant replies instead');
    return this.append(chatId, { role: 'user', content, meta: createdAt ? { created_at: createdAt } : {} }, original.parent);
  }

  async message(id: MessageId): Promise<MessageView> {
    const node = await this.dag.get(id);
    return view(id, node, [id]);
  }

  /** The selected branch, root first, in one piece. */
  async branch(chatId: string): Promise<Branch> {
    const chat = this.records.get(chatId);
    return { chat: chatView(chat), messages: await this.branchTo(chat, chat.leaf) };
  }

  /** The last `limit` messages of the selected branch, above `before` when it is given. */
  async branchPage(chatId: string, limit: number, before?: MessageId): Promise<BranchPage> {
    const chat = this.records.get(chatId);
    let from = chat.leaf;
    if (before !== undefined) from = await this.above(chat, before);
    const messages = await this.branchTo(chat, from, limit);
    const top = messages[0];
    return { chat: chatView(chat), messages, earlier: top && top.parent_id !== null ? top.id : null };
  }

  /** The parent of `id`, found by walking up from the leaf: a message of another chat or branch is refused. */
  private async above(chat: ChatRecord, id: MessageId): Promise<MessageId | null> {
    const seen = new Set<string>();
    for (let at = chat.leaf; at !== null && !seen.has(at); ) {
      seen.add(at);
      const node = await this.dag.get(at);
      if (at === id) return node.parent;
      at = node.parent;
    }
    throw new AppError('not_found', `message ${id} is not on the selected branch of chat ${chat.id}`);
  }

  private async branchTo(chat: ChatRecord, leaf: MessageId | null, limit = Infinity): Promise<MessageView[]> {
    const messages: MessageView[] = [];
    const seen = new Set<string>();
    for (let id = leaf; id !== null && messages.length < limit; ) {
      if (seen.has(id)) throw new AppError('corrupt_object', `message ${id} is its own ancestor`);
      seen.add(id);
      const node = await this.dag.get(id);
      const kids = chat.selected[keyOf(node.parent)] ? this.dag.kids(chat.id, node.parent) : [id];
      messages.push(view(id, node, kids.includes(id) ? kids : [id]));
      id = node.parent;
    }
    return messages.reverse();
  }

  /**
   * Tells which messages lie on the chat's selected branch, reading as few nodes as it can: it walks
   * up from the leaf and up from the message in turn, so a recent message is met from the leaf, an
   * old one reaches the root quickly, and one on another branch stops at the first branch point that
   * chose otherwise. Nodes met from the leaf are remembered for the next question.
   */
  onSelectedBranch(chatId: string): (id: MessageId) => Promise<boolean> {
    const chat = this.records.get(chatId);
    const onPath = new Set<string>();
    let fromLeaf = chat.leaf;
    return async (target) => {
      let at: MessageId | null = target;
      let below: MessageId | null = null;
      for (let steps = 0; steps < 2_000_000; steps++) {
        if (fromLeaf !== null) {
          onPath.add(fromLeaf);
          fromLeaf = (await this.dag.get(fromLeaf)).parent;
        }
        if (onPath.has(target)) return true;
        // Past the root with every choice pointing this way: on the branch (the leaf was not passed).
        if (at === null) return true;
        if (below !== null && at === chat.leaf) return false;
        // Every choice between here and the target points at the target, and here is on the branch.
        if (onPath.has(at)) return true;
        const node = await this.dag.get(at);
        const chosen = chat.selected[keyOf(node.parent)];
        if (chosen !== undefined && chosen !== at) return false;
        below = at;
        at = node.parent;
      }
      throw new AppError('corrupt_object', 'the chat has a cycle');
    };
  }

  /** Role and text of every message from the root down to `id`: what a request to Claude is built from. */
  async pathTo(id: MessageId): Promise<{ role: Role; content: string }[]> {
    const turns: { role: Role; content: string }[] = [];
    const seen = new Set<string>();
    for (let at: MessageId | null = id; at !== null; ) {
      if (seen.has(at)) throw new AppError('corrupt_object', `message ${at} is its own ancestor`);
      seen.add(at);
      const node = await this.dag.get(at);
      turns.push({ role: node.role, content: node.content });
      at = node.parent;
    }
    return turns.reverse();
  }

  /**
   * Every message this chat can reach, for a map of its branches: down from its roots through its
   * own children, plus the path it shares with the chat it was forked from.
   */
  async tree(chatId: string, limit = 5000): Promise<{ chat: ChatView; nodes: TreeNode[] }> {
    const chat = this.records.get(chatId);
    const path: MessageId[] = [];
    for (let id = chat.leaf; id !== null; ) {
      path.push(id);
      id = (await this.dag.get(id)).parent;
    }
    path.reverse();
    const onPath = new Map(path.map((id, i) => [id, path[i + 1]]));
    const nodes: TreeNode[] = [];
    const queue: MessageId[] = [...new Set([...(path[0] ? [path[0]] : []), ...this.dag.kids(chat.id, null)])];
    const seen = new Set<MessageId>(queue);
    while (queue.length > 0 && nodes.length < limit) {
      const id = queue.shift()!;
      const node = await this.dag.get(id);
      nodes.push({ id, parent_id: node.parent, role: node.role, preview: node.content.slice(0, 80), selected: onPath.has(id) });
      const next = onPath.get(id);
      for (const kid of [...this.dag.kids(chat.id, id), ...(next ? [next] : [])]) {
        if (!seen.has(kid)) {
          seen.add(kid);
          queue.push(kid);
        }
      }
    }
    return { chat: chatView(chat), nodes };
  }

  async siblings(chatId: string, messageId: MessageId): Promise<{ parent_id: MessageId | null; ids: MessageId[]; index: number }> {
    const chat = this.records.get(chatId);
    const node = await this.dag.get(messageId);
    const kids = this.dag.kids(chat.id, node.parent);
    const ids = kids.includes(messageId) ? kids : [messageId];
    return { parent_id: node.parent, ids, index: ids.indexOf(messageId) };
  }

  /** Moves the chat to the sibling's branch, at the leaf that branch had when last seen. */
  async select(chatId: string, messageId: MessageId): Promise<Branch> {
    let chat = this.records.get(chatId);
    const node = await this.dag.get(messageId);
    const kids = this.dag.kids(chat.id, node.parent);
    if (!kids.includes(messageId) && chat.leaf !== messageId && !(await this.childOnPath(chat.leaf, node.parent))) {
      throw new AppError('not_found', `message ${messageId} is not part of chat ${chatId}`);
    }
    const selected = { ...chat.selected };
    if (kids.length >= 2) selected[keyOf(node.parent)] = messageId;
    if (node.parent !== null) await this.selectAlongPath(selected, node.parent);
    const leaf = await this.rememberedLeaf(chat.id, selected, messageId);
    chat = { ...chat, selected, leaf };
    this.records.save(chat);
    return { chat: chatView(chat), messages: await this.branchTo(chat, leaf) };
  }

  /** Follows the remembered choice at each branch point, else the only child, down to a leaf. */
  private async rememberedLeaf(chatId: string, selected: Record<string, MessageId>, from: MessageId): Promise<MessageId> {
    let id = from;
    for (let steps = 0; steps < 1_000_000; steps++) {
      const next = selected[id] ?? this.dag.kids(chatId, id).at(-1);
      if (next === undefined) return id;
      id = next;
    }
    throw new AppError('corrupt_object', 'the branch index has a cycle');
  }

  /** The child of `parent` on the path from the root to `leaf`, if `parent` is on it. */
  private async childOnPath(leaf: MessageId | null, parent: ParentKey): Promise<MessageId | undefined> {
    for (let id = leaf; id !== null; ) {
      const node = await this.dag.get(id);
      if (node.parent === parent) return id;
      id = node.parent;
    }
    return undefined;
  }

  /** Points every branch point above `from` at the path that leads to `from`. */
  private async selectAlongPath(selected: Record<string, MessageId>, from: MessageId): Promise<void> {
    for (let id: MessageId | null = from; id !== null; ) {
      const node = await this.dag.get(id);
      const key = keyOf(node.parent);
      if (selected[key] !== undefined) selected[key] = id;
      id = node.parent;
    }
  }
}

function view(id: MessageId, node: MessageNode, kids: MessageId[]): MessageView {
  const v: MessageView = {
    id,
    parent_id: node.parent,
    role: node.role,
    content: node.content,
    meta: node.meta,
    siblings: { index: Math.max(0, kids.indexOf(id)), count: Math.max(1, kids.length) },
  };
  if (node.role === 'assistant' && node.meta.usage) v.cost_usd = node.meta.model ? (costOf(node.meta.model, node.meta.usage) ?? null) : null;
  return v;
}
