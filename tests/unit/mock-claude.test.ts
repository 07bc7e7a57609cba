/** The mock speaks the real wire format: checked with the official SDK and with raw requests. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Anthropic from '@anthropic-ai/sdk';
import { startMockClaude, type MockClaude } from '../../scripts/mock-claude/server.js';

let mock: MockClaude;
beforeAll(async () => {
  mock = await startMockClaude();
});
afterAll(() => mock.close());

const sdk = (apiKey = 'k-123456789') => new Anthropic({ apiKey, baseURL: mock.url, maxRetries: 0 });
const raw = (body: unknown, headers: Record<string, string> = { 'x-api-key': 'k', 'anthropic-version': '2023-06-01' }) =>
  fetch(`${mock.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('mock Claude API', () => {
  it('answers the SDK as the API would, JSON and SSE, with Bearer auth and the SDK\'s version header', async () => {
    const msg = await sdk().messages.create({ model: 'claude-sonnet-5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
    expect(msg).toMatchObject({ type: 'message', role: 'assistant', stop_reason: 'end_turn', content: [{ type: 'text', text: 'Mock reply #1 to: “hi”' }] });
    const streamed = await sdk().messages.stream({ model: 'claude-sonnet-5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
    expect(streamed.content).toEqual(msg.content);
    expect(streamed.usage.output_tokens).toBe(msg.usage.output_tokens);
    expect(mock.requests.at(-1)!.headers.authorization).toBe('Bearer k-123456789');
  });

  it('accepts x-api-key with 2023-06-01 too, and refuses a missing version or key', async () => {
    expect((await raw({ model: 'claude-sonnet-5', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })).status).toBe(200);
    expect((await raw({}, { 'x-api-key': 'k' })).status).toBe(400);
    const noKey = await raw({}, { 'anthropic-version': '2023-06-01' });
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' }, request_id: expect.stringMatching(/^req_/) });
  });

  it('rejects what the API rejects, with the real error shape', async () => {
    const cases: [unknown, RegExp][] = [
      ['{not json', /parsing the body/],
      [{ max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }, /model/],
      [{ model: 'claude-sonnet-5', messages: [{ role: 'user', content: 'x' }] }, /max_tokens/],
      [{ model: 'claude-sonnet-5', max_tokens: 5, messages: [] }, /at least one message/],
      [{ model: 'claude-sonnet-5', max_tokens: 5, messages: [{ role: 'assistant', content: 'x' }] }, /first message/],
      [{ model: 'claude-sonnet-5', max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'text', text: '' }] }] }, /non-empty/],
      [{ model: 'claude-sonnet-5', max_tokens: 5, messages: [{ role: 'system', content: 'x' }] }, /role/],
    ];
    for (const [body, message] of cases) {
      const res = await raw(body);
      expect(res.status).toBe(400);
      const json = (await res.json()) as { type: string; error: { type: string; message: string } };
      expect(json.type).toBe('error');
      expect(json.error.type).toBe('invalid_request_error');
      expect(json.error.message).toMatch(message);
    }
  });

  it('injects faults with retry-after, and the SDK sees them as the real errors', async () => {
    mock.queueFaults([{ status: 529, retry_after: 7 }]);
    const err = await sdk().messages.create({ model: 'claude-sonnet-5', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect((err as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
    expect((err as InstanceType<typeof Anthropic.APIError>).headers?.get('retry-after')).toBe('7');
    const unknownModel = await sdk().messages.create({ model: 'claude-nope', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(unknownModel).toBeInstanceOf(Anthropic.NotFoundError);
  });

  it('lists models', async () => {
    const page = await sdk().models.list();
    expect(page.data.map((m) => m.id)).toContain('claude-sonnet-5');
  });
});
