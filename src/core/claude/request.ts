/**
 * The Messages API request for a branch: root to leaf, error records left out, consecutive turns
 * of one role merged, and a cache breakpoint at the end of the stable prefix (the system prompt and
 * every turn but the newest), so a long chat, its attachments and its sibling branches read from
 * the cache. Files go as image and document blocks; a reply's own blocks (thinking with its
 * signature, searches, cited text) go back exactly as they came, which the API requires.
 */
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { MessageNode } from '../dag/node.js';
import type { Attachment } from '../dag/parts.js';
import type { BlobId } from '../ids.js';
import type { ChatFeatures } from './features.js';
import { capabilitiesOf, type Capabilities } from './capabilities.js';
import { fromBase64 } from '../blobs/base64.js';

const CacheControl = z.object({ type: z.literal('ephemeral') });
export const TextBlock = z.object({ type: z.literal('text'), text: z.string(), cache_control: CacheControl.optional() });
export type TextBlock = z.infer<typeof TextBlock>;

/** Any content block: the API checks their fields; this only keeps the shape a request has. */
const Block = z.looseObject({ type: z.string(), cache_control: CacheControl.optional() });
type Block = z.infer<typeof Block>;

/** Also what a job carries to a generator, so a generator parses it with this same schema. */
export const ClaudeRequest = z.object({
  model: z.string(),
  max_tokens: z.number().int().positive(),
  system: z.array(TextBlock).optional(),
  messages: z.array(z.object({ role: z.enum(['user', 'assistant']), content: z.array(Block) })).min(1),
  thinking: z
    .union([
      z.object({ type: z.literal('enabled'), budget_tokens: z.number().int().min(1024) }),
      z.object({ type: z.literal('adaptive'), display: z.enum(['summarized', 'omitted']).optional() }),
      z.object({ type: z.enum(['disabled', 'between_tools']) }),
    ])
    .optional(),
  output_config: z.object({ effort: z.enum(['low', 'medium', 'high']) }).optional(),
  tools: z.array(z.looseObject({ type: z.string(), name: z.string(), max_uses: z.number().int().positive().optional() })).optional(),
});
export type ClaudeRequest = z.infer<typeof ClaudeRequest>;

export type Turn = Pick<MessageNode, 'role' | 'content' | 'attachments' | 'blocks'> & { meta?: Pick<MessageNode['meta'], 'error_code'> };

/**
 * The failures that say the question itself cannot be sent (malformed, too large). A later message
 * goes without it: sent along, it would make every later request fail the same way. A failure of
 * the moment (overloaded, no key, cut off) leaves the question in: it still wants an answer.
 */
const REFUSED_QUESTION = new Set(['invalid_request_error', 'request_too_large', 'http_400', 'http_413']);
const refusedAt = (branch: readonly Turn[], i: number) => branch[i]!.role === 'user' && branch[i + 1]?.role === 'error' && REFUSED_QUESTION.has(branch[i + 1]!.meta?.error_code ?? '');

/** The turns of a branch a request carries: no error record, no refused question. */
export const turnsSent = <T extends Turn>(branch: readonly T[]): (T & { role: 'user' | 'assistant' })[] =>
  branch.filter((turn, i): turn is T & { role: 'user' | 'assistant' } => turn.role !== 'error' && !refusedAt(branch, i));

export interface RequestOptions {
  model: string;
  max_tokens: number;
  system: string | null;
  features?: ChatFeatures;
  /** What the model can do (default: the dated table). */
  capabilities?: Readonly<Capabilities>;
  /** The attached files' bytes as base64, by id (read from the store by the caller). */
  files?: ReadonlyMap<BlobId, string>;
}

const EPHEMERAL = { type: 'ephemeral' } as const;
/** Thinking budgets for models that take a budget rather than an effort. */
const BUDGET = { low: 2_048, medium: 8_192, high: 24_576 } as const;
/** Blocks a cache breakpoint may sit on (the API refuses one on thinking blocks). */
const CACHEABLE = new Set(['text', 'image', 'document']);

