/** Search, export and import through the component, over WebSocket and REST. */
import { MAX_IMPORT_FILE_BYTES } from '../../src/core/ops/deps.js';
import { describe, expect, it } from 'vitest';
import { ChatClient } from '../helpers/chat-client.js';
import { startHost } from '../helpers/host.js';
import { hostForTests } from '../helpers/suite-host.js';

const suite = hostForTests();

type F = Record<string, any>;

describe('search, export and import through the component', () => {
  it('finds a message on an unselected branch, survives a restart, and opens it there', async () => {
    const c = await ChatClient.open(suite.host.url);
    const chat = ((await c.command({ type: 'create_chat', name: 'Recipes' })) as F).chat;
    const first = ((await c.command({ type: 'send_message', content: 'A risotto needs arborio rice' })) as F).message;
    await c.command({ type: 'edit_message', message_id: first.id, content: 'A paella needs bomba rice' });
    const found = (await c.command({ type: 'search', query: 'arborio' })) as F;
    expect(found.results).toHaveLength(1);
    expect(found.results[0]).toMatchObject({ chat_id: chat.id, message_id: first.id, on_selected_branch: false });
    await c.close();
    const data = suite.host.data;
    await suite.host.stop();
    suite.host = await startHost({ data });
    const again = await ChatClient.open(suite.host.url);
    const rest = (await (await fetch(`${suite.host.url}/api/search?q=bomba`)).json()) as F;
    expect(rest.results.map((r: F) => r.chat_name)).toEqual(['Recipes']);
    expect(((await again.command({ type: 'search', query: 'arborio' })) as F).results).toHaveLength(1);
    const opened = (await again.command({ type: 'select_sibling', chat_id: chat.id, message_id: first.id })) as F;
    expect(opened.messages.map((m: F) => m.content)).toEqual(['A risotto needs arborio rice']);
    await again.close();
  });

  it('exports over REST, deletes, imports over REST, and gets the same ids back', async () => {
    const c = await ChatClient.open(suite.host.url);
    const chat = ((await c.command({ type: 'create_chat', name: 'Carry me' })) as F).chat;
    for (let i = 0; i < 30; i++) await c.command({ type: 'send_message', content: `line ${i}: ${'text '.repeat(40)}` });
    const branchBefore = ((await c.command({ type: 'get_branch', chat_id: chat.id })) as F).messages;
    const res = await fetch(`${suite.host.url}/api/chats/${chat.id}/export`);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="Carry-me.json"');
    const file = await res.text();
    const md = await (await fetch(`${suite.host.url}/api/chats/${chat.id}/export?format=markdown`)).text();
    expect(md.startsWith('# Carry me\n')).toBe(true);
    expect((await fetch(`${suite.host.url}/api/chats/${chat.id}`, { method: 'DELETE' })).status).toBe(200);
    const imported = await fetch(`${suite.host.url}/api/import`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: file });
    expect(imported.status).toBe(201);
    const copy = ((await imported.json()) as F).chats[0];
    const branchAfter = ((await c.command({ type: 'get_branch', chat_id: copy.id })) as F).messages;
    expect(branchAfter).toEqual(branchBefore);
    // A file over the import limit (an export may carry its attached files) is refused, and nothing is stored.
    const huge = await fetch(`${suite.host.url}/api/import`, { method: 'POST', body: ' '.repeat(MAX_IMPORT_FILE_BYTES + 100) });
    expect(huge.status).toBe(413);
    const tampered = file.replace('line 3:', 'line 3 (edited):');
    const refused = await fetch(`${suite.host.url}/api/import`, { method: 'POST', body: tampered });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as F).error.message).toMatch(/does not match its content/);
    const names = ((await c.command({ type: 'list_chats' })) as F).chats.map((x: F) => x.name);
    expect(names.filter((n: string) => n.startsWith('Carry me'))).toEqual(['Carry me']);
    await c.close();
  });
});
