/**
 * ChatGPT's conversations.json: each conversation is a `mapping` of nodes with `parent` and
 * `children`, and `current_node` is the branch last shown. Branches are kept; system and tool
 * nodes are skipped, their children hanging from the nearest message that is kept.
 */
import { z } from 'zod';
import { AppError } from '../errors.js';
import { encodeNode, idOf, type MessageId, type MessageNode } from '../dag/node.js';
import type { PreparedChat } from './import.js';
import { describeIssues } from '../protocol/commands.js';

const GptNode = z.object({
  id: z.string().optional(),
  parent: z.string().nullable().optional(),
  children: z.array(z.string()).optional(),
  message: z
    .object({
      author: z.object({ role: z.string() }).loose(),
      content: z.object({ parts: z.array(z.unknown()).optional() }).loose().optional(),
      create_time: z.number().nullable().optional(),
      metadata: z.object({ model_slug: z.string().optional() }).loose().optional(),
    })
    .loose()
    .nullable()
    .optional(),
});

const Conversation = z.object({
  title: z.string().nullable().optional(),
  create_time: z.number().nullable().optional(),
  update_time: z.number().nullable().optional(),
  mapping: z.record(z.string(), GptNode),
  current_node: z.string().nullable().optional(),
});

const File = z.union([z.array(Conversation).max(10_000), Conversation]);

/**
 * conversations.json names a message's images and files but does not hold their bytes (they sit
 * beside it in ChatGPT's zip): the message says what was there rather than losing it silently.
 */
function partText(part: unknown): string {
  if (typeof part === 'string') return part;
  if (typeof part !== 'object' || part === null) return '';
  const p = part as Record<string, unknown>;
  if (p.content_type === 'image_asset_pointer') {
    const size = typeof p.width === 'number' && typeof p.height === 'number' ? ` (${p.width}×${p.height})` : '';
    return `[An image${size} was attached in ChatGPT; conversations.json does not hold its file.]`;
  }
  if (typeof p.content_type === 'string' && typeof p.name === 'string') return `[A file “${p.name.slice(0, 200)}” was attached in ChatGPT; conversations.json does not hold it.]`;
  return '';
}

const isoOf = (seconds: number | null | undefined) => (typeof seconds === 'number' && Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString() : undefined);

async function convert(conv: z.infer<typeof Conversation>): Promise<PreparedChat> {
  const mapping = conv.mapping;
  const ours = new Map<string, MessageId | null>(); // ChatGPT node id → the id of the message it maps to (or its nearest kept ancestor)
  const nodes: PreparedChat['nodes'] = [];
  const kids: Record<string, MessageId[]> = {};
  const roots = Object.entries(mapping).filter(([, n]) => !n.parent || !mapping[n.parent]).map(([id]) => id);
  if (roots.length === 0) throw new AppError('bad_request', 'a conversation has no first message (its mapping is a cycle)');
  const stack: [string, MessageId | null][] = roots.reverse().map((r) => [r, null]);
  const seen = new Set<string>();
  while (stack.length > 0) {
    const [key, parent] = stack.pop()!;
    if (seen.has(key)) throw new AppError('bad_request', 'a conversation\'s mapping has a cycle');
    seen.add(key);
    const entry = mapping[key]!;
    const role = entry.message?.author.role;
    const text = (entry.message?.content?.parts ?? []).map(partText).filter((p) => p !== '').join('\n').trim();
    let here: MessageId | null = parent;
    if ((role === 'user' || role === 'assistant') && text) {
      const model = entry.message?.metadata?.model_slug;
      const created = isoOf(entry.message?.create_time);
      const node: MessageNode = { v: 1, parent, role, content: text, meta: { ...(created ? { created_at: created } : {}), ...(role === 'assistant' && model ? { model } : {}) } };
      here = await idOf(encodeNode(node));
      if (!nodes.some((n) => n.id === here)) nodes.push({ id: here, node });
      const list = (kids[parent ?? 'root'] ??= []);
      if (!list.includes(here)) list.push(here);
    }
    ours.set(key, here);
    for (const child of [...(entry.children ?? [])].reverse()) if (mapping[child]) stack.push([child, here]);
  }
  if (nodes.length === 0) throw new AppError('bad_request', 'a conversation has no user or assistant message');
  const current = conv.current_node ? ours.get(conv.current_node) : undefined;
  const leaf: MessageId = current ?? nodes.at(-1)!.id;
  // Select, at each branch point on the way to the leaf, the child on that way.
  const selected: Record<string, MessageId> = {};
  const parentOf = new Map(nodes.map((n) => [n.id, n.node.parent]));
  for (let at: MessageId | null = leaf; at !== null; at = parentOf.get(at) ?? null) {
    const key = parentOf.get(at) ?? 'root';
    if ((kids[key ?? 'root']?.length ?? 0) >= 2) selected[key ?? 'root'] = at;
  }
  return {
    name: (conv.title ?? '').trim().slice(0, 200) || 'Imported from ChatGPT',
    model: null,
    system: null,
    thinking: null,
    web_search: null,
    leaf,
    selected,
    created_at: isoOf(conv.create_time) ?? null,
    updated_at: isoOf(conv.update_time) ?? null,
    nodes,
    kids,
  };
}

export async function fromChatGpt(raw: unknown): Promise<PreparedChat[]> {
  const parsed = File.safeParse(raw);
  if (!parsed.success) throw new AppError('bad_request', `not a ChatGPT export: ${describeIssues(parsed.error)}`);
  const list = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
  const out: PreparedChat[] = [];
  for (const conv of list) out.push(await convert(conv));
  return out;
}
