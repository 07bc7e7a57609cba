/** Search across every branch, natively on the core, on every kind of store. */
import { describe, expect, it } from 'vitest';
import { NativeApp } from '../helpers/native-app.js';
import { chatWithBranches, type F, type Msg } from '../helpers/branchy-chat.js';
import { STORE_KINDS } from '../helpers/store-ports.js';

describe.each(STORE_KINDS)('search ($name store)', ({ make }) => {
  it('finds a word on a branch that is not selected, with a highlighted snippet', async () => {
    const app = new NativeApp(make());
    const { chat, a1 } = await chatWithBranches(app);
    const r = (await app.command('c', { type: 'search', query: 'lisbon' })) as F;
    expect(r.type).toBe('search_results');
    expect(r.results).toHaveLength(1);
    const hit = r.results[0];
    expect(hit).toMatchObject({ chat_id: chat.id, chat_name: 'Travel plans', message_id: a1.id, on_selected_branch: false });
    const [start, end] = hit.highlights[0];
    expect(hit.snippet.slice(start, end).toLowerCase()).toBe('lisbon');
    // Opening it moves the chat to that branch.
    const branch = (await app.command('c', { type: 'select_sibling', chat_id: chat.id, message_id: a1.id })) as F;
    expect(branch.messages.map((m: Msg) => m.content)).toContain('Lisbon has warm autumn evenings');
  });

  it('keeps the index across restarts, and rebuilds it from the DAG when it is gone', async () => {
    const app = new NativeApp(make());
    await chatWithBranches(app);
    const again = app.restart();
    await again.connect('c');
    expect(((await again.command('c', { type: 'search', query: 'maple' })) as F).results).toHaveLength(1);
    again.ports.labels.remove('search/snapshot');
    const rebuilt = again.restart();
    await rebuilt.connect('c');
    expect(((await rebuilt.command('c', { type: 'search', query: 'october' })) as F).results).toHaveLength(1);
  });

  it('finds messages sent across restarts with no search in between, and nothing twice', async () => {
    let app = new NativeApp(make());
    await app.connect('c');
    await app.command('c', { type: 'create_chat', name: 'Log' });
    const words = ['amber', 'cobalt', 'violet'];
    for (const word of words) {
      for (let i = 0; i < 5; i++) expect(await app.command('c', { type: 'send_message', content: `${word} note ${i}` })).toMatchObject({ type: 'message_added' });
      app = app.restart();
      await app.connect('c');
      await app.command('c', { type: 'switch_chat', chat_id: ((await app.command('c', { type: 'list_chats' })) as F).chats[0].id });
    }
    for (const word of words) expect(((await app.command('c', { type: 'search', query: word })) as F).results).toHaveLength(5);
    const all = (await app.command('c', { type: 'search', query: 'note' })) as F;
    expect([all.results.length, all.more]).toEqual([15, false]);
    // Fewer asked for than match: the best ones, and word that there are more.
    expect(await app.command('c', { type: 'search', query: 'note', limit: 15 })).toMatchObject({ more: false });
    const best = (await app.command('c', { type: 'search', query: 'note', limit: 14 })) as F;
    expect([best.results.length, best.more]).toEqual([14, true]);
  });

  it('writes a small, fixed amount of search data per message however many are indexed', async () => {
    const app = new NativeApp(make());
    await app.connect('c');
    await app.command('c', { type: 'create_chat', name: 'Long' });
    await app.command('c', { type: 'search', query: 'warm' }); // the index is in memory from here on
    const written: number[] = [];
    const put = app.ports.content.put.bind(app.ports.content);
    const write = app.ports.labels.write.bind(app.ports.labels);
    let bytes = 0;
    app.ports.content.put = (b) => ((bytes += b.length), put(b));
    // A pack (dag/packs.ts) copies about 32 messages already counted once: not search data.
    const counted = (label: string, b: Uint8Array | string) => (label.startsWith('pack/') ? 0 : typeof b === 'string' ? Buffer.byteLength(b) : b.length);
    app.ports.labels.write = (label, b) => ((bytes += counted(label, b)), write(label, b));
    for (let i = 0; i < 1200; i++) {
      bytes = 0;
      await app.command('c', { type: 'send_message', content: `message number ${i} about topic${i % 40}` });
      written.push(bytes);
    }
    // Folding the journal into a snapshot is rare (at a quarter of the index) and is the only big write.
    const folds = written.filter((b) => b > 4096).length;
    expect(folds).toBeLessThanOrEqual(6);
    const typical = [...written].sort((a, b) => a - b)[600]!;
    // Each message writes its node, its chat record and a journal entry at least.
    expect(typical).toBeGreaterThan(200);
    expect(typical).toBeLessThan(2048);
    const total = written.reduce((a, b) => a + b, 0);
    expect(total / written.length).toBeLessThan(8192);
    const again = app.restart();
    await again.connect('c');
    expect(((await again.command('c', { type: 'search', query: 'topic7' })) as F).results).toHaveLength(20);
  });

  it('folds the journal while nobody searches, without the index, so a first search replays little', async () => {
    const app = new NativeApp(make());
    await app.connect('c');
    await app.command('c', { type: 'create_chat', name: 'Diary' });
    for (let i = 0; i < 1000; i++) await app.command('c', { type: 'send_message', content: `day ${i} weather${i % 7}` });
    const read = (label: string) => JSON.parse(new TextDecoder().decode(app.ports.content.get(app.ports.labels.get(label)!)));
    const head = read('search/journal') as { n: number; docs: number; pend: number };
    // Nobody searched: the index is not in memory. The store's first fold made a snapshot from the
    // DAG (200 messages); the later ones left their documents in pending batches.
    expect(app.searchIndexLoaded).toBe(false);
    expect(head.docs).toBe(200);
    expect(head.docs + head.pend + head.n).toBe(1000);
    // One batch per fold, each pointing at the one before: together, every folded message once.
    const keys: string[] = [];
    for (let ref: string | null = app.ports.labels.get('search/pending')!; ref; ) {
      const batch = JSON.parse(new TextDecoder().decode(app.ports.content.get(ref))) as { docs: [string, string][]; prev: string | null };
      keys.push(...batch.docs.map(([key]) => key));
      ref = batch.prev;
    }
    expect(new Set(keys).size).toBe(head.pend);
    expect(keys).toHaveLength(head.pend);
    expect(head.n).toBeLessThanOrEqual(Math.max(200, (head.docs + head.pend) / 4));
    const again = app.restart();
    await again.connect('c');
    expect(((await again.command('c', { type: 'search', query: 'weather3', limit: 100 })) as F).results).toHaveLength(100);
    // The newest message is in the journal, not the pending documents.
    expect(((await again.command('c', { type: 'search', query: 'day 999' })) as F).results.map((r: F) => r.snippet)).toEqual(['day 999 weather5']);
    // That search indexed them once and made them a snapshot.
    expect(again.ports.labels.get('search/pending')).toBeUndefined();
    expect(again.ports.labels.get('search/snapshot')).toBeDefined();
  });

  it('finds a message whose append died before the chat moved to it, as a message off the branch', async () => {
    const ports = make();
    const app = new NativeApp(ports);
    await app.connect('c');
    const chat = ((await app.command('c', { type: 'create_chat', name: 'Notes' })) as F).chat;
    await app.command('c', { type: 'send_message', content: 'first note' });
    await app.command('c', { type: 'search', query: 'first' }); // a snapshot exists from here on
    // The store fails at the chat record's write, as a crash there would leave things.
    const write = ports.labels.write.bind(ports.labels);
    ports.labels.write = (label, bytes) => {
      if (label === `chat/${chat.id}`) throw new Error('disk gone');
      return write(label, bytes);
    };
    expect(await app.command('c', { type: 'send_message', content: 'second note about saffron' })).toMatchObject({ type: 'error' });
    ports.labels.write = write;
    const again = app.restart();
    await again.connect('c');
    const hits = ((await again.command('c', { type: 'search', query: 'saffron' })) as F).results;
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ chat_id: chat.id, on_selected_branch: false });
    const branch = (await again.command('c', { type: 'get_branch', chat_id: chat.id })) as F;
    expect(branch.messages.map((m: Msg) => m.content)).toEqual(['first note']);
  });

  it('rebuilds from the DAG when the journal is unreadable, and replays a journal the snapshot already holds', async () => {
    const ports = make();
    const app = new NativeApp(ports);
    await app.connect('c');
    await app.command('c', { type: 'create_chat', name: 'Recipes' });
    await app.command('c', { type: 'send_message', content: 'saffron risotto' });
    const journal = app.ports.labels.get('search/journal')!;
    await app.command('c', { type: 'search', query: 'saffron' }); // snapshot written on first load; journal folded
    // A crash between writing the snapshot and dropping the journal leaves both.
    app.ports.labels.set('search/journal', journal);
    let again = app.restart();
    await again.connect('c');
    expect(((await again.command('c', { type: 'search', query: 'saffron' })) as F).results).toHaveLength(1);
    app.ports.labels.set('search/journal', app.ports.content.put(new TextEncoder().encode('{"add": "not a list"}')));
    again = app.restart();
    await again.connect('c');
    expect(((await again.command('c', { type: 'search', query: 'risotto' })) as F).results).toHaveLength(1);
    expect(ports.lines.some((l) => /search index unreadable, rebuilding/.test(l))).toBe(true);
  });

  it('finds nothing in deleted chats and refuses an empty query', async () => {
    const app = new NativeApp(make());
    const { chat } = await chatWithBranches(app);
    await app.command('c', { type: 'delete_chat', chat_id: chat.id });
    expect(((await app.command('c', { type: 'search', query: 'kyoto' })) as F).results).toEqual([]);
    expect(await app.command('c', { type: 'search', query: '  ' })).toMatchObject({ type: 'error', message: expect.stringMatching(/query is empty/) });
  });
});

