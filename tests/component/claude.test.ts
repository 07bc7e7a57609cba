/**
 * Claude through the component, the host and the mock API: replies with usage and cost, every
 * fault class, the user's message kept, failures recorded on the branch, and retry.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { ChatClient } from '../helpers/chat-client.js';
import { ROOT, expectNoFatal, startHost, tempDir } from '../helpers/host.js';
import { claudeHost, isGenerationEnd as isEnd } from '../helpers/claude-host.js';
import { TEST_API_KEY } from '../helpers/secrets.js';
import type { Frame } from '../scenarios/driver.js';

type Msg = { id: string; parent_id: string | null; role: string; content: string; meta: Record<string, any>; cost_usd?: number | null; siblings: { index: number; count: number } };

const seen: string[] = [];
// The key never reaches a client. Registered before claudeHost's own, so it runs after the host has
// stopped (after-hooks run last-registered first, and a failing one skips those after it).
afterAll(() => expect(seen.join('\n')).not.toContain(TEST_API_KEY));
const suite = claudeHost();

async function client(): Promise<ChatClient> {
  const c = await ChatClient.open(suite.host.url);
  c.ws.on('message', (d) => seen.push(String(d)));
  return c;
}

/** Sends a message, asks for a reply, and returns the frames up to the generation's end. */
async function ask(c: ChatClient, content: string, extra: Record<string, unknown> = {}): Promise<{ started: Frame; events: Frame[]; end: Frame }> {
  await c.command({ type: 'send_message', content });
  const started = await c.command({ type: 'generate_llm_response', ...extra });
  const events = await c.until(isEnd);
  const end = events.find((f) => f.type === 'generation_finished' || f.type === 'generation_failed')!;
  return { started, events, end };
}

async function branch(c: ChatClient): Promise<Msg[]> {
  return ((await c.command({ type: 'get_branch' })) as Frame & { messages: Msg[] }).messages;
}

describe('Claude replies', () => {
  it('arrive with model, usage and cost, after an immediate generation_started', async () => {
    const c = await client();
    await c.command({ type: 'create_chat', name: 'Claude', system: 'Be brief.' });
    const { started, events, end } = await ask(c, 'Hello Claude');
    expect(started).toMatchObject({ type: 'generation_started', model: 'claude-sonnet-5', attempt: 1 });
    expect(end.type).toBe('generation_finished');
    const added = events.find((f) => f.type === 'message_added') as Frame & { message: Msg; chat: { usage: Record<string, number> } };
    expect(added.message).toMatchObject({ role: 'assistant', content: 'Mock reply #1 to: “Hello Claude”', meta: { model: 'claude-sonnet-5', stop_reason: 'end_turn' } });
    expect(added.message.meta.request_id).toMatch(/^req_mock_/);
    expect(added.message.meta.response_date).toMatch(/GMT$/);
    expect(added.message.meta.usage.output_tokens).toBeGreaterThan(0);
    expect(added.message.cost_usd).toBeGreaterThan(0);
    expect(added.chat.usage.cost_usd).toBeCloseTo(added.message.cost_usd!, 12);
    // What the SDK sent, as the real API sees it.
    const sent = suite.mock.requests.at(-1)!;
    expect(sent.headers.authorization).toBe(`Bearer ${TEST_API_KEY}`);
    expect(sent.headers['anthropic-version']).toBeTruthy();
    expect(sent.body).toMatchObject({ model: 'claude-sonnet-5', max_tokens: 8192, stream: true, system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }] });
    await c.close();
  });

  it('send only the selected branch, mark the stable prefix for caching, and read from the cache on a regenerate', async () => {
    const c = await client();
    await c.command({ type: 'create_chat', name: 'Branches' });
    await ask(c, 'first question');
    const q2 = (await c.command({ type: 'send_message', content: 'second, original' })) as Frame & { message: Msg };
    const edited = (await c.command({ type: 'edit_message', message_id: q2.message.id, content: 'second, edited' })) as Frame & { message: Msg };
    await c.command({ type: 'generate_llm_response' });
    await c.until(isEnd);
    const body = suite.mock.requests.at(-1)!.body as { messages: { role: string; content: { text: string; cache_control?: unknown }[] }[] };
    const texts = body.messages.map((m) => m.content.map((b) => b.text).join(''));
    expect(texts).toEqual(['first question', 'Mock reply #1 to: “first question”', 'second, edited']);
    expect(JSON.stringify(body)).not.toContain('second, original');
    expect(body.messages[1]!.content.at(-1)!.cache_control).toEqual({ type: 'ephemeral' });
    // Regenerate the same point: same prefix, so the mock reads it from its cache.
    await c.command({ type: 'generate_llm_response', parent_id: edited.message.id });
    const again = (await c.until(isEnd)).find((f) => f.type === 'message_added') as Frame & { message: Msg };
    expect(again.message.meta.usage.cache_read_input_tokens).toBeGreaterThan(0);
    expect(again.message.siblings).toEqual({ index: 1, count: 2 });
    await c.close();
  });

  it('list models from the API, with dated prices and unknown where unknown', async () => {
    const c = await client();
    const list = (await c.command({ type: 'list_models' })) as Frame & { models: { id: string; price: unknown }[]; source: string; prices_as_of: string };
    expect(list.source).toBe('api');
    expect(list.models.find((m) => m.id === 'claude-sonnet-5')!.price).toMatchObject({ input: 2, output: 10, as_of: list.prices_as_of });
    expect(list.models.find((m) => m.id === 'claude-mock-unpriced')!.price).toBeNull();
    await c.close();
  });
});

