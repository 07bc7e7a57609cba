/**
 * The mock's answer to a valid request, the same for the same request: the echo of the last user
 * text, a line per attachment of that turn, then as the request asks a `thinking` block (signed)
 * and a `redacted_thinking` one (the word "redacted" in the text), and web searches with cited
 * results (a word starting "search" in the text, a web search tool offered; "hostile" makes the
 * results XSS attempts). Words, so that "research" asks for nothing.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { Note } from './blocks.js';
import { tokens } from './cache.js';
import { citedText, searchResults } from './search.js';
import { digest, redactedData, signThinking } from './signing.js';
import { textOf, type Parsed } from './validate.js';

export type Block = Anthropic.TextBlock | Anthropic.ThinkingBlock | Anthropic.RedactedThinkingBlock | Anthropic.ServerToolUseBlock | Anthropic.WebSearchToolResultBlock;
/** Text blocks without citations leave the field out, as the mock always has. */
export type ReplyBlock = Exclude<Block, Anthropic.TextBlock> | { type: 'text'; text: string; citations?: Anthropic.CitationsWebSearchResultLocation[] };

export interface Reply {
  content: ReplyBlock[];
  output_tokens: number;
  thinking_tokens?: number;
  /** Searches run; present when a web search tool was offered. */
  web_search_requests?: number;
  /** Input tokens the search results add (the model reads them). */
  search_input_tokens: number;
}

const MARKDOWN_SAMPLE = ['', '', 'Here is **bold**, *italic*, a [link](https://example.com) and a list:', '', '- one', '- two', '', '```ts', 'const greeting: string = "hello";', 'console.log(greeting);', '```', '', 'Tasks:', '', '- [x] tested', '- [ ] shipped'].join('\n');

/** Tokens one search adds to the input: a flat estimate (real results are a few thousand). */
const SEARCH_INPUT_TOKENS = 1000;
const REDACTED_TOKENS = 64;

function describe(note: Note): string {
  if (note.kind === 'image') return `I see a ${note.format} image of ${note.seen.width}×${note.seen.height} pixels.`;
  if (note.kind === 'pdf') return `I see a PDF of ${note.pages} page${note.pages === 1 ? '' : 's'}${note.title ? ` titled “${note.title}”` : ''}.`;
  return note.title ? `I see a text document titled “${note.title}” of ${note.chars} characters.` : `I see an untitled text document of ${note.chars} characters.`;
}

export function replyTo(request: Parsed): Reply {
  const last = request.messages.findLast((m) => m.role === 'user');
  const said = textOf(last?.content ?? '').replace(/\[\[[^\]]*\]\]/g, '').trim();
  const turn = request.messages.filter((m) => m.role === 'user').length;
  const seed = digest(JSON.stringify(request.messages), request.model);
  let text = `Mock reply #${turn} to: “${said.slice(0, 200)}”`;
  if (request.notes.length > 0) text += `\n\n${request.notes.map(describe).join('\n')}`;
  if (/markdown/i.test(said)) text += MARKDOWN_SAMPLE;

  const content: ReplyBlock[] = [];
  let thinkingTokens: number | undefined;
  if (request.thinking) {
    const { type, budget_tokens, display } = request.thinking;
    const settings = [type === 'enabled' ? `budget ${budget_tokens} tokens` : 'adaptive', ...(request.effort ? [`effort ${request.effort}`] : [])].join(', ');
    const thought = `Mock thinking about “${said.slice(0, 200)}” (${settings}): first I read the question, then I weigh what it may mean, then I answer.`;
    // With display "omitted" the thinking is kept back; the signature still lets it be echoed.
    const shown = display === 'omitted' ? '' : thought;
    content.push({ type: 'thinking', thinking: shown, signature: signThinking(shown) });
    thinkingTokens = tokens(thought);
    if (/\bredacted\b/i.test(said)) {
      content.push({ type: 'redacted_thinking', data: redactedData(seed) });
      thinkingTokens += REDACTED_TOKENS;
    }
  }
  content.push({ type: 'text', text });

  let searches: number | undefined;
  if (request.webSearch) {
    searches = 0;
    if (/\bsearch/i.test(said)) {
      const wanted = Number(/\[\[searches:(\d+)\]\]/.exec(textOf(last?.content ?? ''))?.[1] ?? 1);
      const allowed = request.webSearch.max_uses ?? Infinity;
      const hostile = /\bhostile\b/i.test(said);
      const query = said.replace(/\s+/g, ' ').slice(0, 120) || 'search';
      let found: Anthropic.WebSearchResultBlock[] | undefined;
      for (let i = 0; i < wanted; i++) {
        const id = `srvtoolu_01${digest(seed, 'search', i).slice(0, 22)}`;
        const q = wanted > 1 ? `${query} (${i + 1})` : query;
        content.push({ type: 'server_tool_use', id, name: 'web_search', input: { query: q }, caller: { type: 'direct' } });
        // Past `max_uses` the API answers the search with an error block instead of results.
        const result = i < allowed ? searchResults(q, hostile) : { type: 'web_search_tool_result_error' as const, error_code: 'max_uses_exceeded' as const };
        content.push({ type: 'web_search_tool_result', tool_use_id: id, content: result, caller: { type: 'direct' } });
        if (Array.isArray(result)) {
          searches++;
          found ??= result;
        }
      }
      if (found) content.push(...citedText(found, hostile).map((t) => ({ type: 'text' as const, ...t })));
      else content.push({ type: 'text', text: '\n\nI could not search the web: the search limit was reached.' });
    }
  }

  const written = content.map((b) => (b.type === 'text' ? b.text : b.type === 'server_tool_use' ? JSON.stringify(b.input) : '')).join('');
  return {
    content,
    output_tokens: tokens(written) + (thinkingTokens ?? 0),
    ...(thinkingTokens !== undefined ? { thinking_tokens: thinkingTokens } : {}),
    ...(searches !== undefined ? { web_search_requests: searches } : {}),
    search_input_tokens: (searches ?? 0) * SEARCH_INPUT_TOKENS,
  };
}
