/**
 * Issue 15 in the core: attachments become image and document blocks, a reply's blocks go back
 * unchanged (thinking with its signature, searches, cited text), the cache breakpoint never lands
 * on a thinking block, features become request fields as each model takes them, and usage counts
 * thinking and searches at the dated price.
 */
import { describe, expect, it } from 'vitest';
import { buildRequest, type Turn } from '../../src/core/claude/request.js';
import { costOf } from '../../src/core/claude/cost.js';
import { priceOf } from '../../src/core/claude/prices.js';
import { WEB_SEARCH_PRICE } from '../../src/core/claude/capabilities.js';
const WEB_SEARCH_USD_PER_SEARCH = WEB_SEARCH_PRICE.usd_per_search;
import { addUsage } from '../../src/core/chats/usage.js';
import { ZERO_USAGE } from '../../src/core/chats/record.js';
import { replyParts } from '../../src/core/chats/reply-parts.js';
import type { BlobId } from '../../src/core/ids.js';
import type { Attachment } from '../../src/core/dag/parts.js';

const png = { cid: 'bafkreipng' as BlobId, kind: 'image', media_type: 'image/png', name: 'shot.png', size: 3 } satisfies Attachment;
const pdf = { cid: 'bafkreipdf' as BlobId, kind: 'pdf', media_type: 'application/pdf', name: 'paper.pdf', size: 4, pages: 2 } satisfies Attachment;
const txt = { cid: 'bafkreitxt' as BlobId, kind: 'text', media_type: 'text/plain', name: 'notes.md', size: 5 } satisfies Attachment;
const files = new Map<BlobId, string>([
  [png.cid, btoa('PNG')],
  [pdf.cid, btoa('%PDF')],
  [txt.cid, btoa('# hi!')],
]);
const opts = { model: 'claude-haiku-4-5', max_tokens: 1000, system: null, files };

const thinking = { type: 'thinking', thinking: 'Let me see.', signature: 'sig-abc' };
const search = { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'tides' } };
const results = {
  type: 'web_search_tool_result',
  tool_use_id: 'srvtoolu_1',
  content: [{ type: 'web_search_result', url: 'https://tides.example/a', title: 'Tides <b>today</b>', encrypted_content: 'enc', page_age: null }],
};
const cited = { type: 'text', text: 'High tide is at noon.', citations: [{ type: 'web_search_result_location', url: 'https://tides.example/a', title: 'Tides', cited_text: 'noon', encrypted_index: 'x' }] };

describe('attachments in the request', () => {
  it('sends files before the text as image and document blocks, by kind', () => {
    const req = buildRequest([{ role: 'user', content: 'what are these?', attachments: [png, pdf, txt] }], opts);
    expect(req.messages[0]!.content).toEqual([
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: btoa('PNG') } },
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: btoa('%PDF') }, title: 'paper.pdf' },
      { type: 'document', source: { type: 'text', media_type: 'text/plain', data: '# hi!' }, title: 'notes.md' },
      { type: 'text', text: 'what are these?' },
    ]);
  });

  it('keeps files when turns of one role are merged, and marks the end of the stable prefix for the cache', () => {
    const branch: Turn[] = [
      { role: 'user', content: 'look', attachments: [png] },
      { role: 'error', content: 'overloaded' },
      { role: 'user', content: 'and this', attachments: [pdf] },
      { role: 'assistant', content: 'seen' },
      { role: 'user', content: 'next' },
    ];
    const req = buildRequest(branch, opts);
    expect(req.messages[0]!.content.map((b) => b.type)).toEqual(['image', 'text', 'document', 'text']);
    expect(req.messages[1]!.content.at(-1)).toMatchObject({ type: 'text', cache_control: { type: 'ephemeral' } });
    // A long attachment-heavy chat: the breakpoint sits after the files of earlier turns.
    const two = buildRequest([branch[0]!, { role: 'user', content: 'more' }], opts);
    expect(two.messages).toHaveLength(1);
  });

  it('refuses to build a request whose file cannot be read, rather than sending it without', () => {
    expect(() => buildRequest([{ role: 'user', content: 'x', attachments: [png] }], { ...opts, files: new Map() })).toThrow(/shot\.png/);
  });
});

