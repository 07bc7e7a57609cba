/** Random sequences of chat operations, natively: invariants hold after each, and survive a restart. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NativeApp } from '../helpers/native-app.js';
import { ChatService } from '../../src/core/chats/service.js';

type Msg = { id: string; parent_id: string | null; role: string; content: string; siblings: { index: number; count: number } };
type Chat = { id: string; leaf: string | null };

const Text = fc.stringMatching(/^[a-z]{1,6}$/);
const Op = fc.oneof(
  { weight: 1, arbitrary: fc.record({ op: fc.constant('create' as const) }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constant('send' as const), chat: fc.nat(), text: Text }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('edit' as const), chat: fc.nat(), at: fc.nat(), text: Text }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('branch_at' as const), chat: fc.nat(), at: fc.nat(), text: Text }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('select' as const), chat: fc.nat(), at: fc.nat(), sibling: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('fork' as const), chat: fc.nat(), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), chat: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('restart' as const) }) },
);

async function snapshot(app: NativeApp) {
  const chats = ((await app.command('c', { type: 'list_chats' })) as { chats: Chat[] }).chats;
  const branches: Record<string, Msg[]> = {};
  for (const chat of chats) {
    const reply = (await app.command('c', { type: 'get_branch', chat_id: chat.id })) as { type: string; messages: Msg[]; message?: string };
    expect(reply.type, reply.message).toBe('branch');
    branches[chat.id] = reply.messages;
  }
  return { chats, branches };
}

async function checkInvariants(app: NativeApp) {
  const { chats, branches } = await snapshot(app);
  for (const chat of chats) {
    const messages = branches[chat.id]!;
    // The selected leaf is reachable: the branch ends at it and links up to a root.
    expect(messages.at(-1)?.id ?? null).toBe(chat.leaf);
    messages.forEach((m, i) => {
      expect(m.parent_id).toBe(i === 0 ? null : messages[i - 1]!.id);
      expect(m.siblings.index).toBeLessThan(m.siblings.count);
    });
    // Which messages are on the branch, as search labels them, agrees with the branch itself.
    const service = new ChatService(app.ports);
    const isOnBranch = service.onSelectedBranch(chat.id);
    const onBranch = new Set(messages.map((m) => m.id));
    const { nodes } = await service.tree(chat.id, 100_000);
    for (const node of nodes) expect(await isOnBranch(node.id), node.id).toBe(onBranch.has(node.id));
    // No dangling parent: every parent can be fetched on its own.
    for (const m of messages) {
      if (m.parent_id) expect((await app.command('c', { type: 'get_message', message_id: m.parent_id })).type).toBe('message');
    }
  }
  return { chats, branches };
}

describe('chat operations, property-based', () => {
  it('keep every selected leaf reachable, no parent dangling, and everything identical after a restart', async () => {
    const exercised = { messages: 0, branchPoints: 0, deletes: 0, forks: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(Op, { minLength: 1, maxLength: 40 }), async (ops) => {
        let app = new NativeApp();
        await app.connect('c');
        for (const name of ['one', 'two']) await app.command('c', { type: 'create_chat', name });
        const pick = async (n: number) => {
          const chats = ((await app.command('c', { type: 'list_chats' })) as { chats: Chat[] }).chats;
          return chats.length ? chats[n % chats.length]! : undefined;
        };
        const branchOf = async (chatId: string) => ((await app.command('c', { type: 'get_branch', chat_id: chatId })) as { messages: Msg[] }).messages;
        const messageAt = async (chat: Chat, n: number) => {
          const messages = await branchOf(chat.id);
          return messages.length ? messages[n % messages.length]! : undefined;
        };
        for (const op of ops) {
          if (op.op === 'create') await app.command('c', { type: 'create_chat', name: 'p' });
          if (op.op === 'restart') {
            const before = await snapshot(app);
            app = app.restart();
            await app.connect('c');
            expect(await snapshot(app)).toEqual(before);
          }
          if (op.op === 'create' || op.op === 'restart') continue;
          const chat = await pick(op.chat);
          if (!chat) continue;
          if (op.op === 'send') expect((await app.command('c', { type: 'send_message', chat_id: chat.id, content: op.text })).type).toBe('message_added');
          if (op.op === 'delete') {
            // The model: the chat is gone, from the list and for reads; every other chat is as it was.
            const before = await snapshot(app);
            expect(await app.command('c', { type: 'delete_chat', chat_id: chat.id })).toEqual({ type: 'chat_deleted', chat_id: chat.id });
            const after = await snapshot(app);
            expect(after.chats).toEqual(before.chats.filter((c) => c.id !== chat.id));
            const { [chat.id]: _deleted, ...others } = before.branches;
            expect(after.branches).toEqual(others);
            expect(await app.command('c', { type: 'get_branch', chat_id: chat.id })).toMatchObject({ type: 'error', code: 'not_found' });
            exercised.deletes++;
          }
          if (op.op === 'edit' || op.op === 'branch_at' || op.op === 'select' || op.op === 'fork') {
            const m = await messageAt(chat, op.at);
            if (!m) continue;
            if (op.op === 'edit') {
              const r = await app.command('c', { type: 'edit_message', chat_id: chat.id, message_id: m.id, content: op.text });
              // Refused: an assistant reply, or an edit that changes nothing (same text, same files).
              const unchanged = m.role === 'user' && m.content === op.text;
              expect(r.type === 'message_added' ? !unchanged : /only user messages|changes nothing/.test(String(r.message))).toBe(true);
            }
            if (op.op === 'branch_at') expect((await app.command('c', { type: 'send_message', chat_id: chat.id, parent_id: m.id, content: op.text })).type).toBe('message_added');
            if (op.op === 'fork') {
              // The model: a new chat whose branch is the source's branch up to m, same nodes; nothing else changes.
              const before = await snapshot(app);
              const source = before.branches[chat.id]!;
              const r = (await app.command('c', { type: 'fork_chat', message_id: m.id })) as { type: string; chat: Chat & { name: string } };
              expect(r).toMatchObject({ type: 'chat_created', chat: { name: 'New chat', leaf: m.id } });
              expect(Object.keys(before.branches)).not.toContain(r.chat.id);
              const after = await snapshot(app);
              expect(after.chats.map((c) => c.id).sort()).toEqual([...before.chats.map((c) => c.id), r.chat.id].sort());
              const path = source.slice(0, source.findIndex((x) => x.id === m.id) + 1);
              const forked = await branchOf(r.chat.id);
              expect(forked.map(({ id, parent_id }) => ({ id, parent_id }))).toEqual(path.map(({ id, parent_id }) => ({ id, parent_id })));
              expect(Object.fromEntries(Object.entries(after.branches).filter(([id]) => id !== r.chat.id))).toEqual(before.branches);
              exercised.forks++;
            }
            if (op.op === 'select') {
              const s = (await app.command('c', { type: 'get_siblings', chat_id: chat.id, message_id: m.id })) as { siblings: string[] };
              const target = s.siblings[op.sibling % s.siblings.length]!;
              expect((await app.command('c', { type: 'select_sibling', chat_id: chat.id, message_id: target })).type).toBe('branch');
            }
          }
          await checkInvariants(app);
        }
        const before = await checkInvariants(app);
        exercised.messages += Object.values(before.branches).reduce((n, b) => n + b.length, 0);
        exercised.branchPoints += Object.values(before.branches).flat().filter((m) => m.siblings.count > 1).length;
        const restarted = app.restart();
        await restarted.connect('c');
        expect(await snapshot(restarted)).toEqual(before);
      }),
      { numRuns: 200 },
    );
    // Guard against a generator that never reaches the interesting cases. fast-check keeps most
    // sequences short, so a rare operation runs a few dozen times in 200 sequences: seen 49–73 branch
    // points, 56–70 deletes and, with fork's weight at 1, 16–31 forks (a bar of 20 failed 1 run in 3).
    expect(exercised.messages).toBeGreaterThan(100);
    expect(exercised.branchPoints).toBeGreaterThan(5);
    expect(exercised.deletes).toBeGreaterThan(20);
    expect(exercised.forks).toBeGreaterThan(20);
  }, 120_000);
});
