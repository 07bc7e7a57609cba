/**
 * The chat behaviour a user relies on, as one suite that runs natively (tests/unit) and through
 * the component on the real host (tests/component): the same scenarios, two ways.
 */
import { describe, expect, it } from 'vitest';
import type { ChatDriver, Frame } from './driver.js';

type Msg = { id: string; parent_id: string | null; role: string; content: string; siblings: { index: number; count: number } };
type Chat = { id: string; name: string; leaf: string | null };

export function runChatScenarios(label: string, makeDriver: () => Promise<ChatDriver>): void {
  describe(`chat scenarios (${label})`, () => {
    const withDriver = (name: string, fn: (d: ChatDriver) => Promise<void>) =>
      it(name, async () => {
        const d = await makeDriver();
        try {
          await fn(d);
        } finally {
          await d.close();
        }
      });

    const create = async (d: ChatDriver, conn: string, name = 'Chat') => ((await d.command(conn, { type: 'create_chat', name })) as Frame & { chat: Chat }).chat;
    const send = async (d: ChatDriver, conn: string, content: string, extra: Record<string, unknown> = {}) =>
      (await d.command(conn, { type: 'send_message', content, ...extra })) as Frame & { message: Msg; chat: Chat; branched: boolean };
    const branch = async (d: ChatDriver, conn: string, chatId?: string) =>
      (await d.command(conn, { type: 'get_branch', ...(chatId ? { chat_id: chatId } : {}) })) as Frame & { messages: Msg[]; chat: Chat };

    withDriver('creates, lists, renames and deletes chats; ids are never reused', async (d) => {
      await d.connect('a');
      const one = await create(d, 'a', 'First');
      const two = await create(d, 'a', 'Second');
      expect(one.id).not.toBe(two.id);
      const listed = (await d.command('a', { type: 'list_chats', request_id: 'L' })) as Frame & { chats: Chat[] };
      expect(listed.request_id).toBe('L');
      expect(listed.chats.map((c) => c.name)).toEqual(['Second', 'First']);
      expect(await d.command('a', { type: 'rename_chat', chat_id: one.id, name: '  Renamed  ' })).toMatchObject({ type: 'chat_updated', chat: { name: 'Renamed' } });
      expect(await d.command('a', { type: 'delete_chat', chat_id: one.id })).toEqual({ type: 'chat_deleted', chat_id: one.id });
      const three = await create(d, 'a', 'Third');
      expect([two.id, one.id]).not.toContain(three.id);
      const after = (await d.command('a', { type: 'list_chats' })) as Frame & { chats: Chat[] };
      expect(after.chats.map((c) => c.name)).toEqual(['Third', 'Second']);
      expect(await d.command('a', { type: 'switch_chat', chat_id: one.id })).toMatchObject({ type: 'error', code: 'not_found' });
    });

    withDriver('sends messages and returns the whole selected branch in one reply', async (d) => {
      await d.connect('a');
      const chat = await create(d, 'a');
      const m1 = await send(d, 'a', 'hello', { created_at: '2026-11-26T10:00:00Z' });
      const m2 = await send(d, 'a', 'how are you?');
      expect(m2.message.parent_id).toBe(m1.message.id);
      expect(m1.message.id).toMatch(/^bagu/);
      const b = await branch(d, 'a');
      expect(b.chat.id).toBe(chat.id);
      expect(b.messages.map((m) => m.content)).toEqual(['hello', 'how are you?']);
      expect(b.messages[0]).toMatchObject({ role: 'user', parent_id: null, meta: { created_at: '2026-11-26T10:00:00Z' } });
      expect(await d.command('a', { type: 'get_head' })).toMatchObject({ type: 'head', current_chat_id: chat.id, head: m2.message.id });
      expect(await d.command('a', { type: 'get_message', message_id: m1.message.id })).toMatchObject({ type: 'message', message: { content: 'hello' } });
    });

    withDriver('edits into a sibling branch, keeps the original, and remembers each branch leaf', async (d) => {
      await d.connect('a');
      await create(d, 'a');
      const q = await send(d, 'a', 'question');
      const a1 = await send(d, 'a', 'answer one');
      const more = await send(d, 'a', 'follow-up on one');
      const edited = (await d.command('a', { type: 'edit_message', message_id: a1.message.id, content: 'answer two' })) as Frame & { message: Msg; branched: boolean };
      expect(edited.branched).toBe(true);
      expect(edited.message.parent_id).toBe(q.message.id);
      expect(edited.message.siblings).toEqual({ index: 1, count: 2 });
      const b2 = await branch(d, 'a');
      expect(b2.messages.map((m) => m.content)).toEqual(['question', 'answer two']);
      const sib = (await d.command('a', { type: 'get_siblings', message_id: edited.message.id })) as Frame & { siblings: string[]; index: number };
      expect(sib.siblings).toEqual([a1.message.id, edited.message.id]);
      expect(sib.index).toBe(1);
      const back = (await d.command('a', { type: 'select_sibling', message_id: a1.message.id })) as Frame & { messages: Msg[]; chat: Chat };
      expect(back.messages.map((m) => m.content)).toEqual(['question', 'answer one', 'follow-up on one']);
      expect(back.chat.leaf).toBe(more.message.id);
      expect(back.messages[1]!.siblings).toEqual({ index: 0, count: 2 });
      // A reload (a new connection) shows the branch chosen last.
      await d.connect('reload');
      const seen = await branch(d, 'reload', back.chat.id);
      expect(seen.messages.map((m) => m.id)).toEqual(back.messages.map((m) => m.id));
      const forward = (await d.command('a', { type: 'select_sibling', message_id: edited.message.id })) as Frame & { messages: Msg[] };
      expect(forward.messages.map((m) => m.content)).toEqual(['question', 'answer two']);
    });

    withDriver('maps every branch of a chat as a tree', async (d) => {
      await d.connect('a');
      await create(d, 'a');
      const q = await send(d, 'a', 'root question');
      const a1 = await send(d, 'a', 'first answer');
      await d.command('a', { type: 'edit_message', message_id: a1.message.id, content: 'second answer' });
      const tree = (await d.command('a', { type: 'get_tree' })) as Frame & { nodes: { id: string; parent_id: string | null; preview: string; selected: boolean }[] };
      expect(tree.nodes.map((n) => n.preview)).toEqual(['root question', 'first answer', 'second answer']);
      expect(tree.nodes.filter((n) => n.selected).map((n) => n.preview)).toEqual(['root question', 'second answer']);
      expect(tree.nodes.slice(1).every((n) => n.parent_id === q.message.id)).toBe(true);
    });

    withDriver('sends after a given message, making a branch there', async (d) => {
      await d.connect('a');
      await create(d, 'a');
      const first = await send(d, 'a', 'one');
      await send(d, 'a', 'two');
      const alt = await send(d, 'a', 'two, differently', { parent_id: first.message.id });
      expect(alt.branched).toBe(true);
      expect(alt.message.siblings).toEqual({ index: 1, count: 2 });
      expect((await branch(d, 'a')).messages.map((m) => m.content)).toEqual(['one', 'two, differently']);
    });

    withDriver('forks a chat from any message without copying, and leaves the original alone', async (d) => {
      await d.connect('a');
      const original = await create(d, 'a', 'Original');
      const m1 = await send(d, 'a', 'shared start');
      await send(d, 'a', 'original continues');
      const fork = ((await d.command('a', { type: 'fork_chat', message_id: m1.message.id, name: 'Fork' })) as Frame & { chat: Chat }).chat;
      expect(fork.leaf).toBe(m1.message.id);
      const forkNext = await send(d, 'a', 'fork continues');
      expect(forkNext.chat.id).toBe(fork.id);
      expect((await branch(d, 'a', fork.id)).messages.map((m) => m.id)).toEqual([m1.message.id, forkNext.message.id]);
      expect((await branch(d, 'a', original.id)).messages.map((m) => m.content)).toEqual(['shared start', 'original continues']);
    });

    withDriver('refuses a message of another chat, whichever way it is named, and grafts nothing of it in', async (d) => {
      await d.connect('a');
      const other = await create(d, 'a', 'Other');
      const foreign = await send(d, 'a', 'only in Other');
      const mine = await create(d, 'a', 'Mine');
      await send(d, 'a', 'only in Mine');
      const before = await branch(d, 'a', mine.id);
      const id = foreign.message.id;
      for (const command of [
        { type: 'send_message', chat_id: mine.id, content: 'x', parent_id: id },
        { type: 'edit_message', chat_id: mine.id, message_id: id, content: 'x' },
        { type: 'get_siblings', chat_id: mine.id, message_id: id },
        { type: 'select_sibling', chat_id: mine.id, message_id: id },
        { type: 'retry', chat_id: mine.id, message_id: id },
      ]) {
        const reply = await d.command('a', command);
        expect(reply, command.type).toMatchObject({ type: 'error', code: 'not_found' });
        expect(String(reply.message)).toContain(`is not part of chat ${mine.id}`);
      }
      const rest = await d.http('POST', `/api/chats/${mine.id}/messages`, { content: 'x', parent_id: id });
      expect(rest.status).toBe(404);
      expect((await d.command('a', { type: 'get_tree', chat_id: mine.id })) as Frame).toMatchObject({ nodes: [expect.objectContaining({ preview: 'only in Mine' })] });
      expect(await branch(d, 'a', mine.id)).toEqual(before);
      expect((await branch(d, 'a', other.id)).messages.map((m) => m.content)).toEqual(['only in Other']);
    });

    withDriver('tells the one who created, forked or renamed a chat once, in the reply, and everyone else in an event', async (d) => {
      await d.connect('a');
      await d.connect('b');
      const listed = (frames: Frame[]) => frames.filter((f) => f.type === 'chat_listed').map((f) => `${(f.chat as Chat).name} ${f.at}`);
      const made = await create(d, 'a', 'Made by a');
      expect(listed(await d.events('a'))).toEqual([]);
      const first = await send(d, 'a', 'to fork from');
      await d.events('a');
      await d.command('a', { type: 'fork_chat', message_id: first.message.id, name: 'Forked by a' });
      await d.command('a', { type: 'rename_chat', chat_id: made.id, name: 'Renamed by a' });
      expect(listed(await d.events('a'))).toEqual([]);
      expect(listed(await d.events('b'))).toEqual(expect.arrayContaining(['Made by a top', 'Forked by a top', 'Renamed by a same']));
    });

    withDriver('keeps the current chat per connection and tells only those who care', async (d) => {
      await d.connect('a');
      await d.connect('b');
      const x = await create(d, 'a', 'X');
      const y = await create(d, 'b', 'Y');
      await d.command('a', { type: 'switch_chat', chat_id: x.id });
      await d.command('b', { type: 'switch_chat', chat_id: y.id });
      await d.events('a');
      await d.events('b');
      await send(d, 'a', 'in X');
      expect((await d.command('b', { type: 'get_head' })) as Frame).toMatchObject({ current_chat_id: y.id });
      const bEvents = await d.events('b');
      expect(bEvents.filter((f) => f.type === 'message_added')).toEqual([]);
      expect(bEvents).toContainEqual(expect.objectContaining({ type: 'chat_listed', at: 'top', chat: expect.objectContaining({ id: x.id }) }));
      await d.command('b', { type: 'switch_chat', chat_id: x.id });
      await send(d, 'a', 'seen by b');
      const seen = (await d.events('b')).filter((f) => f.type === 'message_added');
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({ message: { content: 'seen by b' } });
      expect((await d.events('a')).filter((f) => f.type === 'message_added')).toEqual([]);
      await d.command('a', { type: 'rename_chat', chat_id: x.id, name: 'X renamed' });
      expect((await d.events('b')).map((f) => f.type)).toEqual(expect.arrayContaining(['chat_updated', 'chat_listed']));
    });

    withDriver('refuses bad input with a clear message and changes nothing', async (d) => {
      await d.connect('a');
      const chat = await create(d, 'a');
      await send(d, 'a', 'keep me');
      const before = await branch(d, 'a');
      const list = (await d.command('a', { type: 'list_chats' })) as Frame;
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ type: 'send_message', content: '' }, /content is empty/],
        [{ type: 'send_message', content: 'x'.repeat(1024 * 1024 + 1) }, /limit is 1048576/],
        [{ type: 'send_message', content: 'x', chat_id: '00000000-0000-4000-8000-000000000000' }, /no chat/],
        [{ type: 'send_message', content: 'x', parent_id: 'bagu' + 'a'.repeat(55) }, /message id|no message/],
        [{ type: 'send_message', content: 5 }, /content/],
        [{ type: 'rename_chat', chat_id: chat.id, name: '   ' }, /name is empty/],
        [{ type: 'rename_chat', chat_id: chat.id, name: 'n'.repeat(201) }, /longer than 200/],
        [{ type: 'get_message', message_id: '../../etc/passwd' }, /not a message id/],
        [{ type: 'switch_chat', chat_id: '../chats' }, /not a chat id/],
        [{ type: 'edit_message', message_id: before.messages[0]!.id, content: 'x', chat_id: 'nope' }, /not a chat id/],
        [{ type: 'edit_message', message_id: before.messages[0]!.id, content: 'keep me', created_at: '2026-12-06T10:00:00Z' }, /the edit changes nothing/],
        [{ type: 'create_chat', name: 'x', created_at: 'yesterday' }, /created_at/],
        [{ type: 'launch_rockets' }, /unknown command/],
      ];
      for (const [command, message] of cases) {
        const reply = await d.command('a', command);
        expect(reply.type, JSON.stringify(command).slice(0, 80)).toBe('error');
        expect(String(reply.message)).toMatch(message);
      }
      expect(await branch(d, 'a')).toEqual(before);
      expect(await d.command('a', { type: 'list_chats' })).toEqual(list);
    });

    withDriver('serves the REST API and tells sockets about REST changes', async (d) => {
      await d.connect('a');
      const created = await d.http('POST', '/api/chats', { name: 'From REST' });
      expect(created.status).toBe(201);
      const id = created.json.chat.id as string;
      expect((await d.events('a')).some((f) => f.type === 'chat_listed')).toBe(true);
      expect((await d.http('GET', `/api/chats/${id}`)).json.chat.name).toBe('From REST');
      await d.command('a', { type: 'switch_chat', chat_id: id });
      const posted = await d.http('POST', `/api/chats/${id}/messages`, { content: 'via REST' });
      expect(posted.status).toBe(201);
      expect((await d.events('a')).filter((f) => f.type === 'message_added')).toHaveLength(1);
      const msgs = await d.http('GET', `/api/chats/${id}/messages`);
      expect(msgs.json.messages.map((m: Msg) => m.content)).toEqual(['via REST']);
      expect((await d.http('GET', `/api/messages?chat_id=${id}`)).json.messages).toHaveLength(1);
      expect((await d.http('GET', `/api/messages/${posted.json.message.id}`)).json.message.content).toBe('via REST');
      expect((await d.http('PUT', `/api/chats/${id}`, { name: 'Renamed by REST' })).json.chat.name).toBe('Renamed by REST');
      expect((await d.http('GET', '/api/chats')).json.chats.map((c: Chat) => c.name)).toContain('Renamed by REST');
      expect((await d.http('PUT', `/api/chats/${id}`, { name: '' })).status).toBe(400);
      expect((await d.http('GET', '/api/chats/not-a-chat')).json.error.message).toMatch(/not a chat id/);
      expect((await d.http('GET', '/api/messages/nope')).status).toBe(400);
      expect((await d.http('POST', '/api/chats', '{oops')).json.error.code).toBe('invalid_json');
      const xml = await d.http('GET', `/api/chats/${id}/export?format=xml`);
      expect(xml.status).toBe(400);
      expect(xml.json.error.message).toMatch(/format/);
      expect((await d.http('DELETE', `/api/chats/${id}`)).json).toEqual({ chat_id: id, deleted: true });
      expect((await d.events('a')).some((f) => f.type === 'chat_deleted')).toBe(true);
      expect((await d.http('GET', `/api/chats/${id}`)).status).toBe(404);
    });

    withDriver('tells others the same, whichever transport reaches an operation', async (d) => {
      await d.connect('asker');
      await d.connect('watcher');
      // What the watcher hears, with ids and times made comparable across the two runs.
      const heard = async () => {
        const ids = new Map<string, string>();
        const alias = (v: string) => (ids.has(v) ? ids.get(v)! : (ids.set(v, `#${ids.size}`), ids.get(v)!));
        const shape = (v: unknown): unknown =>
          Array.isArray(v) ? v.map(shape)
          : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, /(^id|_id|leaf|_at)$/.test(k) && typeof x === 'string' ? alias(x) : shape(x)]))
          : v;
        return (await d.events('watcher')).map(shape);
      };
      const trace = async (via: 'ws' | 'rest') => {
        const steps: unknown[] = [];
        const ws = (command: Record<string, unknown>) => d.command('asker', command);
        const chat = via === 'ws' ? ((await ws({ type: 'create_chat', name: 'Both ways' })) as Frame & { chat: Chat }).chat : (await d.http('POST', '/api/chats', { name: 'Both ways' })).json.chat;
        steps.push(await heard());
        await d.command('watcher', { type: 'switch_chat', chat_id: chat.id });
        await d.events('watcher');
        if (via === 'ws') await ws({ type: 'send_message', chat_id: chat.id, content: 'hello' });
        else await d.http('POST', `/api/chats/${chat.id}/messages`, { content: 'hello' });
        steps.push(await heard());
        if (via === 'ws') await ws({ type: 'rename_chat', chat_id: chat.id, name: 'Both ways renamed' });
        else await d.http('PUT', `/api/chats/${chat.id}`, { name: 'Both ways renamed' });
        steps.push(await heard());
        if (via === 'ws') await ws({ type: 'update_chat', chat_id: chat.id, system: 'Be brief.' });
        else await d.http('PUT', `/api/chats/${chat.id}`, { system: 'Be brief.' });
        steps.push(await heard());
        // Reads tell nobody anything, whichever way they come.
        if (via === 'ws') {
          await ws({ type: 'get_branch', chat_id: chat.id });
          await ws({ type: 'search', query: 'hello' });
        } else {
          await d.http('GET', `/api/chats/${chat.id}/messages`);
          await d.http('GET', '/api/search?q=hello');
        }
        steps.push(await heard());
        const file = via === 'ws'
          ? ((await ws({ type: 'export_chat', chat_id: chat.id })) as Frame & { content: string }).content
          : JSON.stringify((await d.http('GET', `/api/chats/${chat.id}/export`)).json);
        const imported: Chat[] = via === 'ws'
          ? ((await ws({ type: 'import_chat', content: file })) as Frame & { chats: Chat[] }).chats
          : (await d.http('POST', '/api/import', JSON.parse(file))).json.chats;
        steps.push(await heard());
        for (const id of [chat.id, imported[0]!.id]) {
          if (via === 'ws') await ws({ type: 'delete_chat', chat_id: id });
          else await d.http('DELETE', `/api/chats/${id}`);
          steps.push(await heard());
        }
        // The watcher was viewing the deleted chat: it views none now, whichever transport deleted it.
        steps.push(await d.command('watcher', { type: 'get_head' }));
        return steps;
      };
      const overWebSocket = await trace('ws');
      const overRest = await trace('rest');
      expect(overRest).toEqual(overWebSocket);
      expect(overWebSocket.at(-1)).toMatchObject({ type: 'head', current_chat_id: null });
    });

    withDriver('gives REST lists and branches in pages that join up to the whole', async (d) => {
      await d.connect('a');
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.unshift(((await d.http('POST', '/api/chats', { name: `Paged ${i}` })).json.chat.id) as string);
      const seen: string[] = [];
      let after: string | null = null;
      do {
        const page: { chats: Chat[]; next: string | null } = (await d.http('GET', `/api/chats?limit=2${after ? `&after=${after}` : ''}`)).json;
        expect(page.chats.length).toBeLessThanOrEqual(2);
        seen.push(...page.chats.map((c) => c.id));
        after = page.next;
      } while (after);
      expect(seen).toEqual(ids);
      const chat = ids[0]!;
      for (let i = 0; i < 5; i++) await d.http('POST', `/api/chats/${chat}/messages`, { content: `m${i}` });
      const last = (await d.http('GET', `/api/chats/${chat}/messages?limit=2`)).json;
      expect(last.messages.map((m: Msg) => m.content)).toEqual(['m3', 'm4']);
      const above = (await d.http('GET', `/api/chats/${chat}/messages?limit=2&before=${last.earlier}`)).json;
      expect(above.messages.map((m: Msg) => m.content)).toEqual(['m1', 'm2']);
      const top = (await d.http('GET', `/api/messages?chat_id=${chat}&limit=5&before=${above.earlier}`)).json;
      expect(top.messages.map((m: Msg) => m.content)).toEqual(['m0']);
      expect(top.earlier).toBeNull();
      expect((await d.http('GET', `/api/chats/${chat}/messages?limit=501`)).status).toBe(400);
      expect((await d.http('GET', `/api/chats/${ids[1]}/messages?before=${last.earlier}`)).status).toBe(404);
    });

    withDriver('keeps every chat, name, branch and message across a restart', async (d) => {
      await d.connect('a');
      const one = await create(d, 'a', 'Kept');
      await send(d, 'a', 'q');
      const a1 = await send(d, 'a', 'a1');
      await d.command('a', { type: 'edit_message', message_id: a1.message.id, content: 'a2' });
      await create(d, 'a', 'Other');
      await send(d, 'a', 'other message');
      const chats = (await d.command('a', { type: 'list_chats' })) as Frame & { chats: Chat[] };
      const branches = await Promise.all(chats.chats.map((c) => branch(d, 'a', c.id)));
      await d.restart();
      await d.connect('a');
      expect(await d.command('a', { type: 'list_chats' })).toEqual({ ...chats });
      for (const [i, c] of chats.chats.entries()) expect(await branch(d, 'a', c.id)).toEqual(branches[i]);
      expect(chats.chats.map((c) => c.name)).toEqual(['Other', one.name]);
    });
  });
}