describe('a reply goes back as it came', () => {
  const reply: Turn = { role: 'assistant', content: 'High tide is at noon.', blocks: [thinking, search, results, cited] };

  it('echoes thinking with its signature, the search and the cited text unchanged', () => {
    const req = buildRequest([{ role: 'user', content: 'tides?' }, reply, { role: 'user', content: 'thanks' }], opts);
    const sent = req.messages[1]!.content;
    expect(sent.slice(0, 3)).toEqual([thinking, search, results]);
    expect(sent[3]).toEqual({ ...cited, cache_control: { type: 'ephemeral' } });
  });

  it('never puts the cache breakpoint on a thinking block', () => {
    const onlyThinking: Turn = { role: 'assistant', content: '', blocks: [thinking, { type: 'redacted_thinking', data: 'zzz' }] };
    const req = buildRequest([{ role: 'user', content: 'a' }, onlyThinking, { role: 'user', content: 'b' }], opts);
    expect(JSON.stringify(req.messages[1])).not.toContain('cache_control');
    expect(req.messages[1]!.content).toEqual([thinking, { type: 'redacted_thinking', data: 'zzz' }]);
  });

  it('drops a breakpoint stored with a block, so old marks never pile past the API limit of four', () => {
    const marked: Turn = { role: 'assistant', content: 'ok', blocks: [thinking, { type: 'text', text: 'ok', cache_control: { type: 'ephemeral' } }] };
    const req = buildRequest([{ role: 'user', content: 'a' }, marked, { role: 'user', content: 'b' }, { role: 'assistant', content: 'c' }, { role: 'user', content: 'd' }], opts);
    expect(JSON.stringify(req).match(/cache_control/g)).toHaveLength(1);
  });
});

describe('features as each model takes them', () => {
  const branch: Turn[] = [{ role: 'user', content: 'hi' }];
  const features = { thinking: { effort: 'medium' as const }, web_search: { max_uses: 3 } };

  it('gives a budget model a thinking budget on top of the reply room', () => {
    const req = buildRequest(branch, { ...opts, model: 'claude-haiku-4-5', features });
    expect(req.thinking).toEqual({ type: 'enabled', budget_tokens: 8192 });
    expect(req.max_tokens).toBe(1000 + 8192);
    expect(req.tools).toEqual([{ type: 'web_search_20250305', name: 'web_search', max_uses: 3 }]);
  });

  it('gives an adaptive model an effort, and tells a model that thinks by default not to when thinking is off', () => {
    const on = buildRequest(branch, { ...opts, model: 'claude-opus-4-8', features });
    expect(on.thinking).toEqual({ type: 'adaptive', display: 'summarized' });
    expect(on.output_config).toEqual({ effort: 'medium' });
    expect(on.max_tokens).toBe(1000);
    const off = buildRequest(branch, { ...opts, model: 'claude-opus-4-8', features: { thinking: null, web_search: null } });
    expect(off.thinking).toBeUndefined();
    expect(off.tools).toBeUndefined();
    const offByDefault = buildRequest(branch, { ...opts, model: 'claude-sonnet-5', features: { thinking: null, web_search: null } });
    expect(offByDefault.thinking).toEqual({ type: 'disabled' });
  });

  it('asks nothing of a model it does not know beyond what every model takes', () => {
    const req = buildRequest(branch, { ...opts, model: 'claude-new-unknown', features });
    expect(req.thinking).toBeUndefined();
    expect(req.tools?.[0]?.type).toBe('web_search_20250305');
  });
});

