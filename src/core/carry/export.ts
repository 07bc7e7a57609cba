/**
 * A chat out of the app: as JSON holding its whole DAG (every node with its id, every branch, the
 * selected branch), which import verifies node by node; or its selected branch as Markdown.
 */
import { z } from 'zod';
import type { ChatService } from '../chats/service.js';
import { NodeMeta, Role, type MessageId } from '../dag/node.js';
import { Attachments, ReplyBlocks } from '../dag/parts.js';
import { StoredBlobId, StoredMessageId, type BlobId } from '../ids.js';
import { ThinkingSetting, WebSearchSetting } from '../claude/features.js';
import type { BlobStore } from '../blobs/store.js';
import { toBase64 } from '../blobs/base64.js';

export const EXPORT_FORMAT = 'theater-chat.chat';

const Id = StoredMessageId;

/** The file format, as import checks it; the export is built to this same schema. */
export const ChatExportSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(1),
  chat: z.object({
    name: z.string().trim().min(1).max(200),
    model: z.string().max(100).nullable(),
    system: z.string().nullable(),
    thinking: ThinkingSetting.nullable().default(null),
    web_search: WebSearchSetting.nullable().default(null),
    leaf: Id.nullable(),
    selected: z.record(z.string(), Id),
    created_at: z.string().max(64).nullable(),
    updated_at: z.string().max(64).nullable(),
  }),
  /** Parents before children. */
  nodes: z
    .array(z.object({ id: Id, parent: Id.nullable(), role: Role, content: z.string(), meta: NodeMeta, attachments: Attachments.optional(), blocks: ReplyBlocks.optional() }))
    .max(100_000),
  /** The attached files, base64, by id: import checks each against its id. */
  blobs: z.record(StoredBlobId, z.string()).default({}),
  /** The children the chat gave each node (`root` for the first messages), in order: its branches. */
  kids: z.record(z.string(), z.array(Id)),
});
export type ChatExport = z.infer<typeof ChatExportSchema>;
type ExportedNode = ChatExport['nodes'][number];

export async function exportChat(chats: ChatService, blobs: BlobStore, chatId: string): Promise<ChatExport> {
  const chat = chats.get(chatId);
  const { nodes: tree } = await chats.tree(chatId, 100_000);
  const nodes: ExportedNode[] = [];
  const kids: Record<string, MessageId[]> = {};
  for (const t of tree) {
    const node = await chats.node(t.id);
    nodes.push({ id: t.id, parent: node.parent, role: node.role, content: node.content, meta: node.meta, ...(node.attachments ? { attachments: node.attachments } : {}), ...(node.blocks ? { blocks: node.blocks } : {}) });
  }
  const files: Record<BlobId, string> = {};
  for (const n of nodes) for (const a of n.attachments ?? []) files[a.cid] ??= toBase64(await blobs.get(a.cid));
  for (const key of ['root', ...nodes.map((n) => n.id)]) {
    const list = chats.kids(chat.id, key === 'root' ? null : (key as MessageId));
    if (list.length > 0) kids[key] = [...list];
  }
  const { name, model, system, thinking, web_search, leaf, selected, created_at, updated_at } = chat;
  return { format: EXPORT_FORMAT, version: 1, chat: { name, model, system, thinking, web_search, leaf, selected, created_at, updated_at }, nodes, kids, blobs: files };
}

export async function exportMarkdown(chats: ChatService, chatId: string): Promise<string> {
  const { chat, messages } = await chats.branch(chatId);
  const parts = [`# ${chat.name}`, ''];
  if (chat.system) parts.push('> System prompt:', ...chat.system.split('\n').map((l) => `> ${l}`), '');
  for (const m of messages) {
    const who = m.role === 'user' ? 'You' : m.role === 'assistant' ? `Claude${m.meta.model ? ` (${m.meta.model})` : ''}` : 'Error';
    parts.push(`## ${who}`, '');
    for (const a of m.attachments ?? []) parts.push(`> Attached: ${a.name} (${a.media_type}, ${a.size} bytes)`, '');
    for (const p of m.parts ?? []) {
      if (p.type === 'thinking' && p.text) parts.push('<details><summary>Thinking</summary>', '', p.text, '', '</details>', '');
      if (p.type === 'search') parts.push(`> Searched the web: ${p.query}`, '');
    }
    parts.push(m.content, '');
    // Only a safe URL is written as a link: the file may be opened in any Markdown viewer.
    const source = (s: NonNullable<typeof m.sources>[number]) => `${s.n}. ${s.title.replace(/[<>`]/g, '')} — ${s.href ? `<${s.href}>` : `\`${s.url.replace(/`/g, '')}\``}`;
    if (m.sources?.length) parts.push('Sources:', '', ...m.sources.map(source), '');
  }
  return parts.join('\n');
}

export function exportFilename(name: string, extension: string): string {
  // Only what no file system or Content-Disposition header objects to (the component's regex engine
  // has no Unicode property classes, so this removes the unsafe rather than keeping the known-good).
  const base = name.replace(/[\\/:*?"<>|;\u0000-\u001f\u007f]+/g, '').trim().replace(/\s+/g, '-').slice(0, 80) || 'chat';
  return `${base}.${extension}`;
}
