/**
 * Web search through the mock and the real SDK: a `server_tool_use`, its `web_search_tool_result`,
 * then text blocks whose citations arrive as `citations_delta`s before their text, searches counted
 * in usage, `max_uses` respected, hostile results for XSS tests, and echoed pairs checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Anthropic from '@anthropic-ai/sdk';
import { startMockClaude, type MockClaude } from '../../scripts/mock-claude/server.js';

let mock: MockClaude;
beforeAll(async () => {
  mock = await startMockClaude();
});
afterAll(() => mock.close());

const sdk = () => new Anthropic({ apiKey: 'k-search', baseURL: mock.url, maxRetries: 0 });
const TOOL: Anthropic.WebSearchTool20250305 = { type: 'web_search_20250305', name: 'web_search' };
const params = (content: string, tool: Anthropic.WebSearchTool20250305 = TOOL) => ({ model: 'claude-sonnet-5', max_tokens: 1000, tools: [tool], messages: [{ role: 'user' as const, content }] });

async function refusal(request: Promise<unknown>): Promise<string> {
  const error = await request.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Anthropic.BadRequestError);
  return ((error as InstanceType<typeof Anthropic.APIError>).error as { error: { message: string } }).error.message;
}

describe('mock Claude: web search with citations', () => {
  it('searches when asked, and the SDK assembles the tool use, the results and the cited text from the stream', async () => {
    const stream = sdk().messages.stream(params('please search for theater actors'));
    const order: string[] = [];
    stream.on('streamEvent', (e) => {
      if (e.type === 'content_block_start') order.push(`${e.index}:start:${e.content_block.type}`);
      if (e.type === 'content_block_delta') order.push(`${e.index}:${e.delta.type}`);
    });
    const streamed = await stream.finalMessage();
    expect(streamed.content.map((b) => b.type)).toEqual(['text', 'server_tool_use', 'web_search_tool_result', 'text', 'text', 'text', 'text']);

    const [, use, result, , one, two] = streamed.content as [unknown, Anthropic.ServerToolUseBlock, Anthropic.WebSearchToolResultBlock, unknown, Anthropic.TextBlock, Anthropic.TextBlock];
    expect(use).toEqual({ type: 'server_tool_use', id: expect.stringMatching(/^srvtoolu_01\w{22}$/), name: 'web_search', input: { query: 'please search for theater actors' }, caller: { type: 'direct' } });
    expect(result.tool_use_id).toBe(use.id);
    const results = result.content as Anthropic.WebSearchResultBlock[];
    expect(results).toHaveLength(3);
    for (const r of results) expect(r).toEqual({ type: 'web_search_result', url: expect.stringMatching(/^https:\/\/example\.com\//), title: expect.any(String), encrypted_content: expect.any(String), page_age: r.page_age });
    // Citations land on the text blocks, pointing at the results.
    expect(one.citations).toEqual([{ type: 'web_search_result_location', url: results[0]!.url, title: results[0]!.title, cited_text: expect.any(String), encrypted_index: expect.any(String) }]);
    expect(two.citations!.map((c) => (c as Anthropic.CitationsWebSearchResultLocation).url)).toEqual([results[1]!.url, results[2]!.url]);
    expect(streamed.content[3]).toEqual({ type: 'text', text: '\n\nHere is what I found on the web:' });

    // On the wire: the query as input_json_delta, results whole at their start, citations before the cited text.
    expect(order.filter((o) => o.startsWith('1:'))).toEqual(['1:start:server_tool_use', '1:input_json_delta', '1:input_json_delta', '1:input_json_delta']);
    expect(order.filter((o) => o.startsWith('2:'))).toEqual(['2:start:web_search_tool_result']);
    expect(order.filter((o) => o.startsWith('5:'))).toEqual(['5:start:text', '5:citations_delta', '5:citations_delta', '5:text_delta', '5:text_delta']);

    const json = await sdk().messages.create(params('please search for theater actors'));
    expect(json.content).toEqual(streamed.content);
    expect(streamed.usage.server_tool_use).toEqual({ web_search_requests: 1, web_fetch_requests: 0 });
    expect(json.usage).toEqual(streamed.usage);
    expect(mock.requests.at(-1)).toMatchObject({ summary: { tools: ['web_search_20250305'] }, reply: { webSearches: 1, citations: 3 } });
  });

  it('reads search results as input, and counts no search when none was asked for ("research" is not "search")', async () => {
    const searched = await sdk().messages.create(params('search now'));
    const plain = await sdk().messages.create(params('research!!'));
    expect(plain.content.map((b) => b.type)).toEqual(['text']);
    expect(plain.usage.server_tool_use).toEqual({ web_search_requests: 0, web_fetch_requests: 0 });
    expect(searched.usage.input_tokens - plain.usage.input_tokens).toBe(1000);
    // Without a web search tool, "search" is only a word.
    const noTool = await sdk().messages.create({ model: 'claude-sonnet-5', max_tokens: 100, messages: [{ role: 'user', content: 'search this' }] });
    expect(noTool.content.map((b) => b.type)).toEqual(['text']);
    expect(noTool.usage.server_tool_use).toBeUndefined();
  });

  it('runs [[searches:N]] searches but no more than max_uses: the extra one gets a max_uses_exceeded error block', async () => {
    const msg = await sdk().messages.stream(params('search [[searches:3]] deeply', { ...TOOL, max_uses: 2 })).finalMessage();
    const results = msg.content.filter((b): b is Anthropic.WebSearchToolResultBlock => b.type === 'web_search_tool_result');
    expect(results.map((r) => (Array.isArray(r.content) ? 'results' : r.content.error_code))).toEqual(['results', 'results', 'max_uses_exceeded']);
    expect(msg.content.filter((b) => b.type === 'server_tool_use').map((b) => (b as Anthropic.ServerToolUseBlock).input)).toEqual([{ query: 'search deeply (1)' }, { query: 'search deeply (2)' }, { query: 'search deeply (3)' }]);
    expect(msg.usage.server_tool_use!.web_search_requests).toBe(2);
  });

  it('in hostile mode gives titles, URLs and cited passages that are XSS attempts', async () => {
    const msg = await sdk().messages.create(params('hostile search please'));
    const result = msg.content.find((b): b is Anthropic.WebSearchToolResultBlock => b.type === 'web_search_tool_result')!;
    const results = result.content as Anthropic.WebSearchResultBlock[];
    expect(results.map((r) => r.url)).toEqual(['javascript:alert(document.cookie)', 'data:text/html,<script>alert(document.domain)</script>', ' JaVaScRiPt:alert(4)']);
    expect(results.map((r) => r.title).join(' ')).toMatch(/<img src=x onerror=alert\(1\)>.*"><script>/);
    const cited = msg.content.flatMap((b) => (b.type === 'text' ? (b.citations ?? []) : [])) as Anthropic.CitationsWebSearchResultLocation[];
    expect(cited.map((c) => c.url)).toContain('javascript:alert(document.cookie)');
    expect(cited.map((c) => c.cited_text).join(' ')).toMatch(/<script>alert\("cited 1"\)<\/script>/);
  });

  it('takes a continuation that echoes the search blocks and citations, and refuses broken pairs', async () => {
    const first = await sdk().messages.create(params('search for echoes'));
    const history = (reply: Anthropic.ContentBlockParam[]) => ({ ...params('search for echoes'), messages: [{ role: 'user' as const, content: 'search for echoes' }, { role: 'assistant' as const, content: reply }, { role: 'user' as const, content: 'thanks' }] });
    const ok = await sdk().messages.create(history(first.content));
    expect(ok.content.at(0)).toMatchObject({ text: 'Mock reply #2 to: “thanks”' });
    expect(mock.requests.at(-1)!.summary).toMatchObject({ echoedServerToolUses: 1, echoedSearchResults: 1, echoedCitations: 3 });

    const [text, use, result, ...rest] = first.content as [Anthropic.TextBlock, Anthropic.ServerToolUseBlock, Anthropic.WebSearchToolResultBlock, ...Anthropic.TextBlock[]];
    expect(await refusal(sdk().messages.create(history([text, use, { ...result, tool_use_id: 'srvtoolu_bogus' }, ...rest])))).toBe(
      'messages.1.content.2: unexpected `tool_use_id` found in `web_search_tool_result` blocks: srvtoolu_bogus. Each `web_search_tool_result` block must have a corresponding `server_tool_use` block before it.',
    );
    expect(await refusal(sdk().messages.create(history([text, use, ...rest])))).toMatch(new RegExp(`^messages\\.1: \`server_tool_use\` ids were found without \`web_search_tool_result\` blocks after them: ${use.id}`));
    expect(await refusal(sdk().messages.create(history([text, result, use, ...rest])))).toMatch(/^messages\.1\.content\.1: unexpected `tool_use_id`/);
    const badCitation = { ...rest[1]!, citations: [{ type: 'web_search_result_location', url: 'https://example.com' }] } as Anthropic.TextBlockParam;
    expect(await refusal(sdk().messages.create(history([text, use, result, rest[0]!, badCitation])))).toBe('messages.1.content.4.text.citations.0.web_search_result_location.title: Field required');
  });

  it('refuses tools the API does not know, and two tools of one name', async () => {
    const user = [{ role: 'user' as const, content: 'x' }];
    const unknown = await refusal(sdk().messages.create({ model: 'claude-sonnet-5', max_tokens: 10, tools: [{ type: 'web_search_29990101', name: 'web_search' } as never], messages: user }));
    expect(unknown).toMatch(/^tools\.0: Input tag 'web_search_29990101' found using 'type' does not match any of the expected tags: 'custom', 'bash_20250124', .*'web_search_20250305'/);
    expect(await refusal(sdk().messages.create({ model: 'claude-sonnet-5', max_tokens: 10, tools: [TOOL, { type: 'web_search_20260209', name: 'web_search' }], messages: user }))).toBe('tools: Tool names must be unique.');
    expect(await refusal(sdk().messages.create({ model: 'claude-sonnet-5', max_tokens: 10, tools: [{ ...TOOL, max_uses: 0 }], messages: user }))).toBe('tools.0.web_search_20250305.max_uses: Input should be greater than or equal to 1');
    // A client tool needs no `type`, and web search may carry a cache breakpoint.
    const fine = await sdk().messages.create({ model: 'claude-sonnet-5', max_tokens: 10, tools: [{ name: 'lookup', input_schema: { type: 'object' } }, { ...TOOL, cache_control: { type: 'ephemeral' } }], messages: user });
    expect(fine.type).toBe('message');
    expect(mock.requests.at(-1)!.summary).toMatchObject({ tools: ['custom', 'web_search_20250305'], cacheBreakpoints: 1 });
  });
});
