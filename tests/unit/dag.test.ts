import { describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeNode, idOf, parseMessageId } from '../../src/core/dag/node.js';
import { Dag } from '../../src/core/dag/dag-store.js';
import { STORE_KINDS } from '../helpers/store-ports.js';
import { NativeApp } from '../helpers/native-app.js';

describe('message ids', () => {
  it('are the same for the same node, whatever the key order it was built with', async () => {
    const a = await idOf(encodeNode({ v: 1, parent: null, role: 'user', content: 'hi', meta: { created_at: '2026-01-01T00:00:00Z', model: 'm' } }));
    const b = await idOf(encodeNode({ meta: { model: 'm', created_at: '2026-01-01T00:00:00Z' }, content: 'hi', role: 'user', parent: null, v: 1 }));
    expect(a).toBe(b);
    // A fixed vector: the canonical dag-json bytes and their CID do not change between versions or machines.
    expect(new TextDecoder().decode(encodeNode({ v: 1, parent: null, role: 'user', content: 'Hello', meta: {} }))).toBe(
      '{"content":"Hello","meta":{},"parent":null,"role":"user","v":1}',
    );
    expect(await idOf(encodeNode({ v: 1, parent: null, role: 'user', content: 'Hello', meta: {} }))).toBe('baguqeerarp3q5rw6k6zvfa2kecsk32d57opselgefwjfnptpppsfwvajfpca');
  });

  it('accept only CIDs of this app', () => {
    expect(() => parseMessageId('bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy')).toThrow(/of this app/);
    expect(() => parseMessageId('../../x')).toThrow(/not a message id/);
    expect(() => parseMessageId(42)).toThrow();
  });
});

describe.each(STORE_KINDS)('reads are checked against the id ($name store)', ({ make }) => {
  it('reports a corrupt object instead of serving it', async () => {
    const ports = make();
    const dag = new Dag(ports);
    const id = await dag.put({ v: 1, parent: null, role: 'user', content: 'original', meta: {} });
    const other = ports.content.put(encodeNode({ v: 1, parent: null, role: 'user', content: 'tampered', meta: {} }));
    ports.labels.set(`node/${id}`, other);
    await expect(dag.get(id)).rejects.toThrow(/does not match its id/);
  });

  it('answers a branch read over a damaged store with an error, and keeps serving', async () => {
    const writer = new NativeApp(make());
    await writer.connect('c');
    await writer.command('c', { type: 'create_chat', name: 'x' });
    const sent = (await writer.command('c', { type: 'send_message', content: 'hello' })) as { message: { id: string } };
    const bad = writer.ports.content.put(new TextEncoder().encode('{"not":"a node"}'));
    writer.ports.labels.set(`node/${sent.message.id}`, bad);
    // A fresh instance (nothing cached) reads the damaged store.
    const app = writer.restart();
    await app.connect('c');
    const chatId = ((await app.command('c', { type: 'list_chats' })) as { chats: { id: string }[] }).chats[0]!.id;
    expect(await app.command('c', { type: 'switch_chat', chat_id: chatId })).toMatchObject({ type: 'error', code: 'corrupt_object' });
    expect(await app.command('c', { type: 'get_branch', chat_id: chatId })).toMatchObject({ type: 'error', code: 'corrupt_object' });
    expect(await app.command('c', { type: 'ping' })).toMatchObject({ type: 'pong' });
  });
});

describe('damage on disk, in the file store', () => {
  it('answers reads of a node whose file rotted, or vanished, with an error, and keeps serving', async () => {
    const ports = STORE_KINDS.find((k) => k.name === 'file')!.make();
    const writer = new NativeApp(ports);
    await writer.connect('c');
    const chat = ((await writer.command('c', { type: 'create_chat', name: 'x' })) as { chat: { id: string } }).chat;
    await writer.command('c', { type: 'send_message', content: 'first' });
    const second = (await writer.command('c', { type: 'send_message', content: 'second' })) as { message: { id: string } };
    const file = join(ports.root!, 'theater-chat', 'data', ports.labels.get(`node/${second.message.id}`)!);
    const original = readFileSync(file);
    // One flipped bit, the file keeping its name: only checking the bytes against the id notices.
    const rotted = Buffer.from(original);
    rotted[rotted.length - 3]! ^= 0x01;
    writeFileSync(file, rotted);
    let app = writer.restart();
    await app.connect('c');
    expect(await app.command('c', { type: 'get_branch', chat_id: chat.id })).toMatchObject({ type: 'error', code: 'corrupt_object', message: expect.stringMatching(/does not match its id/) });
    expect(await app.command('c', { type: 'get_message', message_id: second.message.id })).toMatchObject({ type: 'error', code: 'corrupt_object' });
    expect(await app.command('c', { type: 'ping' })).toMatchObject({ type: 'pong' });
    rmSync(file);
    app = writer.restart();
    await app.connect('c');
    expect(await app.command('c', { type: 'get_branch', chat_id: chat.id })).toMatchObject({ type: 'error', code: 'corrupt_object', message: expect.stringMatching(/missing from the store/) });
    expect(await app.command('c', { type: 'ping' })).toMatchObject({ type: 'pong' });
    // Put back, the store serves the chat again: nothing was rewritten around the damage.
    writeFileSync(file, original);
    app = writer.restart();
    await app.connect('c');
    const branch = (await app.command('c', { type: 'get_branch', chat_id: chat.id })) as { messages: { content: string }[] };
    expect(branch.messages.map((m) => m.content)).toEqual(['first', 'second']);
  });
});
