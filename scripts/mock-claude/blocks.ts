/**
 * The checks the API makes on each content block of a request, with its wording where it is known
 * (issue reports of real 400s): images (declared type, 5 MB, base64, real format), PDFs and text
 * documents, echoed thinking (signature must verify), echoed web search blocks and citations. What
 * the mock learns on the way (sizes, pages, breakpoints, echoes) goes into the `Walk`.
 */
import { decodeBase64, FORMAT_NAMES, IMAGE_TYPES, imageSize, pdfPages, sniffImage, type Size } from './media.js';
import { Base64Source, DocumentBlock, ImageBlock, invalid, parseAt, PlainTextSource, RedactedThinkingBlock, ServerToolUseBlock, tagOf, TextBlock, ThinkingBlock, WebSearchLocation, WebSearchToolResultBlock } from './schema.js';
import { digest, verifyRedacted, verifyThinking } from './signing.js';

/** What the reply describes: the attachments of the last user turn. */
export type Note = { kind: 'image'; format: string; size: Size; seen: Size } | { kind: 'pdf'; pages: number; title?: string } | { kind: 'text'; title?: string; chars: number };

/** One block as the cache and the token count see it: `text` is counted, `key` identifies it, `extra` adds media tokens. */
export interface Flat {
  text: string;
  key: string;
  extra: number;
  cached: boolean;
}

export interface Walk {
  images: { loc: string; size: Size; strict: boolean; note: Extract<Note, { kind: 'image' }>; flat: Flat }[];
  documents: number;
  pdfPages: number;
  breakpoints: number;
  echoed: { thinking: number; redactedThinking: number; serverToolUses: number; searchResults: number; citations: number };
  flat: Flat[];
}

export const newWalk = (): Walk => ({ images: [], documents: 0, pdfPages: 0, breakpoints: 0, echoed: { thinking: 0, redactedThinking: 0, serverToolUses: 0, searchResults: 0, citations: 0 }, flat: [] });

/** Every block type of `ContentBlockParam` (SDK 1.14.0); the mock speaks the first eight. */
const BLOCK_TAGS = [
  'text',
  'image',
  'document',
  'thinking',
  'redacted_thinking',
  'server_tool_use',
  'web_search_tool_result',
  'search_result',
  'tool_use',
  'tool_result',
  'web_fetch_tool_result',
  'code_execution_tool_result',
  'bash_code_execution_tool_result',
  'text_editor_code_execution_tool_result',
  'tool_search_tool_result',
  'container_upload',
];
const ASSISTANT_ONLY = ['thinking', 'redacted_thinking', 'server_tool_use', 'web_search_tool_result'];
const CITATION_TAGS = ['char_location', 'page_location', 'content_block_location', 'web_search_result_location', 'search_result_location'];

export type Role = 'user' | 'assistant' | 'system';

/** What pairing checks need from a block. */
export interface Seen {
  type: string;
  note?: Note;
  serverToolUse?: string;
  resultFor?: string;
}

