/**
 * Extended thinking through the mock and the real SDK: thinking and signature deltas the SDK
 * assembles into a signed block, redacted thinking, thinking tokens in usage, and continuations
 * that must echo those blocks unchanged, refused with the API's 400 when they do not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Anthropic from '@anthropic-ai/sdk';
import { startMockClaude, type MockClaude } from '../../scripts/mock-claude/server.js';

let mock: MockClaude;
beforeAll(async () => {
  mock = await startMockClaude();
});
afterAll(() => mock.close());

const sdk = () => new Anthropic({ apiKey: 'k-thinking', baseURL: mock.url, maxRetries: 0 });
const THINK = { model: 'claude-opus-5', max_tokens: 4000, thinking: { type: 'enabled', budget_tokens: 2048 } } as const;

async function refusal(request: Promise<unknown>): Promise<string> {
  const error = await request.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Anthropic.BadRequestError);
  const body = (error as InstanceType<typeof Anthropic.APIError>).error as { error: { type: string; message: string } };
  expect(body.error.type).toBe('invalid_request_error');
  return body.error.message;
}

const continuing = (reply: Anthropic.ContentBlockParam[], first = 'think about this') =>
  sdk().messages.create({ ...THINK, messages: [{ role: 'user', content: first }, { role: 'assistant', content: reply }, { role: 'user', content: 'go on' }] });

describe('mock Claude: extended thinking', () => {
  it('streams thinking_delta then signature_delta, which the SDK assembles into the same signed block the JSON reply has', async () => {
    const stream = sdk().messages.stream({ ...THINK, messages: [{ role: 'user', content: 'think about this' }] });
    const first: string[] = [];
    const thought: string[] = [];
    const signatures: string[] = [];
    stream.on('streamEvent', (e) => {
      if ('index' in e && e.index === 0) first.push(e.type === 'content_block_delta' ? e.delta.type : e.type);
    });
    stream.on('thinking', (delta) => thought.push(delta));
    stream.on('signature', (signature) => signatures.push(signature));
    const streamed = await stream.finalMessage();

    expect(first[0]).toBe('content_block_start');
    expect(first.slice(1, -2).every((t) => t === 'thinking_delta')).toBe(true);
    expect(first.length).toBeGreaterThan(4);
    expect(first.slice(-2)).toEqual(['signature_delta', 'content_block_stop']);
    const [thinking, text] = streamed.content;
    expect(thinking).toEqual({ type: 'thinking', thinking: thought.join(''), signature: signatures[0] });
    expect(thought.join('')).toMatch(/^Mock thinking about “think about this” \(budget 2048 tokens\)/);
    expect(signatures).toHaveLength(1);
    expect(text).toMatchObject({ type: 'text', text: 'Mock reply #1 to: “think about this”' });

    const json = await sdk().messages.create({ ...THINK, messages: [{ role: 'user', content: 'think about this' }] });
    expect(json.content).toEqual(streamed.content);
    // Thinking tokens are part of the billed output and said apart.
    const thinkingTokens = json.usage.output_tokens_details!.thinking_tokens;
    expect(thinkingTokens).toBeGreaterThan(10);
    expect(json.usage.output_tokens).toBeGreaterThan(thinkingTokens);
    expect(streamed.usage.output_tokens).toBe(json.usage.output_tokens);
    expect(streamed.usage.output_tokens_details).toEqual(json.usage.output_tokens_details);
    expect(mock.requests.at(-1)).toMatchObject({ summary: { thinking: 'enabled', budgetTokens: 2048 }, reply: { thinking: true, redactedThinking: false } });
  });

  it('adds a redacted_thinking block when the user text says "redacted", and takes a continuation that echoes both blocks unchanged', async () => {
    const reply = await sdk().messages.stream({ ...THINK, messages: [{ role: 'user', content: 'show me redacted thinking' }] }).finalMessage();
    expect(reply.content.map((b) => b.type)).toEqual(['thinking', 'redacted_thinking', 'text']);
    expect(reply.content[1]).toMatchObject({ type: 'redacted_thinking', data: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/) });

    const next = await continuing(reply.content, 'show me redacted thinking');
    expect(next.content.at(-1)).toMatchObject({ text: 'Mock reply #2 to: “go on”' });
    expect(mock.requests.at(-1)!.summary).toMatchObject({ echoedThinking: 1, echoedRedactedThinking: 1 });
  });

  it('refuses a continuation whose thinking was changed, or whose redacted data it never issued', async () => {
    const reply = await sdk().messages.create({ ...THINK, messages: [{ role: 'user', content: 'redacted please' }] });
    const [thinking, redacted, text] = reply.content as [Anthropic.ThinkingBlock, Anthropic.RedactedThinkingBlock, Anthropic.TextBlock];
    expect(await refusal(continuing([{ ...thinking, thinking: `${thinking.thinking} (edited)` }, redacted, text], 'redacted please'))).toBe('messages.1.content.0: Invalid `signature` in `thinking` block');
    expect(await refusal(continuing([{ ...thinking, signature: 'EqQBCgIYAhIM1gbcDa9GJwZA' }, redacted, text], 'redacted please'))).toBe('messages.1.content.0: Invalid `signature` in `thinking` block');
    const forged = Buffer.from(redacted.data, 'base64');
    const at = forged.length - 40;
    forged.writeUInt8(forged.readUInt8(at) ^ 1, at);
    expect(await refusal(continuing([thinking, { ...redacted, data: forged.toString('base64') }, text], 'redacted please'))).toBe('messages.1.content.1: Invalid `data` in `redacted_thinking` block');
    // The unchanged blocks pass, even with thinking now off.
    const ok = await sdk().messages.create({ model: 'claude-opus-5', max_tokens: 100, messages: [{ role: 'user', content: 'redacted please' }, { role: 'assistant', content: [thinking, redacted, text] }, { role: 'user', content: 'go on' }] });
    expect(ok.content).toEqual([{ type: 'text', text: 'Mock reply #2 to: “go on”' }]);
  });

  it('thinks adaptively where the model allows it, reading the effort, and keeps the text back with display "omitted"', async () => {
    const adaptive = await sdk().messages.create({ model: 'claude-sonnet-5', max_tokens: 1000, thinking: { type: 'adaptive' }, output_config: { effort: 'high' }, messages: [{ role: 'user', content: 'hmm' }] });
    expect(adaptive.content[0]).toMatchObject({ type: 'thinking', thinking: expect.stringContaining('(adaptive, effort high)') });
    expect(mock.requests.at(-1)!.summary).toMatchObject({ thinking: 'adaptive', effort: 'high' });

    const omitted = await sdk().messages.stream({ model: 'claude-sonnet-5', max_tokens: 1000, thinking: { type: 'adaptive', display: 'omitted' }, messages: [{ role: 'user', content: 'hmm' }] }).finalMessage();
    expect(omitted.content[0]).toMatchObject({ type: 'thinking', thinking: '', signature: expect.any(String) });
    expect(omitted.usage.output_tokens_details!.thinking_tokens).toBeGreaterThan(10);
    const next = await sdk().messages.create({ model: 'claude-sonnet-5', max_tokens: 1000, thinking: { type: 'adaptive' }, messages: [{ role: 'user', content: 'hmm' }, { role: 'assistant', content: omitted.content }, { role: 'user', content: 'ok' }] });
    expect(next.content[0]!.type).toBe('thinking');

    const none = await sdk().messages.create({ model: 'claude-sonnet-5', max_tokens: 1000, thinking: { type: 'disabled' }, messages: [{ role: 'user', content: 'hmm' }] });
    expect(none.content.map((b) => b.type)).toEqual(['text']);
    expect(none.usage.output_tokens_details).toBeUndefined();
  });

  it('refuses thinking settings the API refuses, and those the model list says the model lacks', async () => {
    const user = [{ role: 'user' as const, content: 'x' }];
    expect(await refusal(sdk().messages.create({ ...THINK, thinking: { type: 'enabled', budget_tokens: 1000 }, messages: user }))).toBe('thinking.enabled.budget_tokens: Input should be greater than or equal to 1024');
    expect(await refusal(sdk().messages.create({ ...THINK, max_tokens: 2048, messages: user }))).toMatch(/^`max_tokens` must be greater than `thinking.budget_tokens`\. Please consult our documentation/);
    expect(await refusal(sdk().messages.create({ ...THINK, thinking: { type: 'sometimes' } as never, messages: user }))).toBe(
      "thinking: Input tag 'sometimes' found using 'type' does not match any of the expected tags: 'enabled', 'adaptive', 'disabled', 'between_tools'",
    );
    expect(await refusal(sdk().messages.create({ ...THINK, model: 'claude-sonnet-5', messages: user }))).toMatch(/^thinking\.type: 'enabled' thinking is not supported by claude-sonnet-5/);
    expect(await refusal(sdk().messages.create({ ...THINK, model: 'claude-haiku-4-5', thinking: { type: 'adaptive' }, messages: user }))).toMatch(/'adaptive' thinking is not supported by claude-haiku-4-5/);
    expect(await refusal(sdk().messages.create({ model: 'claude-haiku-4-5', max_tokens: 10, output_config: { effort: 'low' }, messages: user }))).toMatch(/^output_config\.effort: effort is not supported by claude-haiku-4-5/);
    expect(await refusal(sdk().messages.create({ model: 'claude-opus-5', max_tokens: 10, output_config: { effort: 'extreme' as never }, messages: user }))).toBe("output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'");

    // What the list says is what the requests are held to.
    const models = await sdk().models.list();
    const sonnet = models.data.find((m) => m.id === 'claude-sonnet-5')!;
    expect(sonnet.capabilities!.thinking.types).toMatchObject({ adaptive: { supported: true }, enabled: { supported: false } });
    expect(models.data.find((m) => m.id === 'claude-mock-unpriced')!.capabilities).toBeNull();
  });
});
