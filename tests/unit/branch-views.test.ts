import { describe, expect, it } from 'vitest';
import { ChatService } from '../../src/core/chats/service.js';
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
