/**
 * Chats into the app, all or nothing: our own export (every node checked against its id) or a
 * ChatGPT export (conversations.json, branches kept). Everything is checked before anything is
 * written, so a bad or hostile file leaves the store as it was.
 */
import { AppError } from '../errors.js';
import type { ChatService, RestoredChat } from '../chats/service.js';
import { encodeNode, idOf, type MessageId, type MessageNode } from '../dag/node.js';
import type { ChatRecord } from '../chats/record.js';
import { describeIssues } from '../protocol/commands.js';
import { ChatExportSchema, type ChatExport } from './export.js';
import { fromChatGpt } from './chatgpt.js';
import { blobIdOf, type BlobStore } from '../blobs/store.js';
import { fromBase64 } from '../blobs/base64.js';

/** A chat ready to write: nodes and files already verified, ids and links consistent. */
export type PreparedChat = RestoredChat & { blobs?: Uint8Array[] };

/** Every file the nodes name must be in the file (or here already), and match its id. */
async function prepareBlobs(file: ChatExport, nodes: PreparedChat['nodes'], store: BlobStore): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  const named = new Set(nodes.flatMap(({ node }) => (node.attachments ?? []).map((a) => a.cid)));
  for (const cid of named) {
    const text = file.blobs[cid];
    if (text === undefined) {
      if (store.has(cid)) continue;
      throw new AppError('bad_request', `file ${cid.slice(0, 24)}… is attached to a message but missing from the export`);
    }
    let bytes: Uint8Array;
    try {
      bytes = fromBase64(text);
    } catch {
      throw new AppError('bad_request', `file ${cid.slice(0, 24)}… is not base64`);
    }
    if ((await blobIdOf(bytes)) !== cid) throw new AppError('bad_request', `file ${cid.slice(0, 24)}… does not match its id: the file was altered`);
    out.push(bytes);
  }
  return out;
}

async function prepareOurs(file: ChatExport, chats: ChatService, store: BlobStore): Promise<PreparedChat> {
  const byId = new Map<string, MessageNode>();
  const nodes: PreparedChat['nodes'] = [];
  for (const n of file.nodes) {
    const node: MessageNode = { v: 1, parent: n.parent as MessageId | null, role: n.role, content: n.content, meta: n.meta };
    if (n.attachments) node.attachments = n.attachments;
    if (n.blocks) node.blocks = n.blocks;
    const id = await idOf(encodeNode(node));
    if (id !== n.id) throw new AppError('bad_request', `message ${n.id.slice(0, 24)}… does not match its content: the file was altered`);
    if (byId.has(id)) continue;
    byId.set(id, node);
    nodes.push({ id, node });
  }
  for (const { id, node } of nodes) {
    if (node.parent !== null && !byId.has(node.parent) && !chats.hasNode(node.parent)) {
      throw new AppError('bad_request', `message ${id.slice(0, 24)}… answers a message that is neither in the file nor here`);
    }
  }
  const known = (id: string) => byId.has(id);
  if (file.chat.leaf !== null && !known(file.chat.leaf)) throw new AppError('bad_request', 'the selected message is not in the file');
  for (const [parent, child] of Object.entries(file.chat.selected)) {
    if (!known(child) || byId.get(child)!.parent !== (parent === 'root' ? null : parent)) throw new AppError('bad_request', 'a branch choice names a message that is not a child there');
  }
  for (const [parent, list] of Object.entries(file.kids)) {
    for (const child of list) {
      if (!known(child) || byId.get(child)!.parent !== (parent === 'root' ? null : parent)) throw new AppError('bad_request', 'a branch list names a message that is not a child there');
    }
  }
  const blobs = await prepareBlobs(file, nodes, store);
  return { ...file.chat, leaf: file.chat.leaf as MessageId | null, selected: file.chat.selected as Record<string, MessageId>, nodes, kids: file.kids as Record<string, MessageId[]>, blobs };
}

function uniqueName(wanted: string, taken: Set<string>): string {
  if (!taken.has(wanted)) return wanted;
  for (let n = 1; ; n++) {
    const name = `${wanted} (imported${n > 1 ? ` ${n}` : ''})`.slice(0, 200);
    if (!taken.has(name)) return name;
  }
}

/** Parses and checks a file; throws a clear AppError and writes nothing if anything is wrong. */
export async function prepareImport(text: string, chats: ChatService, store: BlobStore, maxBytes: number): Promise<PreparedChat[]> {
  if (new TextEncoder().encode(text).length > maxBytes) throw new AppError('payload_too_large', `the file is larger than ${maxBytes} bytes`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new AppError('invalid_json', 'the file is not JSON: import takes a theater-chat export or a ChatGPT conversations.json');
  }
  if (Array.isArray(raw) || (raw && typeof raw === 'object' && 'mapping' in raw)) return fromChatGpt(raw);
  const ours = ChatExportSchema.safeParse(raw);
  if (!ours.success) throw new AppError('bad_request', `not a theater-chat export: ${describeIssues(ours.error)}`);
  return [await prepareOurs(ours.data, chats, store)];
}

/** Writes prepared chats through the same invariant-keeping writes as every other change. */
export async function writeImport(prepared: PreparedChat[], chats: ChatService, store: BlobStore): Promise<ChatRecord[]> {
  const taken = new Set(chats.list().map((c) => c.name));
  const created: ChatRecord[] = [];
  // Files first: a message is never written before what it refers to.
  for (const p of prepared) for (const bytes of p.blobs ?? []) await store.put(bytes);
  for (const { blobs: _files, ...p } of prepared) {
    const record = await chats.restore({ ...p, name: uniqueName(p.name, taken) });
    taken.add(record.name);
    created.push(record);
  }
  return created;
}
