import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileStore } from '../../src/host/store.js';
import { tempDir } from '../helpers/host.js';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('FileStore (Theater c50 store semantics)', () => {
  it('addresses content by lowercase SHA-1 hex and lays it out as c50 does', () => {
    const root = tempDir();
    const store = new FileStore(root);
    const hash = store.store('s1', bytes('hello'));
    expect(hash).toBe(createHash('sha1').update('hello').digest('hex'));
    expect(readFileSync(join(root, 's1/data', hash), 'utf8')).toBe('hello');
    expect(new TextDecoder().decode(store.get('s1', hash))).toBe('hello');
    expect(store.exists('s1', hash)).toBe(true);
    expect(store.store('s1', bytes('hello'))).toBe(hash);
  });

  it('points labels only at content that exists', () => {
    const store = new FileStore(tempDir());
    const missing = 'a'.repeat(40);
    expect(() => store.label('s', 'head', missing)).toThrow(`Content does not exist: ${missing}`);
    const hash = store.store('s', bytes('x'));
    store.label('s', 'chats/head', hash);
    expect(store.getByLabel('s', 'chats/head')).toBe(hash);
    expect(store.listLabels('s')).toEqual(['chats/head']);
    store.removeLabel('s', 'chats/head');
    store.removeLabel('s', 'chats/head');
    expect(store.getByLabel('s', 'chats/head')).toBeUndefined();
  });

  it('store-at-label writes and points in one call; replace keeps one ref per label', () => {
    const store = new FileStore(tempDir());
    const a = store.storeAtLabel('s', 'l', bytes('a'));
    const b = store.storeAtLabel('s', 'l', bytes('b'));
    expect(a).not.toBe(b);
    expect(store.getByLabel('s', 'l')).toBe(b);
    expect(store.listAllContent('s').sort()).toEqual([a, b].sort());
    expect(store.calculateTotalSize('s')).toBe(2n);
  });

  it('moves a label that exists to new content, whatever the label file held before', () => {
    const root = tempDir();
    const store = new FileStore(root);
    const a = store.storeAtLabel('s', 'chats/head', bytes('a'));
    const labelFile = join(root, 's/labels/chats/head');
    const b = store.storeAtLabel('s', 'chats/head', bytes('b'));
    expect(store.getByLabel('s', 'chats/head')).toBe(b);
    expect(readFileSync(labelFile, 'utf8')).toBe(b);
    // What a crash during a label's first write leaves, and a label longer than a ref (a hand edit):
    for (const leftover of ['', `${a}\n${a}\n`]) {
      writeFileSync(labelFile, leftover);
      store.label('s', 'chats/head', a);
      expect(readFileSync(labelFile, 'utf8')).toBe(a);
    }
  });

  it('leaves no temporary files behind after writes', () => {
    const root = tempDir();
    const store = new FileStore(root);
    for (let i = 0; i < 20; i++) store.storeAtLabel('s', 'counter', bytes(String(i)));
    const files = [...readdirSync(join(root, 's/data')), ...readdirSync(join(root, 's/labels'))];
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses store ids, labels and hashes that would leave the store folder', () => {
    const root = tempDir();
    const store = new FileStore(root);
    const hash = store.store('s', bytes('x'));
    expect(() => store.label('s', '../../escape', hash)).toThrow(/leave the store/);
    expect(() => store.store('../other', bytes('x'))).toThrow();
    expect(() => store.get('s', '../../etc/passwd')).toThrow(/not a content hash/);
    expect(() => store.getByLabel('s', '/abs')).toThrow();
    expect(existsSync(join(root, '..', 'escape'))).toBe(false);
  });

  it('reports missing content as an error and a missing label as none', () => {
    const store = new FileStore(tempDir());
    expect(() => store.get('s', 'b'.repeat(40))).toThrow(/Content not found/);
    expect(store.getByLabel('s', 'nothing')).toBeUndefined();
    expect(store.listLabels('never-used')).toEqual([]);
  });

  it('gives a fresh UUID v4 for new stores', () => {
    const store = new FileStore(tempDir());
    const id = store.newStore();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(store.newStore()).not.toBe(id);
  });
});

describe('the bench’s tally of what the store writes', () => {
  it('counts a content file once, however often the same content is stored, and a label rewritten in place apart from one created', async () => {
    const { TalliedFileStore, emptyTally } = await import('../../src/host/host-tally.js');
    const tally = emptyTally();
    const store = new TalliedFileStore(tempDir(), tally);
    store.storeAtLabel('s1', 'chat/a', bytes('first'));
    store.store('s1', bytes('first'));
    expect(tally).toMatchObject({ storeFiles: 2, storeBytes: 5 + 40, labelsInPlace: 0 });
    store.storeAtLabel('s1', 'chat/a', bytes('second'));
    expect(tally).toMatchObject({ storeFiles: 3, storeBytes: 5 + 40 + 6, labelsInPlace: 1 });
  });
});
