/**
 * The chat list as others see it change: one chat per event, never the whole list (issue 16),
 * and a list kept from those events in the same order as the actor's own.
 */
import { describe, expect, it } from 'vitest';
import type { ChatDriver, Frame } from './driver.js';

type Chat = { id: string; name: string };
const bytes = (frames: Frame[]) => frames.reduce((n, f) => n + JSON.stringify(f).length, 0);

/** What the UI does with a list event (src/ui/chats.ts listChat). */
function apply(list: Chat[], frame: Frame): Chat[] {
  if (frame.type === 'chat_deleted') return list.filter((c) => c.id !== frame.chat_id);
  if (frame.type !== 'chat_listed') return list;
  const chat = frame.chat as Chat;
  if (frame.at === 'same' && list.some((c) => c.id === chat.id)) return list.map((c) => (c.id === chat.id ? chat : c));
  return [chat, ...list.filter((c) => c.id !== chat.id)];
}

export function runListScenarios(label: string, makeDriver: () => Promise<ChatDriver>): void {
  describe(`chat list events (${label})`, () => {
    it('a message that moves its chat to the top costs watchers the same bytes with 3 chats or with 40', async () => {
      const d = await makeDriver();
      try {
        await d.connect('writer');
        await d.connect('watcher');
        const create = async (name: string) => ((await d.command('writer', { type: 'create_chat', name })) as Frame & { chat: Chat }).chat;
        /** The watcher's events when the oldest of `n` chats gets a message and so moves to the top. */
        const moveOldest = async (n: number, tag: string) => {
          const oldest = await create(`${tag} 00`);
          for (let i = 1; i < n; i++) await create(`${tag} ${String(i).padStart(2, '0')}`);
          await d.events('watcher');
          await d.command('writer', { type: 'send_message', chat_id: oldest.id, content: 'to the top' });
          return d.events('watcher');
        };
        const few = await moveOldest(3, 'few');
        const many = await moveOldest(40, 'many');
        expect(few.map((f) => f.type)).toEqual(['chat_listed']);
        expect(many.map((f) => f.type)).toEqual(['chat_listed']);
        // The whole list would add ~40 chats' worth: the same event for one chat differs by nothing but its values.
        expect(Math.abs(bytes(many) - bytes(few))).toBeLessThanOrEqual(16);
      } finally {
        await d.close();
      }
    });

    it('a list kept from the events stays in the order list_chats gives', async () => {
      const d = await makeDriver();
      try {
        await d.connect('a');
        await d.connect('watcher');
        const start = (await d.command('watcher', { type: 'list_chats' })) as Frame & { chats: Chat[] };
        const ids: string[] = [];
        for (const name of ['One', 'Two', 'Three']) ids.push(((await d.command('a', { type: 'create_chat', name })) as Frame & { chat: Chat }).chat.id);
        const sent = (await d.command('a', { type: 'send_message', chat_id: ids[0], content: 'One comes back up' })) as Frame & { message: { id: string } };
        await d.command('a', { type: 'rename_chat', chat_id: ids[1], name: 'Two renamed' });
        await d.command('a', { type: 'delete_chat', chat_id: ids[2] });
        await d.command('a', { type: 'fork_chat', message_id: sent.message.id, name: 'Fork' });
        const kept = (await d.events('watcher')).reduce(apply, start.chats);
        const listed = (await d.command('watcher', { type: 'list_chats' })) as Frame & { chats: Chat[] };
        expect(kept.map((c) => c.name)).toEqual(['Fork', 'One', 'Two renamed']);
        expect(kept).toEqual(listed.chats);
      } finally {
        await d.close();
      }
    });
  });
}
