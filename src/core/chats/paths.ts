/**
 * Walking a chat's branches in the DAG: the selected branch, whether a message is on it, the map
 * of every branch, and the choices a fork remembers. Pure reads over the DAG and a chat record.
 */
import { AppError } from '../errors.js';
import type { Dag, ParentKey } from '../dag/dag-store.js';
import type { MessageId, MessageNode, Role } from '../dag/node.js';
import { ZERO_USAGE, type ChatRecord, type UsageTotals } from './record.js';
import { addUsage } from './usage.js';
import { chatView, soleView, view, type ChatView, type MessageView, type TreeNode } from './views.js';

export const keyOf = (parent: ParentKey): string => parent ?? 'root';

/** The parent of `id`, found by walking up from the leaf: a message of another chat or branch is refused. */
export async function above(dag: Dag, chat: ChatRecord, id: MessageId): Promise<MessageId | null> {
  const seen = new Set<string>();
  for (let at = chat.leaf; at !== null && !seen.has(at); ) {
    seen.add(at);
    const node = await dag.get(at);
    if (at === id) return node.parent;
    at = node.parent;
  }
  throw new AppError('not_found', `message ${id} is not on the selected branch of chat ${chat.id}`);
}

/**
 * The versions shown at a message's place: a failed or stopped attempt (an error record) is not a
 * version of the reply that came after it, so a reply regenerated after Stop is 1 of 1, not 2 of 2.
 * An error record itself still counts every attempt, so it can be told apart and left.
 */
export async function versions(dag: Dag, kids: readonly MessageId[], id: MessageId, role: Role): Promise<MessageId[]> {
  if (role === 'error' || kids.length < 2) return [...kids];
  const shown: MessageId[] = [];
  for (const kid of kids) if (kid === id || (await dag.get(kid)).role !== 'error') shown.push(kid);
  return shown;
}

/** What the replies from the root down to `head` cost: a fork starts with the usage of the path it shares. */
export async function usageAlong(dag: Dag, head: MessageId): Promise<UsageTotals> {
  let usage = { ...ZERO_USAGE };
  const seen = new Set<string>();
  for (let id: MessageId | null = head; id !== null && !seen.has(id); ) {
    seen.add(id);
    const node = await dag.get(id);
    if (node.role === 'assistant' && node.meta.usage) usage = addUsage(usage, node.meta);
    id = node.parent;
  }
  return usage;
}

