/**
 * A reply's blocks as a person reads them, in the order they came: thinking, "Searched the web"
 * steps with their results, and text whose citations point at numbered sources listed under it.
 * URLs are data: only http and https ever become a link (`href`), anything else is shown as text.
 */
import { z } from 'zod';
import type { ReplyBlock } from '../dag/parts.js';

export const Source = z.object({ n: z.number().int().positive(), title: z.string(), url: z.string(), href: z.string().nullable() });
export type Source = z.infer<typeof Source>;

export const ReplyPart = z.discriminatedUnion('type', [
  z.object({ type: z.literal('thinking'), text: z.string() }),
  z.object({ type: z.literal('redacted_thinking') }),
  z.object({ type: z.literal('search'), query: z.string(), results: z.array(Source.omit({ n: true })), error: z.string().optional() }),
  z.object({ type: z.literal('text'), text: z.string(), citations: z.array(z.object({ source: z.number().int().positive(), cited_text: z.string() })).optional() }),
]);
export type ReplyPart = z.infer<typeof ReplyPart>;

/** Titles, URLs and queries are short in any honest reply: a longer one is cut, not shown whole. */
const MAX_FIELD = 2_000;

export function safeHref(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

const str = (value: unknown): string => (typeof value === 'string' ? value.slice(0, MAX_FIELD) : '');

export function replyParts(blocks: readonly ReplyBlock[]): { parts: ReplyPart[]; sources: Source[] } {
  const parts: ReplyPart[] = [];
  const sources: Source[] = [];
  const queries = new Map<string, string>();
  const sourceOf = (url: string, title: string): number => {
    const known = sources.find((s) => s.url === url);
    if (known) return known.n;
    sources.push({ n: sources.length + 1, title: title || url, url, href: safeHref(url) });
    return sources.length;
  };
  for (const block of blocks) {
    const b = block as Record<string, unknown>;
    if (b.type === 'thinking') parts.push({ type: 'thinking', text: typeof b.thinking === 'string' ? b.thinking : '' });
    else if (b.type === 'redacted_thinking') parts.push({ type: 'redacted_thinking' });
    else if (b.type === 'server_tool_use' && b.name === 'web_search') queries.set(str(b.id), str((b.input as Record<string, unknown> | undefined)?.query));
    else if (b.type === 'web_search_tool_result') {
      const query = queries.get(str(b.tool_use_id)) ?? '';
      if (Array.isArray(b.content)) {
        const results = b.content.filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null && (r as Record<string, unknown>).type === 'web_search_result');
        parts.push({ type: 'search', query, results: results.map((r) => ({ title: str(r.title), url: str(r.url), href: safeHref(str(r.url)) })) });
      } else parts.push({ type: 'search', query, results: [], error: str((b.content as Record<string, unknown> | undefined)?.error_code) || 'unavailable' });
    } else if (b.type === 'text') {
      const citations = Array.isArray(b.citations)
        ? b.citations
            .filter((c): c is Record<string, unknown> => typeof c === 'object' && c !== null && typeof (c as Record<string, unknown>).url === 'string')
            .map((c) => ({ source: sourceOf(str(c.url), str(c.title)), cited_text: str(c.cited_text) }))
        : [];
      parts.push({ type: 'text', text: typeof b.text === 'string' ? b.text : '', ...(citations.length ? { citations } : {}) });
    }
  }
  return { parts, sources };
}