describe('Claude faults', () => {
  const cases: { name: string; fault?: Record<string, unknown>[]; model?: string; code: RegExp; message: RegExp; retryable: boolean; requests: number }[] = [
    { name: '400 shows the API message, no retry', fault: [{ status: 400, message: 'messages: roles must alternate' }], code: /invalid_request_error/, message: /roles must alternate/, retryable: false, requests: 1 },
    { name: '403 shows the API message, no retry', fault: [{ status: 403, message: 'this key may not use that model' }], code: /permission_error/, message: /may not use/, retryable: false, requests: 1 },
    { name: '404 for an unknown model, no retry', model: 'claude-nope', code: /not_found_error/, message: /model: claude-nope/, retryable: false, requests: 1 },
    { name: '413 shows the API message, no retry', fault: [{ status: 413, message: 'request too large' }], code: /request_too_large/, message: /too large/, retryable: false, requests: 1 },
    { name: 'a malformed body fails clearly', fault: [{ malformed: true }], code: /malformed_response/, message: /cannot read|fields of a message/, retryable: false, requests: 1 },
    { name: 'a stream cut before its end says so and may be retried', fault: [{ truncate: true }], code: /connection_error/, message: /cut before the reply was complete/, retryable: true, requests: 1 },
  ];
  for (const t of cases) {
    it(t.name + '; the user\'s message stays and the failure is on the branch', async () => {
      const c = await client();
      await c.command({ type: 'create_chat', name: t.name });
      const before = suite.mock.requests.length;
      if (t.fault) suite.mock.queueFaults(t.fault as never);
      const { end } = await ask(c, `please answer (${t.name})`, t.model ? { model_id: t.model } : {});
      expect(end.type).toBe('generation_failed');
      const error = end.error as { code: string; message: string; retryable: boolean };
      expect(error.code).toMatch(t.code);
      expect(error.message).toMatch(t.message);
      expect(error.retryable).toBe(t.retryable);
      expect(suite.mock.requests.length - before).toBe(t.requests);
      const messages = await branch(c);
      expect(messages.map((m) => m.role)).toEqual(['user', 'error']);
      expect(messages[0]!.content).toBe(`please answer (${t.name})`);
      await c.close();
    });
  }

  it('401 names the key problem; the key itself appears nowhere', async () => {
    const bad = await startHost({ env: { ANTHROPIC_API_KEY: 'invalid', ANTHROPIC_BASE_URL: suite.mock.url } });
    const c = await ChatClient.open(bad.url);
    await c.command({ type: 'create_chat', name: 'bad key' });
    await c.command({ type: 'send_message', content: 'hi' });
    await c.command({ type: 'generate_llm_response' });
    const end = (await c.until(isEnd)).find((f) => f.type === 'generation_failed')!;
    expect(end.error).toMatchObject({ code: 'authentication_error', message: 'invalid x-api-key', retryable: false });
    await c.close();
    await bad.stop();
    expectNoFatal(bad);
  });

  it('429 with retry-after 0 is retried at once and succeeds', async () => {
    const c = await client();
    await c.command({ type: 'create_chat', name: 'retry now' });
    const before = suite.mock.requests.length;
    suite.mock.queueFaults([{ status: 429, retry_after: 0 }]);
    const { end } = await ask(c, 'hello');
    expect(end.type).toBe('generation_finished');
    expect(suite.mock.requests.length - before).toBe(2);
    expect((await branch(c)).map((m) => m.role)).toEqual(['user', 'assistant']);
    await c.close();
  });

  it('529 three times is retried within the bounds, then fails for good', async () => {
    const c = await client();
    await c.command({ type: 'create_chat', name: 'overloaded' });
    const before = suite.mock.requests.length;
    suite.mock.queueFaults([{ status: 529, retry_after: 0 }, { status: 529, retry_after: 0 }, { status: 529, retry_after: 0 }]);
    const { end } = await ask(c, 'hello');
    expect(end).toMatchObject({ type: 'generation_failed', attempt: 3, error: { code: 'overloaded_error', retryable: true } });
    expect(end.retry).toBeUndefined();
    expect(suite.mock.requests.length - before).toBe(3);
    await c.close();
  });

  for (const status of [429, 529, 500, 504]) {
    it(`${status} with a wait: the client is told when to retry, and retry from the same point succeeds`, async () => {
      const c = await client();
      await c.command({ type: 'create_chat', name: `wait ${status}` });
      suite.mock.queueFaults([{ status, retry_after: status === 429 ? 2 : undefined }]);
      const { end } = await ask(c, `hello ${status}`);
      expect(end).toMatchObject({ type: 'generation_failed', attempt: 1, error: { status, retryable: true }, retry: { attempt: 2, after_ms: status === 429 ? 2000 : 500 } });
      const failed = await branch(c);
      expect(failed.map((m) => m.role)).toEqual(['user', 'error']);
      const retry = end.retry as { attempt: number; after_ms: number };
      const started = await c.command({ type: 'retry', message_id: failed[1]!.id, attempt: retry.attempt, spent_ms: retry.after_ms });
      expect(started).toMatchObject({ type: 'generation_started', parent_id: failed[0]!.id, attempt: 2 });
      expect((await c.until(isEnd)).some((f) => f.type === 'generation_finished')).toBe(true);
      const after = await branch(c);
      expect(after.map((m) => m.role)).toEqual(['user', 'assistant']);
      // The failed attempt is not a version of the reply (‹ › never land on it): the reply is 1 of 1.
      expect(after[1]!.siblings).toEqual({ index: 0, count: 1 });
      // The error record stays on its own branch and is never sent to the model.
      expect(JSON.stringify(suite.mock.requests.at(-1)!.body)).not.toContain('(injected)');
      await c.close();
    });
  }

  it('a lost connection is reported as such, with a retry after a back-off', async () => {
    const c = await client();
    await c.command({ type: 'create_chat', name: 'dropped' });
    const before = suite.mock.requests.length;
    suite.mock.queueFaults([{ drop: true }]);
    const { end } = await ask(c, 'hello');
    expect(end).toMatchObject({ type: 'generation_failed', error: { code: 'connection_error', retryable: true }, retry: { attempt: 2, after_ms: 500 } });
    expect(String((end.error as { message: string }).message)).toMatch(/could not reach the Claude API/);
    expect(suite.mock.requests.length - before).toBe(1);
    await c.close();
  });
});

