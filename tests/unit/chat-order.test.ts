/**
 * The chat list's order lives in the chat records (`active`), which every message rewrites anyway:
 * a message no longer rewrites the whole list, and the order is the same after a restart, also
 * for a store whose records were written before `active` existed.
 */
import { describe, expect, it } from 'vitest';
import { ChatService } from '../../src/core/chats/service.js';
import { NodeCache } from '../../src/core/dag/cache.js';
import type { Ports } from '../../src/core/ports.js';
import { memoryPorts } from '../helpers/memory-ports.js';

/** As the actor runs it: one cache for the instance's life, a ChatService per call. */
function instance(ports: Ports) {
  const cache = new NodeCache();
  return () => new ChatService(ports, cache);
}

/** The chat list label's writes, as the store sees them. */
function watchList(ports: ReturnType<typeof memoryPorts>) {
  const written: string[] = [];
  const write = ports.labels.write.bind(ports.labels);
  ports.labels.write = (label, content) => {
    if (label === 'chats') written.push(String(content));
    return write(label, content);
  };
  return written;
}

const names = (chats: ChatService) => chats.list().map((c) => c.name);
const say = (chats: ChatService, id: string, text: string) => chats.append(id, { role: 'user', content: text, meta: {} });

describe('the order of the chat list', () => {
  it('moves a chat with a message to the top without rewriting the list, and keeps the order across a restart', async () => {
    const ports = memoryPorts();
    const listWrites = watchList(ports);
    const call = instance(ports);
    const [a, b, c] = [await call().create({ name: 'a' }), await call().create({ name: 'b' }), await call().create({ name: 'c' })];
    expect(names(call())).toEqual(['c', 'b', 'a']);
    expect(listWrites).toHaveLength(3);

    expect((await say(call(), a.id, 'one')).reordered).toBe(true);
    expect((await say(call(), a.id, 'two')).reordered).toBe(false);
    expect((await say(call(), b.id, 'three')).reordered).toBe(true);
    expect(names(call())).toEqual(['b', 'a', 'c']);
    expect(listWrites).toHaveLength(3);

    const restarted = instance(ports);
    expect(names(restarted())).toEqual(['b', 'a', 'c']);
    await say(restarted(), c.id, 'four');
    expect(names(restarted())).toEqual(['c', 'b', 'a']);
    // A chat made after the restart goes above every chat active before it.
    await restarted().create({ name: 'd' });
    expect(names(restarted())).toEqual(['d', 'c', 'b', 'a']);
    restarted().delete(b.id);
    expect(names(restarted())).toEqual(['d', 'c', 'a']);
    expect(names(instance(ports)())).toEqual(['d', 'c', 'a']);
  });

  it('keeps the order of a store written before the records carried it, and moves its chats as usual', async () => {
    const ports = memoryPorts();
    const call = instance(ports);
    const made = [];
    for (const name of ['x', 'y', 'z']) made.push(await call().create({ name }));
    // As such a store was: records without `active`, the list in order of activity (y, x, z).
    for (const chat of made) {
      const { active: _active, ...before } = call().get(chat.id);
      ports.labels.write(`chat/${chat.id}`, JSON.stringify(before));
    }
    const [x, y, z] = made.map((c) => c.id);
    ports.labels.write('chats', JSON.stringify({ v: 1, ids: [y, x, z] }));

    const old = instance(ports);
    expect(names(old())).toEqual(['y', 'x', 'z']);
    await say(old(), z!, 'back again');
    expect(names(old())).toEqual(['z', 'y', 'x']);
    expect(names(instance(ports)())).toEqual(['z', 'y', 'x']);
  });
});