export async function branchTo(dag: Dag, chat: ChatRecord, leaf: MessageId | null, limit = Infinity): Promise<MessageView[]> {
  const messages: MessageView[] = [];
  const seen = new Set<string>();
  for (let id = leaf; id !== null && messages.length < limit; ) {
    if (seen.has(id)) throw new AppError('corrupt_object', `message ${id} is its own ancestor`);
    seen.add(id);
    const node = await dag.get(id);
    // A place with one version has no entry in `selected`: its view needs no branch index.
    if (!chat.selected[keyOf(node.parent)]) messages.push(soleView(id, node));
    else {
      const kids = dag.kids(chat.id, node.parent);
      messages.push(view(id, node, kids.includes(id) ? await versions(dag, kids, id, node.role) : [id]));
    }
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
export function onSelectedBranch(dag: Dag, chat: ChatRecord): (id: MessageId) => Promise<boolean> {
  const onPath = new Set<string>();
  let fromLeaf = chat.leaf;
  return async (target) => {
    let at: MessageId | null = target;
    let below: MessageId | null = null;
    for (let steps = 0; steps < 2_000_000; steps++) {
      if (fromLeaf !== null) {
        onPath.add(fromLeaf);
        fromLeaf = (await dag.get(fromLeaf)).parent;
      }
      if (onPath.has(target)) return true;
      // Past the root with every choice pointing this way: on the branch (the leaf was not passed).
      if (at === null) return true;
      if (below !== null && at === chat.leaf) return false;
      // Every choice between here and the target points at the target, and here is on the branch.
      if (onPath.has(at)) return true;
      const node = await dag.get(at);
      const chosen = chat.selected[keyOf(node.parent)];
      if (chosen !== undefined && chosen !== at) return false;
      below = at;
      at = node.parent;
    }
    throw new AppError('corrupt_object', 'the chat has a cycle');
  };
}

/** Role and text of every message from the root down to `id`: what a request to Claude is built from. */
export async function pathTo(dag: Dag, id: MessageId): Promise<MessageNode[]> {
  const turns: MessageNode[] = [];
  const seen = new Set<string>();
  for (let at: MessageId | null = id; at !== null; ) {
    if (seen.has(at)) throw new AppError('corrupt_object', `message ${at} is its own ancestor`);
    seen.add(at);
    const node = await dag.get(at);
    turns.push(node);
    at = node.parent;
  }
  return turns.reverse();
}

/**
 * Every message this chat can reach, for a map of its branches: down from its roots through its
 * own children, plus the path it shares with the chat it was forked from.
 */
export async function tree(dag: Dag, chat: ChatRecord, limit = 5000): Promise<{ chat: ChatView; nodes: TreeNode[] }> {
  const path: MessageId[] = [];
  for (let id = chat.leaf; id !== null; ) {
    path.push(id);
    id = (await dag.get(id)).parent;
  }
  path.reverse();
  const onPath = new Map(path.map((id, i) => [id, path[i + 1]]));
  const nodes: TreeNode[] = [];
  const queue: MessageId[] = [...new Set([...(path[0] ? [path[0]] : []), ...dag.kids(chat.id, null)])];
  const seen = new Set<MessageId>(queue);
  while (queue.length > 0 && nodes.length < limit) {
    const id = queue.shift()!;
    const node = await dag.get(id);
    nodes.push({ id, parent_id: node.parent, role: node.role, preview: node.content.slice(0, 80), selected: onPath.has(id) });
    const next = onPath.get(id);
    for (const kid of [...dag.kids(chat.id, id), ...(next ? [next] : [])]) {
      if (!seen.has(kid)) {
        seen.add(kid);
        queue.push(kid);
      }
    }
  }
  return { chat: chatView(chat), nodes };
}

/** Follows the remembered choice at each branch point, else the only child, down to a leaf. */
export async function rememberedLeaf(dag: Dag, chatId: string, selected: Record<string, MessageId>, from: MessageId): Promise<MessageId> {
  let id = from;
  for (let steps = 0; steps < 1_000_000; steps++) {
    const next = selected[id] ?? dag.kids(chatId, id).at(-1);
    if (next === undefined) return id;
    id = next;
  }
  throw new AppError('corrupt_object', 'the branch index has a cycle');
}

/** The child of `parent` on the path from the root to `leaf`, if `parent` is on it. */
export async function childOnPath(dag: Dag, leaf: MessageId | null, parent: ParentKey): Promise<MessageId | undefined> {
  for (let id = leaf; id !== null; ) {
    const node = await dag.get(id);
    if (node.parent === parent) return id;
    id = node.parent;
  }
  return undefined;
}

/** Points every branch point above `from` at the path that leads to `from`. */
export async function selectAlongPath(dag: Dag, selected: Record<string, MessageId>, from: MessageId): Promise<void> {
  for (let id: MessageId | null = from; id !== null; ) {
    const node = await dag.get(id);
    const key = keyOf(node.parent);
    if (selected[key] !== undefined) selected[key] = id;
    id = node.parent;
  }
}

/** The versions at a message's place in this chat, and which one it is. */
export async function siblings(dag: Dag, chat: ChatRecord, messageId: MessageId): Promise<{ parent_id: MessageId | null; ids: MessageId[]; index: number }> {
  const node = await dag.get(messageId);
  const kids = dag.kids(chat.id, node.parent);
  const ids = kids.includes(messageId) ? await versions(dag, kids, messageId, node.role) : [messageId];
  return { parent_id: node.parent, ids, index: ids.indexOf(messageId) };
}
