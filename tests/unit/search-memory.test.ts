/** The search index is memory spent on a feature: held while people search, let go when they stop. */
import { describe, expect, it } from 'vitest';
import { NativeApp } from '../helpers/native-app.js';
import { STORE_KINDS } from '../helpers/store-ports.js';

type F = Record<string, any>;

async function send(app: NativeApp, from: number, count: number): Promise<void> {
  for (let i = from; i < from + count; i++) await app.command('c', { type: 'send_message', content: `entry ${i} topic${i % 5}` });
}

const found = async (app: NativeApp, query: string) => ((await app.command('c', { type: 'search', query, limit: 100 })) as F).results.map((r: F) => r.snippet);

describe.each(STORE_KINDS)('the search index in memory ($name store)', ({ make }) => {
  it('is never built while nobody searches, is kept while people search, and is let go 1,000 messages after the last search', async () => {
    const app = new NativeApp(make());
    await app.connect('c');
    await app.command('c', { type: 'create_chat', name: 'Log' });
    await send(app, 0, 250);
    expect(app.searchIndexLoaded).toBe(false);

    expect(await found(app, 'entry 249')).toEqual(['entry 249 topic4']);
    expect(app.searchIndexLoaded).toBe(true);
    await send(app, 250, 1000);
    expect(app.searchIndexLoaded, '1,000 messages after the search').toBe(true);
    await send(app, 1250, 1);
    expect(app.searchIndexLoaded).toBe(false);
    // Folds go on without it.
    await send(app, 1251, 600);
    expect(app.searchIndexLoaded).toBe(false);

    // Loaded again from the snapshot, the pending documents and the journal: old and new, each once.
    expect(await found(app, 'entry 1850')).toEqual(['entry 1850 topic0']);
    expect(await found(app, 'entry 3')).toEqual(['entry 3 topic3']);
    expect(await found(app, 'entry 1300')).toEqual(['entry 1300 topic0']);
    expect(await found(app, 'topic2')).toHaveLength(100);
    // And across a restart.
    const again = app.restart();
    await again.connect('c');
    expect(await found(again, 'entry 1851')).toEqual([]);
    expect(await found(again, 'entry 1849')).toEqual(['entry 1849 topic4']);
  });

  it('makes the pending documents part of the snapshot once they reach 2,000, still without keeping the index', async () => {
    const app = new NativeApp(make());
    await app.connect('c');
    await app.command('c', { type: 'create_chat', name: 'Long log' });
    const head = () => JSON.parse(new TextDecoder().decode(app.ports.content.get(app.ports.labels.get('search/journal')!))) as { docs: number; pend?: number; n: number };
    await send(app, 0, 1900);
    expect(head().docs, 'below 2,000 they wait: only the first fold is in the snapshot').toBe(200);
    await send(app, 1900, 600);
    expect(app.searchIndexLoaded).toBe(false);
    expect(head().docs).toBeGreaterThanOrEqual(2000);
    expect(head().docs + (head().pend ?? 0) + head().n).toBe(2500);
    expect(await found(app, 'entry 2499')).toEqual(['entry 2499 topic4']);
    expect(await found(app, 'entry 0')).toEqual(['entry 0 topic0']);
  });

  it('folds a journal begun by an instance before it, reading what it did not write', async () => {
    const app = new NativeApp(make());
    await app.connect('c');
    const chat = ((await app.command('c', { type: 'create_chat', name: 'Across starts' })) as F).chat;
    await send(app, 0, 150);
    const again = app.restart();
    await again.connect('c');
    await again.command('c', { type: 'switch_chat', chat_id: chat.id });
    await send(again, 150, 300);
    expect(again.ports.labels.get('search/pending'), 'folded by the second instance').toBeDefined();
    for (const n of [0, 149, 150, 449]) expect(await found(again, `entry ${n}`)).toEqual([`entry ${n} topic${n % 5}`]);
    const head = JSON.parse(new TextDecoder().decode(again.ports.content.get(again.ports.labels.get('search/journal')!))) as { docs: number; pend?: number; n: number };
    expect(head.docs + (head.pend ?? 0) + head.n, 'each message once').toBe(450);
  });

  it('indexes messages no journal saw when a store first folds (a store from before search), so none is lost', async () => {
    const ports = make();
    const app = new NativeApp(ports);
    await app.connect('c');
    await app.command('c', { type: 'create_chat', name: 'Older' });
    await send(app, 0, 5);
    // As a store from before the search journal: its messages are in the DAG only.
    for (const label of ['search/journal', 'search/snapshot', 'search/pending']) if (ports.labels.get(label)) ports.labels.remove(label);
    const again = app.restart();
    await again.connect('c');
    await again.command('c', { type: 'switch_chat', chat_id: ((await again.command('c', { type: 'list_chats' })) as F).chats[0].id });
    await send(again, 5, 450);
    expect(again.searchIndexLoaded).toBe(false);
    expect(await found(again, 'entry 2')).toEqual(['entry 2 topic2']);
    expect(await found(again, 'entry 454')).toEqual(['entry 454 topic4']);
  });

  it('a damaged journal is rebuilt from the DAG at the next fold: appends go on, nothing is lost, no warning at every append', async () => {
    const ports = make();
    const app = new NativeApp(ports);
    await app.connect('c');
    await app.command('c', { type: 'create_chat', name: 'Damaged' });
    await send(app, 0, 250);
    for (const damage of ['{"add": "not a list"}', 'not json{']) {
      ports.labels.set('search/journal', ports.content.put(new TextEncoder().encode(damage)));
      const again = app.restart();
      await again.connect('c');
      await again.command('c', { type: 'switch_chat', chat_id: ((await again.command('c', { type: 'list_chats' })) as F).chats[0].id });
      const before = ports.lines.length;
      for (let i = 0; i < 20; i++) expect(await again.command('c', { type: 'send_message', content: `after ${damage.length} ${i}` })).toMatchObject({ type: 'message_added' });
      const warnings = ports.lines.slice(before).filter((l) => /search/.test(l));
      expect(warnings.length, warnings.join('\n')).toBeLessThanOrEqual(1);
      expect(await found(again, 'entry 7')).toEqual(['entry 7 topic2']);
      expect(await found(again, `after ${damage.length} 19`)).toHaveLength(1);
    }
  });
});
