import { describe, expect, it } from 'vitest';
import { ChatService } from '../../src/core/chats/service.js';
import { NodeCache } from '../../src/core/dag/cache.js';
import { memoryPorts } from '../helpers/memory-ports.js';

describe('versions of a reply', () => {
  it('do not count a stopped or failed attempt: the reply that followed it is 1 of 1, and ‹ › never lands on the failure', async () => {
    const chats = new ChatService(memoryPorts());
    const chat = await chats.create({ name: 'stopped' });
    const question = await chats.append(chat.id, { role: 'user', content: 'question', meta: {} });
    const stopped = await chats.append(chat.id, { role: 'error', content: 'stopped', meta: { error_code: 'cancelled' } }, question.message.id);
    const reply = await chats.append(chat.id, { role: 'assistant', content: 'answer', meta: {} }, question.message.id);
    expect(reply.message.siblings).toEqual({ index: 0, count: 1 });
    const branch = await chats.branch(chat.id);
    expect(branch.messages.map((m) => [m.role, m.siblings.count])).toEqual([['user', 1], ['assistant', 1]]);
    expect((await chats.siblings(chat.id, reply.message.id)).ids).toEqual([reply.message.id]);
    // A second real reply is a version; the failure still is not.
    const again = await chats.append(chat.id, { role: 'assistant', content: 'another answer', meta: {} }, question.message.id);
    expect(again.message.siblings).toEqual({ index: 1, count: 2 });
    expect((await chats.siblings(chat.id, again.message.id)).ids).toEqual([reply.message.id, again.message.id]);
    // The failure itself, chosen from the Branches map, still shows where it stands among every attempt.
    const failure = await chats.select(chat.id, stopped.message.id);
    expect(failure.messages.at(-1)!.siblings).toEqual({ index: 0, count: 3 });
  });
});

describe('a branch read with the node cache the component keeps', () => {
  it('shows a message as one of two once a second version exists, though it was read as the only one before', async () => {
    const chats = new ChatService(memoryPorts(), new NodeCache());
    const chat = await chats.create({ name: 'cached' });
    const question = await chats.append(chat.id, { role: 'user', content: 'question', meta: {} });
    const reply = await chats.append(chat.id, { role: 'assistant', content: 'answer', meta: {} }, question.message.id);
    const before = await chats.branch(chat.id);
    expect(before.messages.map((m) => m.siblings)).toEqual([{ index: 0, count: 1 }, { index: 0, count: 1 }]);
    // The same reply again, in another chat that shares it (a fork), is still the only version there.
    const fork = await chats.fork(reply.message.id, 'fork');
    await chats.append(chat.id, { role: 'assistant', content: 'another answer', meta: {} }, question.message.id);
    const back = await chats.select(chat.id, reply.message.id);
    expect(back.messages.map((m) => [m.content, m.siblings])).toEqual([['question', { index: 0, count: 1 }], ['answer', { index: 0, count: 2 }]]);
    expect((await chats.branch(fork.id)).messages.map((m) => [m.content, m.siblings])).toEqual([['question', { index: 0, count: 1 }], ['answer', { index: 0, count: 1 }]]);
    // A shared view cannot be changed by whoever receives it.
    const shared = (await chats.branch(fork.id)).messages[0]!;
    expect(() => Object.assign(shared, { content: 'changed' })).toThrow();
  });
});

describe('a fork', () => {
  it('starts with the usage and cost of the path it shares, not $0', async () => {
    const chats = new ChatService(memoryPorts());
    const chat = await chats.create({ name: 'costly' });
    const question = await chats.append(chat.id, { role: 'user', content: 'question', meta: {} });
    const usage = { input_tokens: 1_000_000, output_tokens: 100_000 };
    const reply = await chats.append(chat.id, { role: 'assistant', content: 'answer', meta: { model: 'claude-sonnet-4-5', usage } }, question.message.id);
    const original = chats.get(chat.id).usage;
    expect(original.cost_usd).toBeGreaterThan(0);
    const fork = await chats.fork(reply.message.id, 'fork');
    expect(fork.usage).toEqual(original);
    // Forking at the question shares no reply, so nothing is owed yet.
    expect((await chats.fork(question.message.id, 'early fork')).usage.cost_usd).toBe(0);
  });
});

describe('a reply that lands after its reader moved on', () => {
  it('joins its place beside the version shown there, and both stay reachable', async () => {
    const chats = new ChatService(memoryPorts());
    const chat = await chats.create({ name: 'late' });
    const question = await chats.append(chat.id, { role: 'user', content: 'question', meta: {} });
    const first = await chats.append(chat.id, { role: 'assistant', content: 'first answer', meta: {} }, question.message.id);
    // Regenerate asked with the first answer shown; the question is edited before the new answer lands.
    const askedWith = first.chat.leaf!;
    await chats.edit(chat.id, question.message.id, 'question, edited');
    const late = await chats.append(chat.id, { role: 'assistant', content: 'late answer', meta: {} }, question.message.id, askedWith);
    expect(late.selected).toBe(false);
    expect((await chats.branch(chat.id)).messages.map((m) => m.content)).toEqual(['question, edited']);
    // Back on the first question: the answer shown there before, one of two, and ‹ › reaches the other.
    const back = await chats.select(chat.id, question.message.id);
    expect(back.messages.map((m) => [m.content, m.siblings])).toEqual([['question', { index: 0, count: 2 }], ['first answer', { index: 0, count: 2 }]]);
    const other = await chats.select(chat.id, late.message.id);
    expect(other.messages.map((m) => m.content)).toEqual(['question', 'late answer']);
  });

  it('is shown where the chat could not reach it otherwise: under a fork\'s shared path that an edit above has left', async () => {
    const chats = new ChatService(memoryPorts());
    const source = await chats.create({ name: 'source' });
    const p = await chats.append(source.id, { role: 'user', content: 'p', meta: {} });
    const pa = await chats.append(source.id, { role: 'assistant', content: 'pa', meta: {} });
    const q = await chats.append(source.id, { role: 'user', content: 'q', meta: {} });
    const qa = await chats.append(source.id, { role: 'assistant', content: 'qa', meta: {} });
    const fork = await chats.fork(qa.message.id, 'fork');
    // In the fork: a new answer to q is asked for, then p is edited before it lands.
    await chats.edit(fork.id, p.message.id, 'p, edited');
    const late = await chats.append(fork.id, { role: 'assistant', content: 'qa again', meta: {} }, q.message.id, qa.message.id);
    expect(late.selected).toBe(true);
    expect((await chats.branch(fork.id)).messages.map((m) => m.content)).toEqual(['p', 'pa', 'q', 'qa again']);
    expect((await chats.tree(fork.id)).nodes.map((n) => n.id)).toContain(late.message.id);
    expect(pa.message.id).toBeTruthy();
  });
});