export function checkBlock(block: unknown, loc: string, role: Role, walk: Walk): Seen {
  const type = tagOf(block, loc, role === 'system' ? ['text'] : BLOCK_TAGS);
  if (ASSISTANT_ONLY.includes(type) && role !== 'assistant') throw invalid(`${loc}: \`${type}\` blocks may only appear in \`assistant\` messages`);
  const cached = (block as { cache_control?: unknown }).cache_control != null;
  if (cached) walk.breakpoints++;
  const flat = (text: string, key = text, extra = 0) => {
    const entry = { text, key, extra, cached };
    walk.flat.push(entry);
    return entry;
  };
  switch (type) {
    case 'text': {
      const text = (block as { text?: unknown }).text;
      if (text === '') throw invalid(`${loc}: text content blocks must be non-empty`);
      const b = parseAt(TextBlock, block, `${loc}.text`);
      for (const [k, c] of (b.citations ?? []).entries()) {
        const where = `${loc}.text.citations.${k}`;
        if (tagOf(c, where, CITATION_TAGS) === 'web_search_result_location') parseAt(WebSearchLocation, c, `${where}.web_search_result_location`);
        walk.echoed.citations++;
      }
      flat(b.text);
      return { type };
    }
    case 'image':
      return { type, note: image(block, loc, walk, flat('', '')) };
    case 'document':
      return { type, note: document(block, loc, walk, flat('', '')) };
    case 'thinking': {
      const b = parseAt(ThinkingBlock, block, `${loc}.thinking`);
      if (!verifyThinking(b.thinking, b.signature)) throw invalid(`${loc}: Invalid \`signature\` in \`thinking\` block`);
      walk.echoed.thinking++;
      // Thinking of earlier turns is dropped from the context: it costs no input tokens.
      flat('', b.signature);
      return { type };
    }
    case 'redacted_thinking': {
      const b = parseAt(RedactedThinkingBlock, block, `${loc}.redacted_thinking`);
      if (!verifyRedacted(b.data)) throw invalid(`${loc}: Invalid \`data\` in \`redacted_thinking\` block`);
      walk.echoed.redactedThinking++;
      flat('', b.data);
      return { type };
    }
    case 'server_tool_use': {
      const b = parseAt(ServerToolUseBlock, block, `${loc}.server_tool_use`);
      if (b.name !== 'web_search') throw invalid(`${loc}.server_tool_use.name: only \`web_search\` is supported by this mock`);
      walk.echoed.serverToolUses++;
      flat(JSON.stringify(b.input));
      return { type, serverToolUse: b.id };
    }
    case 'web_search_tool_result': {
      const b = parseAt(WebSearchToolResultBlock, block, `${loc}.web_search_tool_result`);
      walk.echoed.searchResults++;
      flat(JSON.stringify(b.content));
      return { type, resultFor: b.tool_use_id };
    }
    default:
      throw invalid(`${loc}.type: \`${type}\` blocks are not supported by this mock`);
  }
}

function image(block: unknown, loc: string, walk: Walk, flat: Flat): Note {
  const b = parseAt(ImageBlock, block, `${loc}.image`);
  const where = `${loc}.image.source`;
  const source = tagOf(b.source, where, ['base64', 'url', 'file']);
  if (source !== 'base64') throw invalid(`${where}.${source}: this mock does not fetch images (no URLs, no Files API); send the image as base64`);
  const src = parseAt(Base64Source(IMAGE_TYPES), b.source, `${where}.base64`);
  // The 5 MB limit is on the base64 text, not on the decoded bytes.
  if (src.data.length > 5_242_880) throw invalid(`${where}.base64: image exceeds 5 MB maximum: ${src.data.length} bytes > 5242880 bytes`);
  const bytes = decodeBase64(src.data);
  if (!bytes) throw invalid(`${where}.base64: invalid base64 data`);
  const actual = sniffImage(bytes);
  if (actual && actual !== src.media_type) throw invalid(`${where}.base64.data: Image does not match the provided media type ${src.media_type}`);
  const size = actual && imageSize(bytes, actual);
  if (!size) throw invalid('Could not process image');
  flat.key = digest(src.data);
  const note = { kind: 'image' as const, format: FORMAT_NAMES[src.media_type], size, seen: size };
  walk.images.push({ loc, size, strict: b.transformations?.oversized_image === 'error', note, flat });
  return note;
}

function document(block: unknown, loc: string, walk: Walk, flat: Flat): Note {
  const b = parseAt(DocumentBlock, block, `${loc}.document`);
  const source = tagOf(b.source, `${loc}.document.source`, ['base64', 'text', 'content', 'url', 'file']);
  const title = b.title ?? undefined;
  walk.documents++;
  if (source === 'base64') {
    // The API names a base64 document `pdf` in its error locations.
    const src = parseAt(Base64Source(['application/pdf']), b.source, `${loc}.pdf.source.base64`);
    const bytes = decodeBase64(src.data);
    if (!bytes) throw invalid(`${loc}.pdf.source.base64: invalid base64 data`);
    const pages = pdfPages(bytes);
    if (pages === undefined) throw invalid(`${loc}.pdf.source.base64.data: The PDF specified was not valid.`);
    walk.pdfPages += pages;
    Object.assign(flat, { key: digest(src.data), extra: pages * 1500 });
    return { kind: 'pdf', pages, title };
  }
  if (source === 'text') {
    const src = parseAt(PlainTextSource, b.source, `${loc}.document.source.text`);
    Object.assign(flat, { text: src.data, key: src.data });
    return { kind: 'text', title, chars: src.data.length };
  }
  throw invalid(`${loc}.document.source.${source}: this mock takes documents as base64 PDF or plain text only`);
}
