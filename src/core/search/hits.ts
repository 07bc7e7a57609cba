/** What a search answers: where each hit is, and the words around its first match. */
import { z } from 'zod';
import type { MessageId } from '../dag/node.js';
import { StoredMessageId } from '../ids.js';

export const SearchHit = z.object({
  chat_id: z.string(),
  chat_name: z.string(),
  message_id: StoredMessageId,
  role: z.string(),
  /** Around the first match; `highlights` are [start, end) ranges within it. */
  snippet: z.string(),
  highlights: z.array(z.tuple([z.number().int(), z.number().int()])),
  /** Whether the message is on the chat's selected branch (else choosing it switches branch). */
  on_selected_branch: z.boolean(),
  score: z.number(),
});
export type SearchHit = z.infer<typeof SearchHit>;

export function snippetOf(content: string, terms: string[]): { snippet: string; highlights: [number, number][] } {
  const lower = content.toLowerCase();
  const positions = terms.map((t) => lower.indexOf(t.toLowerCase())).filter((i) => i >= 0);
  const first = positions.length ? Math.min(...positions) : 0;
  const start = Math.max(0, first - 60);
  const end = Math.min(content.length, first + 140);
  const snippet = `${start > 0 ? '…' : ''}${content.slice(start, end)}${end < content.length ? '…' : ''}`;
  const highlights: [number, number][] = [];
  const lowSnippet = snippet.toLowerCase();
  for (const term of terms) {
    for (let i = lowSnippet.indexOf(term.toLowerCase()); i >= 0 && term.length > 0; i = lowSnippet.indexOf(term.toLowerCase(), i + term.length)) {
      highlights.push([i, i + term.length]);
    }
  }
  return { snippet, highlights: highlights.sort((a, b) => a[0] - b[0]) };
}

/** Chat ids are UUIDs and message ids CIDs: neither holds a colon. */
export const keyOf = (chatId: string, id: string) => `${chatId}:${id}`;
export function splitKey(key: string): { chatId: string; id: MessageId } {
  const at = key.lastIndexOf(':');
  return { chatId: key.slice(0, at), id: key.slice(at + 1) as MessageId };
}

