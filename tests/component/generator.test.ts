/**
 * Claude calls in generator actors: a long reply in one chat never freezes the others, chats
 * generate at once, and every failure path (generator failure, timeout, stop) keeps the message and
 * can be retried.
 */
import { describe, expect, it } from 'vitest';
import { ChatClient } from '../helpers/chat-client.js';
import { claudeHost, isGenerationEnd as isEnd } from '../helpers/claude-host.js';
import type { Frame } from '../scenarios/driver.js';

const suite = claudeHost();
/** Resolves once Claude (the mock) has the request whose last user message contains `text`, unanswered. */
const atClaude = (text: string) => suite.mock.until(() => suite.mock.inFlight().some((t) => t.includes(text)), `request "${text}" waiting at Claude`);

// Claude is held ([[hold]]) until the test lets it answer, so "meanwhile" is an order of events,
// not a stopwatch: a shared two-core machine makes any time bound flaky.
describe('generation in generator actors', () => {
  it('leaves the chat actor free: while Claude has not answered, another tab lists, switches, sends, loads history and assets', async () => {
    const a = await ChatClient.open(suite.host.url);
    const b = await ChatClient.open(suite.host.url);
    const other = (await b.command({ type: 'create_chat', name: 'other tab' })) as Frame & { chat: { id: string } };
    await b.command({ type: 'send_message', content: 'history to load' });
    await a.command({ type: 'create_chat', name: 'slow' });
    await a.command({ type: 'send_message', content: '[[hold]] take your time' });
    // Answered although Claude never answers until released below.
    expect((await a.command({ type: 'generate_llm_response' })).type).toBe('generation_started');
    await atClaude('take your time');
    for (const command of [
      { type: 'list_chats' },
      { type: 'switch_chat', chat_id: other.chat.id },
      { type: 'send_message', content: 'sent while the other chat generates' },
      { type: 'get_branch' },
    ]) {
      const reply = await b.command(command);
      expect(reply.type, JSON.stringify(reply).slice(0, 200)).not.toBe('error');
    }
    const branch = (await b.command({ type: 'get_branch' })) as Frame & { messages: { content: string }[] };
    expect(branch.messages.map((m) => m.content)).toEqual(['history to load', 'sent while the other chat generates']);
    const page = await fetch(`${suite.host.url}/`).then((r) => r.text());
    expect(page).toContain('theater-chat');
    // All of that was answered while the generation was still waiting for Claude.
    expect(suite.mock.inFlight()).toContain('[[hold]] take your time');
    expect((await a.events()).filter(isEnd)).toEqual([]);
    expect(suite.mock.release('take your time')).toBe(1);
    const events = await a.until(isEnd, 60_000);
    expect(events.some((f) => f.type === 'generation_finished')).toBe(true);
    await a.close();
    await b.close();
  });

  it('generates in two chats at the same time', async () => {
    const a = await ChatClient.open(suite.host.url);
    const b = await ChatClient.open(suite.host.url);
    const one = (await a.command({ type: 'create_chat', name: 'one' })) as Frame & { chat: { id: string } };
    const two = (await b.command({ type: 'create_chat', name: 'two' })) as Frame & { chat: { id: string } };
    await a.command({ type: 'send_message', content: '[[hold]] first' });
    await b.command({ type: 'send_message', content: '[[hold]] second' });
    await a.command({ type: 'generate_llm_response' });
    await b.command({ type: 'generate_llm_response' });
    // Both requests wait at Claude at once. One after the other, the second would be sent only after
    // the first was answered, which never happens before both are there.
    await suite.mock.until(() => ['first', 'second'].every((w) => suite.mock.inFlight().includes(`[[hold]] ${w}`)), 'two generations waiting at Claude at once');
    expect(suite.mock.release('first')).toBe(1);
    expect(suite.mock.release('second')).toBe(1);
    // Every connection hears of every chat's generations: each waits for its own chat's.
    const endOf = (chat: { chat: { id: string } }) => (f: Frame) => isEnd(f) && f.chat_id === chat.chat.id;
    const [endA, endB] = await Promise.all([a.until(endOf(one), 60_000), b.until(endOf(two), 60_000)]);
    expect(endA.some((f) => f.type === 'generation_finished' && f.chat_id === one.chat.id)).toBe(true);
    expect(endB.some((f) => f.type === 'generation_finished' && f.chat_id === two.chat.id)).toBe(true);
    await a.close();
    await b.close();
  });

  it('adds a reply that lands after its question was edited beside the branch on screen, without taking the view back', async () => {
    const a = await ChatClient.open(suite.host.url);
    const viewer = await ChatClient.open(suite.host.url);
    const chat = (await a.command({ type: 'create_chat', name: 'late' })) as Frame & { chat: { id: string } };
    await viewer.command({ type: 'switch_chat', chat_id: chat.chat.id });
    const question = (await a.command({ type: 'send_message', content: '[[hold]] slow question' })) as Frame & { message: { id: string } };
    await a.command({ type: 'generate_llm_response' });
    await atClaude('slow question');
    // The reader edits the question and gets a reply to the edit while the first is still coming.
    const edited = (await a.command({ type: 'edit_message', message_id: question.message.id, content: 'better question' })) as Frame & { message: { id: string } };
    await a.command({ type: 'generate_llm_response' });
    const editEnd = (f: Frame) => isEnd(f) && f.parent_id === edited.message.id;
    await a.until(editEnd, 60_000);
    const shown = ((await a.command({ type: 'get_branch' })) as Frame & { messages: { content: string }[] }).messages.map((m) => m.content);
    expect(shown).toEqual(['better question', expect.stringContaining('better question')]);
    await viewer.until(editEnd, 60_000);
    expect(suite.mock.release('slow question')).toBe(1);
    const lateEnd = (f: Frame) => f.type === 'generation_finished' && f.parent_id === question.message.id;
    const late = (await viewer.until(lateEnd, 60_000)).find((f) => f.type === 'message_added' && (f.message as { parent_id: string }).parent_id === question.message.id);
    expect(late).toMatchObject({ selected: false, message: { role: 'assistant' } });
    expect(((await a.command({ type: 'get_branch' })) as Frame & { messages: { content: string }[] }).messages.map((m) => m.content)).toEqual(shown);
    // The late reply is in the tree, under the first version of the question.
    const back = (await a.command({ type: 'select_sibling', message_id: question.message.id })) as Frame & { messages: { content: string }[] };
    expect(back.messages.map((m) => m.content)).toEqual(['[[hold]] slow question', expect.stringContaining('slow question')]);
    await a.close();
    await viewer.close();
  });

  it('ends a reply for everyone when its chat was deleted while it was being written', async () => {
    const a = await ChatClient.open(suite.host.url);
    const other = await ChatClient.open(suite.host.url);
    const chat = (await a.command({ type: 'create_chat', name: 'deleted while writing' })) as Frame & { chat: { id: string } };
    await a.command({ type: 'send_message', content: '[[hold]] doomed' });
    await a.command({ type: 'generate_llm_response' });
    await atClaude('doomed');
    expect(await a.command({ type: 'delete_chat', chat_id: chat.chat.id })).toMatchObject({ type: 'chat_deleted' });
    expect(suite.mock.release('doomed')).toBe(1);
    const ended = (f: Frame) => isEnd(f) && f.chat_id === chat.chat.id;
    for (const c of [a, other]) {
      const end = (await c.until(ended, 60_000)).find(ended);
      expect(end).toMatchObject({ type: 'generation_failed', error: { code: 'not_found', retryable: false } });
    }
    expect(((await a.command({ type: 'ping' })) as Frame).type).toBe('pong');
    await a.close();
    await other.close();
  });

  it('refuses a second generation for the same message while one runs, with a clear message', async () => {
    const a = await ChatClient.open(suite.host.url);
    await a.command({ type: 'create_chat', name: 'twice' });
    await a.command({ type: 'send_message', content: '[[hold]] once' });
    await a.command({ type: 'generate_llm_response' });
    const second = await a.command({ type: 'generate_llm_response' });
    expect(second).toMatchObject({ type: 'error', code: 'conflict', message: expect.stringMatching(/being generated already/) });
    await atClaude('once');
    expect(suite.mock.release('once')).toBe(1);
    await a.until(isEnd, 60_000);
    await a.close();
  });

  // The timer that sends this cancel lives in the UI: tests/browser/ui.test.ts lets it run for real.
  it('a timeout cancel records a timeout, keeps the message, ignores the retired generator\'s late answer, and Retry works', async () => {
    const a = await ChatClient.open(suite.host.url);
    await a.command({ type: 'create_chat', name: 'never ends' });
    await a.command({ type: 'send_message', content: '[[hold]] hang' });
    await a.command({ type: 'generate_llm_response' });
    await atClaude('hang');
    const cancelled = await a.command({ type: 'cancel_generation', reason: 'timeout' });
    expect(cancelled).toMatchObject({ type: 'generation_failed', error: { code: 'timeout', message: 'no reply within 180 s: stopped' } });
    const branch = (await a.command({ type: 'get_branch' })) as Frame & { messages: { id: string; role: string; content: string }[] };
    expect(branch.messages.map((m) => m.role)).toEqual(['user', 'error']);
    expect(branch.messages[0]!.content).toBe('[[hold]] hang');
    // Claude answers the retired generator after all: that answer must not land anywhere.
    expect(suite.mock.release('hang')).toBe(1);
    await suite.mock.until((log) => log.some((e) => e.event === 'answered' && e.text.includes('hang')), 'late answer to the stopped generation');
    await a.command({ type: 'edit_message', message_id: branch.messages[0]!.id, content: 'now answer quickly' });
    await a.command({ type: 'generate_llm_response' });
    const done = await a.until(isEnd, 60_000);
    expect(done.some((f) => f.type === 'generation_finished')).toBe(true);
    expect(done.filter((f) => f.parent_id === branch.messages[0]!.id && f.type === 'generation_finished')).toEqual([]);
    const answers = (await a.command({ type: 'get_siblings', message_id: branch.messages[1]!.id })) as Frame & { siblings: string[] };
    expect(answers.siblings).toEqual([branch.messages[1]!.id]);
    await a.close();
  });

  it('a generator that loses its connection reports back; the failure is recorded and retry works', async () => {
    const a = await ChatClient.open(suite.host.url);
    await a.command({ type: 'create_chat', name: 'dropped' });
    const sent = (await a.command({ type: 'send_message', content: 'please answer' })) as Frame & { message: { id: string } };
    suite.mock.queueFaults([{ drop: true }]);
    await a.command({ type: 'generate_llm_response' });
    const failed = (await a.until(isEnd, 60_000)).find((f) => f.type === 'generation_failed')!;
    expect(failed.error).toMatchObject({ code: 'connection_error', retryable: true });
    await a.command({ type: 'retry', message_id: sent.message.id, attempt: 2 });
    const after = await a.until(isEnd, 60_000);
    expect(after.some((f) => f.type === 'generation_finished'), JSON.stringify(after.filter(isEnd))).toBe(true);
    await a.close();
  });

  it('tells a reconnecting client which generations are running', async () => {
    const a = await ChatClient.open(suite.host.url);
    const chat = (await a.command({ type: 'create_chat', name: 'resync' })) as Frame & { chat: { id: string } };
    await a.command({ type: 'send_message', content: '[[hold]] long' });
    await a.command({ type: 'generate_llm_response' });
    const token = /content="([0-9a-f]+)"/.exec(await (await fetch(`${suite.host.url}/`)).text())![1]!;
    const b = await ChatClient.open(suite.host.url, token);
    const welcome = await b.command({ type: 'hello', token });
    expect(welcome).toMatchObject({ type: 'welcome', generation_timeout_ms: 180_000 });
    expect((welcome as Frame & { generating: { chat_id: string }[] }).generating.map((g) => g.chat_id)).toContain(chat.chat.id);
    await atClaude('long');
    expect(suite.mock.release('long')).toBe(1);
    await a.until(isEnd, 60_000);
    await a.close();
    await b.close();
  });
});