describe('usage and cost with thinking and searches', () => {
  it('prices searches per search at the dated price, thinking as output it is part of', () => {
    const p = priceOf('claude-haiku-4-5')!;
    const usage = { input_tokens: 1000, output_tokens: 500, thinking_tokens: 300, web_search_requests: 2 };
    expect(costOf('claude-haiku-4-5', usage)).toBeCloseTo((1000 * p.input + 500 * p.output) / 1e6 + 2 * WEB_SEARCH_USD_PER_SEARCH, 10);
    expect(WEB_SEARCH_USD_PER_SEARCH).toBe(0.01);
    const totals = addUsage(addUsage(ZERO_USAGE, { model: 'claude-haiku-4-5', usage }), { model: 'claude-haiku-4-5', usage });
    expect(totals).toMatchObject({ thinking_tokens: 600, web_search_requests: 4, output_tokens: 1000 });
    expect(totals.cost_usd).toBeCloseTo(2 * costOf('claude-haiku-4-5', usage)!, 10);
  });

  it('says a cost as people write it, without the tail of a binary fraction', () => {
    // Five such replies came to 0.00015999999999999999 before.
    let totals = ZERO_USAGE;
    for (let i = 0; i < 7; i++) totals = addUsage(totals, { model: 'claude-sonnet-5', usage: { input_tokens: 1, output_tokens: 3 } });
    expect(String(totals.cost_usd)).toMatch(/^\d+(\.\d{1,10})?$/);
  });
});

describe('reply parts', () => {
  it('lists thinking, the search step and cited text in order, numbering sources once each', () => {
    const { parts, sources } = replyParts([thinking, search, results, cited, { ...cited, text: 'Again.' }]);
    expect(parts.map((p) => p.type)).toEqual(['thinking', 'search', 'text', 'text']);
    expect(parts[1]).toMatchObject({ query: 'tides', results: [{ title: 'Tides <b>today</b>', href: 'https://tides.example/a' }] });
    expect(parts[2]).toMatchObject({ citations: [{ source: 1, cited_text: 'noon' }] });
    expect(parts[3]).toMatchObject({ citations: [{ source: 1 }] });
    expect(sources).toEqual([{ n: 1, title: 'Tides', url: 'https://tides.example/a', href: 'https://tides.example/a' }]);
  });

  it('never makes a link of a javascript:, data: or other unsafe URL', () => {
    const hostile = ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:x', 'file:///etc/passwd', 'not a url'];
    const blocks = hostile.map((url) => ({ type: 'text', text: 'x', citations: [{ type: 'web_search_result_location', url, title: '"><img src=x onerror=alert(1)>', cited_text: 'x' }] }));
    const { sources } = replyParts(blocks);
    expect(sources).toHaveLength(hostile.length);
    expect(sources.every((s) => s.href === null)).toBe(true);
  });
});

describe('what a model can do: the API list over the dated table', () => {
  it('takes the API word where it speaks, and the table where it is silent', async () => {
    const { withApiCapabilities } = await import('../../src/core/claude/api-capabilities.js');
    const { capabilitiesOf } = await import('../../src/core/claude/capabilities.js');
    const table = capabilitiesOf('claude-haiku-4-5');
    expect(withApiCapabilities(table, null)).toBe(table);
    const api = {
      thinking: { supported: true, types: { adaptive: { supported: true }, enabled: { supported: false }, disabled: { supported: true } } },
      effort: { supported: true, low: { supported: true }, medium: { supported: true }, high: { supported: false } },
      server_tools: { web_search: { supported: false } },
    };
    const merged = withApiCapabilities(table, api);
    expect(merged).toMatchObject({ thinking: 'adaptive', efforts: ['low', 'medium'], web_search: false, vision: true, thinking_off: table.thinking_off });
    const unknown = withApiCapabilities(capabilitiesOf('claude-brand-new'), api);
    expect(unknown).toMatchObject({ thinking: 'adaptive', thinking_off: 'disabled' });
    // A request to it follows what the API said.
    const req = buildRequest([{ role: 'user', content: 'hi' }], { ...opts, model: 'claude-brand-new', capabilities: unknown, features: { thinking: { effort: 'low' }, web_search: { max_uses: 1 } } });
    expect(req.thinking).toEqual({ type: 'adaptive', display: 'summarized' });
    expect(req.output_config).toEqual({ effort: 'low' });
    expect(req.tools).toBeUndefined();
  });
});