describe('without an API key', () => {
  it('npm start still runs, says no key is configured, and a generation fails with how to set one', async () => {
    const bare = await startHost({ env: { ANTHROPIC_API_KEY: '', ANTHROPIC_BASE_URL: suite.mock.url } });
    const c = await ChatClient.open(bare.url);
    const token = /content="([0-9a-f]+)"/.exec(await (await fetch(`${bare.url}/`)).text())![1]!;
    const raw = await ChatClient.open(bare.url, token);
    const welcome = await raw.command({ type: 'hello', token });
    expect(welcome).toMatchObject({ type: 'welcome', api_key_configured: false });
    await c.command({ type: 'create_chat', name: 'no key' });
    await c.command({ type: 'send_message', content: 'hi' });
    await c.command({ type: 'generate_llm_response' });
    const end = (await c.until(isEnd)).find((f) => f.type === 'generation_failed')!;
    expect(end.error).toMatchObject({ code: 'no_api_key', message: expect.stringMatching(/ANTHROPIC_API_KEY.*api-key\.txt/) });
    const models = (await c.command({ type: 'list_models' })) as Frame & { source: string; models: unknown[] };
    expect(models.source).toBe('fallback');
    expect(models.models.length).toBeGreaterThan(2);
    await c.close();
    await raw.close();
    await bare.stop();
    expectNoFatal(bare);
  });

  it('reads the key from assets/api-key.txt through the filesystem handler', async () => {
    const dir = tempDir();
    cpSync(join(ROOT, 'actor.toml'), join(dir, 'actor.toml'));
    cpSync(join(ROOT, 'generator.toml'), join(dir, 'generator.toml'));
    mkdirSync(join(dir, 'assets'));
    cpSync(join(ROOT, 'assets/init.json'), join(dir, 'assets/init.json'));
    writeFileSync(join(dir, 'assets/api-key.txt'), `${TEST_API_KEY}\n`);
    mkdirSync(join(dir, 'dist'));
    cpSync(join(ROOT, 'dist/chat.wasm'), join(dir, 'dist/chat.wasm'));
    // The generator reads the key file through its own filesystem handler (generator.toml: assets/).
    cpSync(join(ROOT, 'dist/generator.wasm'), join(dir, 'dist/generator.wasm'));
    const fileKey = await startHost({ manifest: join(dir, 'actor.toml'), env: { ANTHROPIC_API_KEY: '', ANTHROPIC_BASE_URL: suite.mock.url } });
    const c = await ChatClient.open(fileKey.url);
    c.ws.on('message', (d) => seen.push(String(d)));
    await c.command({ type: 'create_chat', name: 'file key' });
    const { end } = await ask(c, 'hi');
    expect(end.type, JSON.stringify(end)).toBe('generation_finished');
    expect(suite.mock.requests.at(-1)!.headers.authorization).toBe(`Bearer ${TEST_API_KEY}`);
    await c.close();
    expect(fileKey.log()).not.toContain(TEST_API_KEY);
    await fileKey.stop();
  });
});
