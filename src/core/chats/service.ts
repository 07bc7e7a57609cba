/**
 * Chats and their branching conversations. Appending at the selected leaf costs a fixed number
 * of store calls whatever the history length; only branching away from the leaf and switching
 * branches walk the path (their replies carry the whole branch anyway).
 */
import type { Ports } from '../ports.js';
import { AppError } from '../errors.js';
import { Dag, type ParentKey } from '../dag/dag-store.js';
import type { NodeCache } from '../dag/cache.js';
import type { MessageId, MessageNode } from '../dag/node.js';
import type { Attachment } from '../dag/parts.js';
import type { ChatId } from '../ids.js';
import { ChatRecords, ZERO_USAGE, type ChatRecord } from './record.js';
import { addUsage } from './usage.js';
import { chatView, view, type Branch, type BranchPage, type ChatChanges, type ChatView, type ListPage, type MessageView, type NewChat, type RestoredChat, type TreeNode } from './views.js';
import type { AppendListener, MessageSource } from './source.js';
import * as paths from './paths.js';

export * from './views.js';
export type { AppendListener, MessageSource } from './source.js';

export class ChatService implements MessageSource {
  private readonly dag: Dag;
  private readonly records: ChatRecords;

  constructor(
    private readonly ports: Ports,
    cache?: NodeCache,
    private readonly listeners: readonly AppendListener[] = [],
  ) {
    this.dag = new Dag(ports, cache);
    this.records = new ChatRecords(ports, cache?.parsed, cache?.chatOrder);
  }

  /** Chat ids, most recent activity first. */
  ids(): string[] {
    return this.records.ids();
  }

  /** The chat with the latest activity, if any. */
  latestId(): string | undefined {
    return this.records.ids()[0];
  }

  /** One stored node, verified against its id. */
  node(id: MessageId): Promise<MessageNode> {
    return this.dag.get(id);
  }

  /** The node's own stored copy, never one from the cache or a pack (for `fsck`). */
  storedNode(id: MessageId): Promise<MessageNode> {
    return this.dag.stored(id);
  }

  hasNode(id: MessageId): boolean {
    return this.dag.has(id);
  }

  /** The children this chat gave `parent`, in order: its versions there. */
  kids(chatId: string, parent: MessageId | null): readonly MessageId[] {
    return this.dag.kids(chatId, parent);
  }

  private async tell(chatId: string, messages: { id: MessageId; node: MessageNode }[]): Promise<void> {
    for (const listener of this.listeners) await listener.added(this, chatId, messages);
  }

  list(): ChatView[] {
    return this.viewsOf(this.records.ids());
  }

