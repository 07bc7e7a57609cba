/**
 * A request body checked the way the API checks it, returning what the reply needs: the messages,
 * thinking and effort settings, the web search tool, the attachments of the last user turn, the
 * blocks as the cache sees them, and a summary the tests read from `MockClaude.requests`.
 */
import { checkBlock, newWalk, type Flat, type Note, type Role, type Seen, type Walk } from './blocks.js';
import { effortOf, thinkingConfig, toolsOf, type Thinking, type Tools } from './config.js';
import { imageTokens, type Size } from './media.js';
import { modelInfo, pdfPageLimit } from './models.js';
import { ApiError, invalid } from './schema.js';

export type Msg = { role: string; content: string | { type: string; text?: string }[] };

/** Recorded per request (`RecordedRequest.summary`): what was sent, as far as the mock understood it. */
export interface RequestSummary {
  images: number;
  documents: number;
  pdfPages: number;
  /** Images and documents of the last user turn: the ones the reply describes. */
  lastUserImages: number;
  lastUserDocuments: number;
  thinking?: 'enabled' | 'adaptive';
  budgetTokens?: number;
  effort?: string;
  echoedThinking: number;
  echoedRedactedThinking: number;
  echoedServerToolUses: number;
  echoedSearchResults: number;
  echoedCitations: number;
  /** `type` of every tool offered (`custom` for client tools). */
  tools: string[];
  cacheBreakpoints: number;
}

export interface Parsed {
  model: string;
  max_tokens: number;
  stream: boolean;
  messages: Msg[];
  thinking?: Thinking;
  effort?: string;
  webSearch?: Tools['webSearch'];
  /** Attachments of the last user turn, in order. */
  notes: Note[];
  flat: Flat[];
  summary: RequestSummary;
}

export function textOf(content: Msg['content']): string {
  return typeof content === 'string' ? content : content.map((b) => (b.type === 'text' ? (b.text ?? '') : '')).join('');
}

export function validate(body: unknown): Parsed {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiError(400, 'There was an error parsing the body of your request');
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string' || !b.model) throw invalid('model: Field required');
  if (!Number.isInteger(b.max_tokens) || (b.max_tokens as number) < 1) throw invalid('max_tokens: Input should be a valid integer greater than or equal to 1');
  if (!Array.isArray(b.messages) || b.messages.length === 0) throw invalid('messages: at least one message is required');
  const model = b.model;
  const maxTokens = b.max_tokens as number;
  const info = modelInfo(model);
  const walk = newWalk();

  if (typeof b.system === 'string') walk.flat.push({ text: b.system, key: b.system, extra: 0, cached: false });
  else if (Array.isArray(b.system)) b.system.forEach((block, i) => checkBlock(block, `system.${i}`, 'system', walk));
  else if (b.system !== undefined) throw invalid('system: Input should be a valid string or list');

  let notes: Note[] = [];
  const messages = b.messages as unknown[];
  messages.forEach((m, i) => {
    const role = (m as { role?: unknown } | null)?.role;
    if (role !== 'user' && role !== 'assistant') throw invalid(`messages.${i}.role: Input should be 'user' or 'assistant'`);
    const content = (m as { content?: unknown }).content;
    if (typeof content === 'string') {
      if (content.length === 0) throw invalid(`messages.${i}: user messages must have non-empty content`);
      walk.flat.push({ text: content, key: content, extra: 0, cached: false });
      if (role === 'user') notes = [];
      return;
    }
    if (!Array.isArray(content)) throw invalid(`messages.${i}.content: Input should be a valid string or list`);
    if (content.length === 0) throw invalid(`messages.${i}: all messages must have non-empty content except for the optional final assistant message`);
    const seen = content.map((block, j) => checkBlock(block, `messages.${i}.content.${j}`, role as Role, walk));
    if (role === 'assistant') checkSearchPairs(seen, i);
    else notes = seen.flatMap((s) => (s.note ? [s.note] : []));
  });
  if ((messages[0] as Msg).role !== 'user') throw invalid('messages: first message must use the "user" role');

  const thinking = thinkingConfig(b.thinking, maxTokens, info);
  const effort = effortOf(b.output_config, info);
  const tools = toolsOf(b.tools);
  // Top-level `cache_control` marks the last cacheable block: one more breakpoint.
  const breakpoints = walk.breakpoints + tools.breakpoints + (b.cache_control != null ? 1 : 0);
  if (breakpoints > 4) throw invalid(`A maximum of 4 blocks with cache_control may be provided. Found ${breakpoints}.`);
  checkImageSizes(walk);
  const pageLimit = pdfPageLimit(info);
  if (walk.pdfPages > pageLimit) throw invalid(`A maximum of ${pageLimit} PDF pages may be provided.`);

  const lastUser = messages.findLastIndex((m) => (m as Msg).role === 'user');
  const lastContent = (messages[lastUser] as Msg).content;
  const count = (type: string) => (typeof lastContent === 'string' ? 0 : lastContent.filter((x) => x.type === type).length);
  return {
    model,
    max_tokens: maxTokens,
    stream: b.stream === true,
    messages: messages as Msg[],
    ...(thinking ? { thinking } : {}),
    ...(effort ? { effort } : {}),
    ...(tools.webSearch ? { webSearch: tools.webSearch } : {}),
    notes,
    flat: walk.flat,
    summary: {
      images: walk.images.length,
      documents: walk.documents,
      pdfPages: walk.pdfPages,
      lastUserImages: count('image'),
      lastUserDocuments: count('document'),
      ...(thinking ? { thinking: thinking.type } : {}),
      ...(thinking?.budget_tokens ? { budgetTokens: thinking.budget_tokens } : {}),
      ...(effort ? { effort } : {}),
      echoedThinking: walk.echoed.thinking,
      echoedRedactedThinking: walk.echoed.redactedThinking,
      echoedServerToolUses: walk.echoed.serverToolUses,
      echoedSearchResults: walk.echoed.searchResults,
      echoedCitations: walk.echoed.citations,
      tools: tools.types,
      cacheBreakpoints: breakpoints,
    },
  };
}

