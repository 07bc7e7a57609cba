/** Chats carried out and back in, natively on the core. */
import { describe, expect, it } from 'vitest';
import { NativeApp } from '../helpers/native-app.js';
import { chatWithBranches, type F, type Msg } from '../helpers/branchy-chat.js';
import { memoryPorts } from '../helpers/memory-ports.js';
import { encodeNode, idOf, type MessageId } from '../../src/core/dag/node.js';

describe('export and import', () => {
  it('round trip: export, delete, import, and every node, branch and selection is back with the same ids', async () => {
    const app = new NativeApp();
    const { chat } = await chatWithBranches(app);
    const before = (await app.command('c', { type: 'get_tree', chat_id: chat.id })) as F;
    const branchBefore = (await app.command('c', { type: 'get_branch', chat_id: chat.id })) as F;
    const exported = (await app.command('c', { type: 'export_chat', chat_id: chat.id })) as F;
    expect(exported).toMatchObject({ type: 'export', format: 'json', filename: 'Travel-plans.json' });
    await app.command('c', { type: 'delete_chat', chat_id: chat.id });
    const imported = (await app.command('c', { type: 'import_chat', content: exported.content })) as F;
    expect(imported.type).toBe('imported');
    const copy = imported.chats[0];
    expect(copy.name).toBe('Travel plans');
    const after = (await app.command('c', { type: 'get_tree', chat_id: copy.id })) as F;
    expect(after.nodes).toEqual(before.nodes);
    const branchAfter = (await app.command('c', { type: 'get_branch', chat_id: copy.id })) as F;
    expect(branchAfter.messages).toEqual(branchBefore.messages);
    // Both branches are still there, and the other one can be selected.
    const hidden = before.nodes.find((n: F) => !n.selected);
    expect(((await app.command('c', { type: 'select_sibling', chat_id: copy.id, message_id: hidden.id })) as F).type).toBe('branch');
    // Importing again does not overwrite: the name is kept apart.
    const twice = (await app.command('c', { type: 'import_chat', content: exported.content })) as F;
    expect(twice.chats[0].name).toBe('Travel plans (imported)');
  });

  it('exports the selected branch as Markdown', async () => {
    const app = new NativeApp();
    const { chat } = await chatWithBranches(app);
    const md = (await app.command('c', { type: 'export_chat', chat_id: chat.id, format: 'markdown' })) as F;
    expect(md.content).toBe('# Travel plans\n\n## You\n\nWhere should I go in October?\n\n## You\n\nKyoto has maple leaves turning red\n');
  });

  it('imports a ChatGPT export with its branches and the branch it showed last', async () => {
    const app = new NativeApp();
    await app.connect('c');
    const conv = {
      title: 'Pasta',
      create_time: 1700000000,
      current_node: 'a2',
      mapping: {
        root: { id: 'root', parent: null, children: ['sys'], message: null },
        sys: { id: 'sys', parent: 'root', children: ['u1'], message: { author: { role: 'system' }, content: { parts: [''] } } },
        u1: { id: 'u1', parent: 'sys', children: ['a1', 'a2'], message: { author: { role: 'user' }, content: { content_type: 'text', parts: ['How long do I boil pasta?'] } } },
        a1: { id: 'a1', parent: 'u1', children: [], message: { author: { role: 'assistant' }, content: { parts: ['About 10 minutes.'] }, metadata: { model_slug: 'gpt-4o' } } },
        a2: { id: 'a2', parent: 'u1', children: [], message: { author: { role: 'assistant' }, content: { parts: ['8 to 12 minutes, taste it.'] } } },
      },
    };
    const r = (await app.command('c', { type: 'import_chat', content: JSON.stringify([conv]) })) as F;
    expect(r.type, JSON.stringify(r)).toBe('imported');
    const chat = r.chats[0];
    expect(chat.name).toBe('Pasta');
    const branch = (await app.command('c', { type: 'get_branch', chat_id: chat.id })) as F;
    expect(branch.messages.map((m: Msg) => m.content)).toEqual(['How long do I boil pasta?', '8 to 12 minutes, taste it.']);
    expect(branch.messages[1].siblings).toEqual({ index: 1, count: 2 });
    const tree = (await app.command('c', { type: 'get_tree', chat_id: chat.id })) as F;
    expect(tree.nodes).toHaveLength(3);
  });

  it('refuses bad and hostile files with a clear message and stores nothing of them', async () => {
    const ports = memoryPorts();
    const app = new NativeApp(ports);
    const { chat } = await chatWithBranches(app);
    const good = JSON.parse(((await app.command('c', { type: 'export_chat', chat_id: chat.id })) as F).content);
    const tampered = structuredClone(good);
    tampered.nodes[1].content = 'changed after export';
    // A node that verifies but answers a message that exists nowhere.
    const orphan = { v: 1 as const, parent: 'baguqeerarp3q5rw6k6zvfa2kecsk32d57opselgefwjfnptpppsfwvajfpca' as MessageId, role: 'user' as const, content: 'orphan', meta: {} };
    const dangling = structuredClone(good);
    dangling.nodes.push({ id: await idOf(encodeNode(orphan)), ...orphan, v: undefined });
    delete dangling.nodes.at(-1).v;
    const cycle = {
      mapping: { a: { parent: 'b', children: ['b'], message: { author: { role: 'user' }, content: { parts: ['x'] } } }, b: { parent: 'a', children: ['a'], message: { author: { role: 'user' }, content: { parts: ['y'] } } } },
    };
    const cases: [string, RegExp][] = [
      ['not json at all', /not JSON/],
      [JSON.stringify({ hello: 'world' }), /not a theater-chat export/],
      [JSON.stringify(tampered), /does not match its content/],
      [JSON.stringify(dangling), /neither in the file nor here/],
      [JSON.stringify(cycle), /cycle|no first message/],
      [JSON.stringify({ ...good, chat: { ...good.chat, leaf: 'baguqeerarp3q5rw6k6zvfa2kecsk32d57opselgefwjfnptpppsfwvajfpca' } }), /selected message is not in the file/],
      [' '.repeat(2 * 1024 * 1024 + 1), /larger than/],
    ];
    const writes = ports.writes();
    const list = await app.command('c', { type: 'list_chats' });
    for (const [content, message] of cases) {
      const reply = (await app.command('c', { type: 'import_chat', content })) as F;
      expect(reply.type, content.slice(0, 40)).toBe('error');
      expect(reply.message).toMatch(message);
    }
    expect(ports.writes()).toBe(writes);
    expect(await app.command('c', { type: 'list_chats' })).toEqual(list);
  });
});