  private viewsOf(ids: string[]): ChatView[] {
    return ids.flatMap((id) => {
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
    return { chats: this.viewsOf(page), next: start + limit < ids.length ? page[page.length - 1]! : null };
  }

  get(id: string): ChatRecord {
    return this.records.get(id);
  }

  async create(spec: NewChat): Promise<ChatRecord> {
    const chat: ChatRecord = {
      v: 1,
      // A host-made UUID: ids are never reused, unlike the original's count + 1.
      id: this.ports.entropy.uuid().toLowerCase() as ChatId,
      name: spec.name,
      model: spec.model ?? null,
      system: spec.system ?? null,
      thinking: spec.thinking ?? null,
      web_search: spec.web_search ?? null,
      leaf: spec.starting_head ?? null,
      selected: {},
      usage: spec.starting_head ? await paths.usageAlong(this.dag, spec.starting_head) : { ...ZERO_USAGE },
      created_at: spec.created_at ?? null,
      updated_at: spec.created_at ?? null,
    };
    return this.records.add(chat);
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
   * Adds a node under `parent` (default: the chat's selected leaf) and selects it, unless
   * `selectIfLeaf` is given and the chat's leaf is no longer that message: a reply that arrives
   * after its reader moved on (edited the question, switched branches) joins the tree without
   * taking the view back. Returns the chat as saved and the message as the chat now sees it.
   */
  async append(
    chatId: string,
    node: Omit<MessageNode, 'v' | 'parent'>,
    parent?: ParentKey,
    selectIfLeaf?: MessageId,
  ): Promise<{ chat: ChatRecord; message: MessageView; branched: boolean; reordered: boolean; selected: boolean }> {
    let chat = this.records.get(chatId);
    const at: ParentKey = parent === undefined ? chat.leaf : parent;
    const branched = at !== chat.leaf;
    // Beside the view only where the chat can still reach it: under a message of a fork's shared
    // path that an edit above has left, it would be in no index of this chat.
    const select = selectIfLeaf === undefined || selectIfLeaf === chat.leaf || at === chat.leaf || (at !== null && !(await this.holds(chat, at)));
    if (at !== null && branched) await this.dag.get(at);
    const stored: MessageNode = { v: 1, parent: at, ...node };
    const id = await this.dag.put(stored);

    let kids = this.dag.kids(chat.id, at);
    const selected = { ...chat.selected };
    let pathChild: MessageId | undefined;
    if (branched) {
      pathChild = await paths.childOnPath(this.dag, chat.leaf, at);
      if (pathChild && !kids.includes(pathChild)) kids = [pathChild, ...kids];
      // Off the current path: every branch point above must now point along the new path.
      if (select && !pathChild && at !== null) await paths.selectAlongPath(this.dag, selected, at);
    }
    if (!kids.includes(id)) {
      kids = [...kids, id];
      this.dag.setKids(chat.id, at, kids);
    }
    if (kids.length >= 2) {
      const key = paths.keyOf(at);
      // Not selected: the place keeps showing the version it showed (the reader's path, else the one there before).
      if (select) selected[key] = id;
      else selected[key] = pathChild ?? selected[key] ?? kids[kids.length - 2]!;
    }
    // Searchable as soon as the chat's tree shows it, before the chat moves to it: a crash between
    // the two leaves a findable sibling, never a message on the branch that search cannot find.
    await this.tell(chat.id, [{ id, node: stored }]);

    chat = {
      ...chat,
      leaf: select ? id : chat.leaf,
      selected,
      usage: node.meta.usage ? addUsage(chat.usage, node.meta) : chat.usage,
      updated_at: node.meta.created_at ?? chat.updated_at,
    };
    const { saved, moved: reordered } = this.records.save(chat, true);
    return { chat: saved, message: view(id, stored, await paths.versions(this.dag, kids, id, stored.role)), branched, reordered, selected: select };
  }

  /** A user message edited: a new sibling with the same parent; the original stays. */
  /** The new version keeps the original's files unless others (or none: `[]`) are given. */
  async edit(chatId: string, messageId: MessageId, content: string, createdAt?: string, attachments?: Attachment[]) {
    const original = await this.held(chatId, messageId);
    if (original.role !== 'user') throw new AppError('bad_request', 'only user messages can be edited; regenerate assistant replies instead');
    const files = attachments ?? original.attachments;
    if (content === original.content && JSON.stringify(files ?? []) === JSON.stringify(original.attachments ?? [])) {
      throw new AppError('bad_request', 'the edit changes nothing: change the text or the files, or regenerate the reply instead');
    }
    return this.append(chatId, { role: 'user', content, meta: createdAt ? { created_at: createdAt } : {}, ...(files?.length ? { attachments: files } : {}) }, original.parent);
  }

  async message(id: MessageId): Promise<MessageView> {
    const node = await this.dag.get(id);
    return view(id, node, [id]);
  }

  /** The selected branch, root first, in one piece. */
  async branch(chatId: string): Promise<Branch> {
    const chat = this.records.get(chatId);
    return { chat: chatView(chat), messages: await paths.branchTo(this.dag, chat, chat.leaf) };
  }

  /** The last `limit` messages of the selected branch, above `before` when it is given. */
  async branchPage(chatId: string, limit: number, before?: MessageId): Promise<BranchPage> {
    const chat = this.records.get(chatId);
    let from = chat.leaf;
    if (before !== undefined) from = await paths.above(this.dag, chat, before);
    const messages = await paths.branchTo(this.dag, chat, from, limit);
    const top = messages[0];
    return { chat: chatView(chat), messages, earlier: top && top.parent_id !== null ? top.id : null };
  }

  /** Whether messages lie on the chat's selected branch (one walk shared by every question). */
  onSelectedBranch(chatId: string): (id: MessageId) => Promise<boolean> {
    return paths.onSelectedBranch(this.dag, this.records.get(chatId));
  }

  /** Role and text of every message from the root down to `id`: what a request to Claude is built from. */
  pathTo(id: MessageId): Promise<MessageNode[]> {
    return paths.pathTo(this.dag, id);
  }

  /** Every message this chat can reach, for a map of its branches. */
  tree(chatId: string, limit = 5000): Promise<{ chat: ChatView; nodes: TreeNode[] }> {
    return paths.tree(this.dag, this.records.get(chatId), limit);
  }

  async siblings(chatId: string, messageId: MessageId): Promise<{ parent_id: MessageId | null; ids: MessageId[]; index: number }> {
    const chat = this.records.get(chatId);
    await this.mustHold(chat, messageId);
    return paths.siblings(this.dag, chat, messageId);
  }

  /** A message of this chat, for an id that comes from outside: one of another chat would graft that chat's history into this one. */
  held(chatId: string, id: MessageId): Promise<MessageNode> {
    return this.mustHold(this.records.get(chatId), id);
  }

  private async mustHold(chat: ChatRecord, id: MessageId): Promise<MessageNode> {
    const node = await this.dag.get(id);
    if (await this.holds(chat, id, node)) return node;
    throw new AppError('not_found', `message ${id} is not part of chat ${chat.id}`);
  }

  /** In the chat's branch index under its parent, or on the path to its leaf (a fork's shared start has no index of its own). */
  private async holds(chat: ChatRecord, id: MessageId, node?: MessageNode): Promise<boolean> {
    const { parent } = node ?? (await this.dag.get(id));
    return this.dag.kids(chat.id, parent).includes(id) || (await paths.childOnPath(this.dag, chat.leaf, parent)) === id;
  }

  /** Moves the chat to the sibling's branch, at the leaf that branch had when last seen. */
  async select(chatId: string, messageId: MessageId): Promise<Branch> {
    let chat = this.records.get(chatId);
    const node = await this.mustHold(chat, messageId);
    const kids = this.dag.kids(chat.id, node.parent);
    const selected = { ...chat.selected };
    if (kids.length >= 2) selected[paths.keyOf(node.parent)] = messageId;
    if (node.parent !== null) await paths.selectAlongPath(this.dag, selected, node.parent);
    const leaf = await paths.rememberedLeaf(this.dag, chat.id, selected, messageId);
    chat = { ...chat, selected, leaf };
    this.records.save(chat);
    return { chat: chatView(chat), messages: await paths.branchTo(this.dag, chat, leaf) };
  }

  /**
   * Writes a checked chat whole: nodes first, then its branch lists, then the chat record, so no
   * chat ever points at what is missing; listeners hear every node, as they do for an append.
   */
  async restore(spec: RestoredChat): Promise<ChatRecord> {
    for (const { node } of spec.nodes) await this.dag.put(node);
    const chat = await this.create({ name: spec.name, model: spec.model, system: spec.system, thinking: spec.thinking, web_search: spec.web_search, created_at: spec.created_at ?? undefined });
    for (const [parent, list] of Object.entries(spec.kids)) this.dag.setKids(chat.id, parent === 'root' ? null : (parent as MessageId), list);
    let usage = { ...ZERO_USAGE };
    for (const { node } of spec.nodes) if (node.role === 'assistant' && node.meta.usage) usage = addUsage(usage, node.meta);
    const record: ChatRecord = { ...chat, leaf: spec.leaf, selected: spec.selected, usage, updated_at: spec.updated_at };
    this.records.save(record);
    await this.tell(chat.id, spec.nodes);
    return record;
  }
}

