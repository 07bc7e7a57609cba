import { describe, expect, it } from 'vitest';
import { encodeNode, idOf, parseMessageId } from '../../src/core/dag/node.js';
import { Dag } from '../../src/core/dag/dag-store.js';
import { memoryPorts } from '../helpers/memory-ports.js';
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

describe('reads are checked against the id', () => {
  it('reports a corrupt object instead of serving it', async () => {
    const ports = memoryPorts();
    const dag = new Dag(ports);
    const id = await dag.put({ v: 1, parent: null, role: 'user', content: 'original', meta: {} });
    const other = ports.content.put(encodeNode({ v: 1, parent: null, role: 'user', content: 'tampered', meta: {} }));
    ports.labels.set(`node/${id}`, other);
    await expect(dag.get(id)).rejects.toThrow(/does not match its id/);
  });

  it('answers a branch read over a damaged store with an error, and keeps serving', async () => {
    const writer = new NativeApp();
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
