/**
 * Claude calls in child actors: a long reply in one chat never freezes the others, chats generate
 * at once, and every failure path (child failure, timeout, stop) keeps the message and can be retried.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockClaude, type MockClaude } from '../../scripts/mock-claude/server.js';
import { ChatClient } from '../helpers/chat-client.js';
import { expectNoFatal, startHost, type RunningHost } from '../helpers/host.js';
import { TEST_API_KEY } from '../helpers/secrets.js';
import type { Frame } from '../scenarios/driver.js';

let mock: MockClaude;
let host: RunningHost;
const isEnd = (f: Frame) => f.type === 'generation_finished' || f.type === 'generation_failed';

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const result = await fn();
  return [performance.now() - t, result];
}

beforeAll(async () => {
  mock = await startMockClaude();
  host = await startHost({ env: { ANTHROPIC_API_KEY: TEST_API_KEY, ANTHROPIC_BASE_URL: mock.url } });
});

afterAll(async () => {
  expectNoFatal(host);
  // Every generation ran in a child: none fell back to blocking the chat actor.
  expect(host.log()).not.toMatch(/generating in place/);
  await host.stop();
  await mock.close();
});

describe('generation in a child actor', () => {
  it('leaves the chat actor free: another tab lists, switches, sends, loads history and assets meanwhile', async () => {
    const a = await ChatClient.open(host.url);
    const b = await ChatClient.open(host.url);
    const other = (await b.command({ type: 'create_chat', name: 'other tab' })) as Frame & { chat: { id: string } };
    await b.command({ type: 'send_message', content: 'history to load' });
    await a.command({ type: 'create_chat', name: 'slow' });
    await a.command({ type: 'send_message', content: '[[delay:3000]] take your time' });
    const [startMs, started] = await timed(() => a.command({ type: 'generate_llm_response' }));
    expect(started.type).toBe('generation_started');
    expect(startMs).toBeLessThan(1000);
    const latencies: number[] = [];
    for (const command of [
      { type: 'list_chats' },
      { type: 'switch_chat', chat_id: other.chat.id },
      { type: 'send_message', content: 'sent while the other chat generates' },
      { type: 'get_branch' },
    ]) {
      const [ms, reply] = await timed(() => b.command(command));
      expect(reply.type, JSON.stringify(reply).slice(0, 200)).not.toBe('error');
      latencies.push(ms);
    }
    const [assetMs, page] = await timed(() => fetch(`${host.url}/`).then((r) => r.text()));
    expect(page).toContain('theater-chat');
    latencies.push(assetMs);
    expect(Math.max(...latencies)).toBeLessThan(1000);
    const events = await a.until(isEnd, 10_000);
    expect(events.some((f) => f.type === 'generation_finished')).toBe(true);
    await a.close();
    await b.close();
  });

  it('generates in two chats at the same time', async () => {
    const a = await ChatClient.open(host.url);
    const b = await ChatClient.open(host.url);
    await a.command({ type: 'create_chat', name: 'one' });
    await b.command({ type: 'create_chat', name: 'two' });
    await a.command({ type: 'send_message', content: '[[delay:2000]] first' });
    await b.command({ type: 'send_message', content: '[[delay:2000]] second' });
    const [ms] = await timed(async () => {
      await a.command({ type: 'generate_llm_response' });
      await b.command({ type: 'generate_llm_response' });
      await Promise.all([a.until(isEnd, 10_000), b.until(isEnd, 10_000)]);
    });
    // One after the other would take over 4 s.
    expect(ms).toBeLessThan(3500);
    await a.close();
    await b.close();
  });

  it('refuses a second generation for the same message while one runs, with a clear message', async () => {
    const a = await ChatClient.open(host.url);
    await a.command({ type: 'create_chat', name: 'twice' });
    await a.command({ type: 'send_message', content: '[[delay:1000]] once' });
    await a.command({ type: 'generate_llm_response' });
    const second = await a.command({ type: 'generate_llm_response' });
    expect(second).toMatchObject({ type: 'error', code: 'conflict', message: expect.stringMatching(/being generated already/) });
    await a.until(isEnd, 10_000);
    await a.close();
  });

  it('records a timeout, stops the child, keeps the message, and Retry works', async () => {
    const a = await ChatClient.open(host.url);
    await a.command({ type: 'create_chat', name: 'never ends' });
    await a.command({ type: 'send_message', content: '[[delay:8000]] hang' });
    await a.command({ type: 'generate_llm_response' });
    const cancelled = await a.command({ type: 'cancel_generation', reason: 'timeout' });
    expect(cancelled).toMatchObject({ type: 'generation_failed', error: { code: 'timeout', message: expect.stringMatching(/no reply within/) } });
    const branch = (await a.command({ type: 'get_branch' })) as Frame & { messages: { id: string; role: string; content: string }[] };
    expect(branch.messages.map((m) => m.role)).toEqual(['user', 'error']);
    expect(branch.messages[0]!.content).toBe('[[delay:8000]] hang');
    // The stopped child's late news changes nothing.
    await new Promise((r) => setTimeout(r, 300));
    await a.command({ type: 'edit_message', message_id: branch.messages[0]!.id, content: 'now answer quickly' });
    await a.command({ type: 'generate_llm_response' });
    const done = await a.until(isEnd);
    expect(done.some((f) => f.type === 'generation_finished')).toBe(true);
    await a.close();
  });

  it('a generator that loses its connection reports back; the failure is recorded and retry works', async () => {
    const a = await ChatClient.open(host.url);
    await a.command({ type: 'create_chat', name: 'dropped' });
    const sent = (await a.command({ type: 'send_message', content: 'please answer' })) as Frame & { message: { id: string } };
    mock.queueFaults([{ drop: true }]);
    await a.command({ type: 'generate_llm_response' });
    const failed = (await a.until(isEnd)).find((f) => f.type === 'generation_failed')!;
    expect(failed.error).toMatchObject({ code: 'connection_error', retryable: true });
    await a.command({ type: 'retry', message_id: sent.message.id, attempt: 2 });
    const after = await a.until(isEnd);
    expect(after.some((f) => f.type === 'generation_finished'), JSON.stringify(after.filter(isEnd))).toBe(true);
    await a.close();
  });

  it('tells a reconnecting client which generations are running', async () => {
    const a = await ChatClient.open(host.url);
    const chat = (await a.command({ type: 'create_chat', name: 'resync' })) as Frame & { chat: { id: string } };
    await a.command({ type: 'send_message', content: '[[delay:1500]] long' });
    await a.command({ type: 'generate_llm_response' });
    const token = /content="([0-9a-f]+)"/.exec(await (await fetch(`${host.url}/`)).text())![1]!;
    const b = await ChatClient.open(host.url, token);
    const welcome = await b.command({ type: 'hello', token });
    expect(welcome).toMatchObject({ type: 'welcome', generation_timeout_ms: 180_000 });
    expect((welcome as Frame & { generating: { chat_id: string }[] }).generating.map((g) => g.chat_id)).toContain(chat.chat.id);
    await a.until(isEnd, 10_000);
    await a.close();
    await b.close();
  });
});