function fileBlock(a: Attachment, files: ReadonlyMap<BlobId, string> | undefined): Block {
  const data = files?.get(a.cid);
  if (data === undefined) throw new AppError('internal', `the file “${a.name}” could not be read for the request`);
  if (a.kind === 'image') return { type: 'image', source: { type: 'base64', media_type: a.media_type, data } };
  if (a.kind === 'pdf') return { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data }, title: a.name };
  return { type: 'document', source: { type: 'text', media_type: 'text/plain', data: new TextDecoder().decode(fromBase64(data)) }, title: a.name };
}

function contentOf(turn: Turn, files: RequestOptions['files']): Block[] {
  // A reply goes back as it came, without the breakpoint an earlier request may have put on it.
  if (turn.role === 'assistant' && turn.blocks?.length) return turn.blocks.map(({ cache_control: _c, ...b }) => b as Block);
  const blocks: Block[] = (turn.attachments ?? []).map((a) => fileBlock(a, files));
  if (turn.content.trim() !== '') blocks.push({ type: 'text', text: turn.content });
  return blocks;
}

export function buildRequest(branch: readonly Turn[], options: RequestOptions): ClaudeRequest {
  const messages: ClaudeRequest['messages'] = [];
  for (const turn of turnsSent(branch)) {
    const content = contentOf(turn, options.files);
    if (content.length === 0) continue;
    const last = messages.at(-1);
    const lastText = last?.content.length === 1 && last.content[0]!.type === 'text' ? (last.content[0] as TextBlock) : undefined;
    if (last?.role === turn.role && lastText && content.length === 1 && content[0]!.type === 'text') lastText.text += `\n\n${(content[0] as TextBlock).text}`;
    else if (last?.role === turn.role) last.content.push(...content);
    else if (messages.length > 0 || turn.role === 'user') messages.push({ role: turn.role, content });
  }
  if (messages.length === 0) throw new AppError('bad_request', 'there is no user message to answer on this branch');
  if (messages.at(-1)!.role !== 'user') throw new AppError('bad_request', 'the branch already ends with a reply: send a message, or regenerate that reply');

  const system: TextBlock[] | undefined = options.system?.trim() ? [{ type: 'text', text: options.system }] : undefined;
  const stable = messages.at(-2)?.content.findLast((b) => CACHEABLE.has(b.type));
  if (stable) stable.cache_control = EPHEMERAL;
  else if (system) system[0]!.cache_control = EPHEMERAL;
  return { model: options.model, max_tokens: options.max_tokens, ...(system ? { system } : {}), messages, ...featureFields(options) };
}

/**
 * Thinking and web search as this model takes them (capabilities.ts); a model without them gets a
 * plain request. "Off" is said the way the model needs: some think unless told not to.
 */
function featureFields(options: RequestOptions): Partial<ClaudeRequest> {
  const caps = options.capabilities ?? capabilitiesOf(options.model);
  const out: Partial<ClaudeRequest> = {};
  const thinking = options.features?.thinking;
  if (!thinking && (caps.thinking_off === 'disabled' || caps.thinking_off === 'between_tools')) out.thinking = { type: caps.thinking_off };
  if (thinking && caps.thinking === 'adaptive') {
    // Some models send an empty thinking text unless asked for a summary: the person wants to read it.
    out.thinking = { type: 'adaptive', display: 'summarized' };
    if (caps.efforts.includes(thinking.effort)) out.output_config = { effort: thinking.effort };
  }
  if (thinking && caps.thinking === 'budget') {
    // The budget is part of max_tokens: the reply keeps the room it had without thinking.
    const budget = BUDGET[thinking.effort];
    Object.assign(out, { thinking: { type: 'enabled', budget_tokens: budget }, max_tokens: options.max_tokens + budget });
  }
  const search = options.features?.web_search;
  if (search && caps.web_search) out.tools = [{ type: caps.web_search_tool, name: 'web_search', max_uses: search.max_uses }];
  return out;
}