/** Each `web_search_tool_result` answers a `server_tool_use` earlier in the same turn, and each of those is answered. */
function checkSearchPairs(seen: Seen[], i: number) {
  const open = new Set<string>();
  seen.forEach((s, j) => {
    if (s.serverToolUse !== undefined) open.add(s.serverToolUse);
    if (s.resultFor === undefined) return;
    if (!open.delete(s.resultFor)) {
      throw invalid(`messages.${i}.content.${j}: unexpected \`tool_use_id\` found in \`web_search_tool_result\` blocks: ${s.resultFor}. Each \`web_search_tool_result\` block must have a corresponding \`server_tool_use\` block before it.`);
    }
  });
  if (open.size > 0) {
    throw invalid(`messages.${i}: \`server_tool_use\` ids were found without \`web_search_tool_result\` blocks after them: ${[...open].join(', ')}. Each \`server_tool_use\` block must have a corresponding \`web_search_tool_result\` block.`);
  }
}

/**
 * 8000 px a side, 2000 px when a request has more than 20 images. By default the API scales an
 * oversized image down without saying so; `transformations.oversized_image: "error"` asks for the 400.
 */
function checkImageSizes(walk: Walk) {
  const many = walk.images.length > 20;
  const limit = many ? 2000 : 8000;
  const over = walk.images.filter((image) => Math.max(image.size.width, image.size.height) > limit);
  const strict = over.filter((image) => image.strict);
  if (strict.length > 0) {
    throw invalid(`${strict[0]!.loc}.image.source.base64.data: At least one of the image dimensions exceed max allowed size${many ? ' for many-image requests' : ''}: ${limit} pixels`, {
      error_code: 'image_dimensions_too_large',
      max_side_length_pixels: limit,
      paths: strict.map((image) => image.loc),
    });
  }
  for (const image of walk.images) {
    const scale = Math.min(1, limit / Math.max(image.size.width, image.size.height));
    const seen: Size = { width: Math.round(image.size.width * scale), height: Math.round(image.size.height * scale) };
    image.note.seen = seen;
    image.flat.extra = imageTokens(seen);
  }
}
