/**
 * A message node of the conversation DAG and its content address. The id is never stored inside
 * the node: it is the CID (dag-json, sha2-256) of the node's canonical encoding, so the same node
 * has the same id on every machine, and any byte changed in the store is caught on read.
 */
import * as dagJson from '@ipld/dag-json';
import { CID } from 'multiformats/cid';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { cidOf, parseCid } from '../cid.js';
import { Attachments, ReplyBlocks, type Attachment, type ReplyBlock } from './parts.js';
import { CID_TEXT, type MessageId } from '../ids.js';
import { canonicalJson, Link } from './canonical-json.js';

export type { MessageId };

export const Usage = z.object({
  input_tokens: z.number().int().nonnegative(),
  output_tokens: z.number().int().nonnegative(),
  cache_creation_input_tokens: z.number().int().nonnegative().optional(),
  cache_read_input_tokens: z.number().int().nonnegative().optional(),
  /** Part of output_tokens: what the model spent thinking. */
  thinking_tokens: z.number().int().nonnegative().optional(),
  /** Server-side web searches, priced per search. */
  web_search_requests: z.number().int().nonnegative().optional(),
});
export type Usage = z.infer<typeof Usage>;

/** Everything about a message that is not its text; all optional, all part of its identity. */
export const NodeMeta = z.object({
  /** The browser's clock when the user sent it (the actor has none); advisory only. */
  created_at: z.string().optional(),
  model: z.string().optional(),
  stop_reason: z.string().optional(),
  usage: Usage.optional(),
  /** The API's request id and response date, for assistant nodes. */
  request_id: z.string().optional(),
  response_date: z.string().optional(),
  /** For error nodes: what failed, kept on the branch but never sent to the model. */
  error_code: z.string().optional(),
});
export type NodeMeta = z.infer<typeof NodeMeta>;

export const Role = z.enum(['user', 'assistant', 'error']);
export type Role = z.infer<typeof Role>;

export interface MessageNode {
  v: 1;
  parent: MessageId | null;
  role: Role;
  content: string;
  meta: NodeMeta;
  /** User messages: the files sent with the text. */
  attachments?: Attachment[];
  /** Replies: every content block as the API sent it (`content` is their text). */
  blocks?: ReplyBlock[];
}

/** Accepts only the message ids this app makes (dag-json CIDs). */
export function parseMessageId(text: unknown, field = 'message_id'): MessageId {
  return parseCid<MessageId>(text, dagJson.code, field, 'message id');
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function encodeNode(node: MessageNode): Uint8Array {
  const shape = (parent: unknown) => ({
    v: 1,
    parent,
    role: node.role,
    content: node.content,
    meta: withoutUndefined(node.meta),
    // Absent, not empty: a node without them keeps the id it had before they existed.
    ...(node.attachments?.length ? { attachments: node.attachments.map((a) => withoutUndefined(a)) } : {}),
    ...(node.blocks?.length ? { blocks: node.blocks } : {}),
  });
  // Parent ids are only ever made by idOf or checked by parseCid: already in canonical text form.
  const fast = canonicalJson(shape(node.parent === null ? null : new Link(node.parent)));
  if (fast !== undefined) return encoder.encode(fast);
  return dagJson.encode(shape(node.parent === null ? null : CID.parse(node.parent)));
}

export async function idOf(bytes: Uint8Array): Promise<MessageId> {
  return (await cidOf(dagJson.code, bytes)) as MessageId;
}

const ROLES = new Set<string>(Role.options);
const NODE_KEYS = new Set(['content,meta,parent,role,v', 'attachments,content,meta,parent,role,v', 'blocks,content,meta,parent,role,v']);
const META_STRINGS = ['created_at', 'model', 'stop_reason', 'request_id', 'response_date', 'error_code'] as const;
const USAGE_FIELDS = ['input_tokens', 'output_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens', 'thinking_tokens', 'web_search_requests'] as const;
const decoder = new TextDecoder();
const encoder = new TextEncoder();

function isCount(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function validMeta(meta: unknown): meta is NodeMeta {
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return false;
  const m = meta as Record<string, unknown>;
  for (const key of Object.keys(m)) {
    if (key === 'usage') {
      const u = m.usage as Record<string, unknown> | null;
      if (typeof u !== 'object' || u === null || !isCount(u.input_tokens) || !isCount(u.output_tokens)) return false;
      if (Object.keys(u).some((k) => !(USAGE_FIELDS as readonly string[]).includes(k) || !isCount(u[k]))) return false;
    } else if (!(META_STRINGS as readonly string[]).includes(key) || typeof m[key] !== 'string') return false;
  }
  return true;
}

/**
 * Decodes stored bytes; an object that is not a valid node is reported, never served.
 * dag-json is JSON with links as {"/": cid}: the engine's JSON.parse reads it many times faster
 * than a JavaScript decoder inside the component, and the checks below cover every field.
 */
export function decodeNode(bytes: Uint8Array, id: string): MessageNode {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(decoder.decode(bytes)) as Record<string, unknown>;
  } catch {
    throw new AppError('corrupt_object', `message ${id} is stored in a form this app cannot read`);
  }
  const link = raw?.parent as { '/'?: unknown } | null | undefined;
  const parent = link === null ? null : typeof link === 'object' && typeof link['/'] === 'string' && Object.keys(link).length === 1 ? link['/'] : undefined;
  const keys = raw && typeof raw === 'object' ? Object.keys(raw).sort().join() : '';
  const attachments = raw?.attachments === undefined ? undefined : Attachments.safeParse(raw.attachments);
  const blocks = raw?.blocks === undefined ? undefined : ReplyBlocks.safeParse(raw.blocks);
  if (
    !NODE_KEYS.has(keys) ||
    attachments?.success === false ||
    blocks?.success === false ||
    raw.v !== 1 ||
    typeof raw.content !== 'string' ||
    typeof raw.role !== 'string' ||
    !ROLES.has(raw.role) ||
    parent === undefined ||
    (parent !== null && !CID_TEXT.test(parent)) ||
    !validMeta(raw.meta)
  ) {
    throw new AppError('corrupt_object', `message ${id} does not have the shape of a message`);
  }
  const node: MessageNode = { v: 1, parent: parent as MessageId | null, role: raw.role as Role, content: raw.content, meta: raw.meta };
  if (attachments?.data) node.attachments = attachments.data;
  if (blocks?.data) node.blocks = blocks.data;
  return node;
}
