import { describe, expect, it } from 'vitest';
import { buildRequest, turnsSent, type Turn } from '../../src/core/claude/request.js';
import { costOf } from '../../src/core/claude/cost.js';
import { priceOf, PRICES_AS_OF } from '../../src/core/claude/prices.js';
import { planRetry, retryDelayMs, isRetryable, MAX_ATTEMPTS } from '../../src/core/claude/retry.js';
import { addUsage } from '../../src/core/chats/usage.js';
import { ZERO_USAGE } from '../../src/core/chats/record.js';

const opts = { model: 'claude-sonnet-5', max_tokens: 1000, system: null };

describe('request building', () => {
  it('sends the branch root to leaf, leaving error records out and merging turns of one role', () => {
    const req = buildRequest(
      [
        { role: 'user', content: 'one' },
        { role: 'error', content: 'overloaded' },
        { role: 'user', content: 'two' },
        { role: 'assistant', content: 'reply' },
        { role: 'user', content: 'three' },
      ],
      opts,
    );
    expect(req.messages.map((m) => [m.role, m.content.map((b) => b.text).join('')])).toEqual([
      ['user', 'one\n\ntwo'],
      ['assistant', 'reply'],
      ['user', 'three'],
    ]);
    expect(JSON.stringify(req)).not.toContain('overloaded');
  });

  it('leaves out a question Claude refused as invalid, so that it does not make every later request fail too', () => {
    const req = buildRequest(
      [
        { role: 'user', content: 'a question with a broken file' },
        { role: 'error', content: 'messages.0: invalid image', meta: { error_code: 'invalid_request_error' } },
        { role: 'user', content: 'a question without it' },
      ],
      opts,
    );
    expect(req.messages.map((m) => m.content.map((b) => b.text).join(''))).toEqual(['a question without it']);
    // Retrying the refused question itself still sends it.
    expect(buildRequest([{ role: 'user', content: 'a question with a broken file' }], opts).messages).toHaveLength(1);
    // Its files are not the next request's either: they count against no limit and are not loaded.
    const file = (cid: string) => ({ cid, kind: 'image' as const, media_type: 'image/png', name: `${cid}.png`, size: 1, width: 1, height: 1 });
    const sent = turnsSent([
      { role: 'user', content: 'fifteen images', attachments: [file('a'), file('b')] },
      { role: 'error', content: 'invalid image', meta: { error_code: 'invalid_request_error' } },
      { role: 'user', content: 'ten images', attachments: [file('c')] },
    ] as Turn[]);
    expect(sent.flatMap((t) => t.attachments ?? []).map((a) => a.cid)).toEqual(['c']);
  });

  it('puts the cache breakpoint at the end of the stable prefix: every turn but the newest', () => {
    const req = buildRequest(
      [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b' },
        { role: 'user', content: 'c' },
      ],
      { ...opts, system: 'Be brief.' },
    );
    expect(req.system).toEqual([{ type: 'text', text: 'Be brief.' }]);
    expect(req.messages[1]!.content.at(-1)!.cache_control).toEqual({ type: 'ephemeral' });
    expect(req.messages[2]!.content.at(-1)!.cache_control).toBeUndefined();
    expect(req.messages[0]!.content.at(-1)!.cache_control).toBeUndefined();
  });

  it('caches the system prompt when the newest turn is the only one', () => {
    const req = buildRequest([{ role: 'user', content: 'a' }], { ...opts, system: 'Long instructions' });
    expect(req.system![0]!.cache_control).toEqual({ type: 'ephemeral' });
  });

  it('refuses a branch with nothing to answer', () => {
    expect(() => buildRequest([{ role: 'error', content: 'x' }], opts)).toThrow(/no user message/);
    expect(() => buildRequest([{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }], opts)).toThrow(/already ends with a reply/);
  });
});

describe('usage and cost', () => {
  it('prices input, output, cache writes and cache reads at their own rates', () => {
    // Sonnet 5: $2 in, $10 out, writes 1.25×, reads 0.1× (per million tokens)
    const usage = { input_tokens: 1_000_000, output_tokens: 1_000_000, cache_creation_input_tokens: 1_000_000, cache_read_input_tokens: 1_000_000 };
    expect(costOf('claude-sonnet-5', usage)).toBeCloseTo(2 + 10 + 2.5 + 0.2, 10);
    expect(costOf('claude-haiku-4-5-20251001', { input_tokens: 2_000, output_tokens: 1_000 })).toBeCloseTo((2_000 * 1 + 1_000 * 5) / 1e6, 12);
  });

  it('says unknown for a model without a price, and never guesses', () => {
    expect(priceOf('claude-mock-unpriced')).toBeUndefined();
    expect(costOf('claude-mock-unpriced', { input_tokens: 5, output_tokens: 5 })).toBeUndefined();
    expect(PRICES_AS_OF).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('keeps chat totals current, counting unpriced replies apart', () => {
    let totals = addUsage({ ...ZERO_USAGE }, { model: 'claude-sonnet-5', usage: { input_tokens: 100, output_tokens: 50, cache_read_input_tokens: 1000 } });
    totals = addUsage(totals, { model: 'claude-mock-unpriced', usage: { input_tokens: 1, output_tokens: 1 } });
    expect(totals).toEqual({
      input_tokens: 101,
      output_tokens: 51,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 1000,
      cost_usd: (100 * 2 + 50 * 10 + 1000 * 0.2) / 1e6,
      unpriced_messages: 1,
      thinking_tokens: 0,
      web_search_requests: 0,
    });
  });
});

describe('retry policy', () => {
  const api = (status: number, headers: Record<string, string> = {}) => ({ kind: 'api' as const, status, headers });

  it('retries 429, 529, 500, 504 and lost connections; never 400, 401, 403, 404, 413', () => {
    for (const s of [429, 529, 500, 504]) expect(isRetryable(api(s)), String(s)).toBe(true);
    expect(isRetryable({ kind: 'connection' })).toBe(true);
    for (const s of [400, 401, 403, 404, 413]) expect(isRetryable(api(s)), String(s)).toBe(false);
    expect(isRetryable({ kind: 'malformed' })).toBe(false);
    expect(isRetryable(api(400, { 'x-should-retry': 'true' }))).toBe(true);
    expect(isRetryable(api(529, { 'x-should-retry': 'false' }))).toBe(false);
  });

  it('honours retry-after-ms, retry-after in seconds or as a date, else backs off', () => {
    expect(retryDelayMs(api(429, { 'retry-after-ms': '250' }), 1)).toBe(250);
    expect(retryDelayMs(api(429, { 'retry-after': '3' }), 1)).toBe(3000);
    expect(retryDelayMs(api(429, { 'retry-after': 'Thu, 26 Nov 2026 10:00:05 GMT', date: 'Thu, 26 Nov 2026 10:00:00 GMT' }), 1)).toBe(5000);
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(api(529), n))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
  });

  it('stops after 3 attempts or 30 s', () => {
    expect(planRetry(api(529), 1)).toEqual({ attempt: 2, after_ms: 500 });
    expect(planRetry(api(529), MAX_ATTEMPTS)).toBeUndefined();
    expect(planRetry(api(429, { 'retry-after': '20' }), 1, 15_000)).toBeUndefined();
    expect(planRetry(api(400), 1)).toBeUndefined();
  });
});
