import { describe, expect, it } from 'vitest';
import { NodeCache } from '../../src/core/dag/cache.js';
import type { MessageId, MessageNode } from '../../src/core/dag/node.js';

const node = (content: string) => ({ role: 'user', content, parent: null }) as unknown as MessageNode;
const id = (n: number) => `id${n}` as MessageId;

describe('the node cache', () => {
  it('is bounded by the bytes of the nodes it holds, not by their number, dropping the oldest first', () => {
    const cache = new NodeCache(10_000);
    for (let n = 0; n < 100; n++) cache.set(id(n), node('x'), 100);
    expect(cache.size).toBe(100);
    // One long reply takes the room of many short messages.
    cache.set(id(100), node('long'), 6_000);
    expect(cache.size).toBe(41);
    expect(cache.get(id(59))).toBeUndefined();
    expect(cache.get(id(60))?.content).toBe('x');
    expect(cache.get(id(100))?.content).toBe('long');
  });

  it('keeps nothing larger than its bound, and nothing at all when its bound is 0', () => {
    const cache = new NodeCache(1_000);
    cache.set(id(1), node('small'), 10);
    cache.set(id(2), node('huge'), 1_001);
    expect(cache.get(id(2))).toBeUndefined();
    expect(cache.get(id(1))?.content).toBe('small');
    const none = new NodeCache(0);
    none.set(id(1), node('small'), 10);
    expect(none.size).toBe(0);
    expect(none.parsed.set('chats', 'ref', { a: 1 })).toEqual({ a: 1 });
    expect(none.parsed.get('chats', 'ref')).toBeUndefined();
  });
});

describe('parsed records', () => {
  it('keep one value per label: the version a label names now, never an older one', () => {
    const cache = new NodeCache();
    cache.parsed.set('chats', 'ref1', ['a']);
    expect(cache.parsed.get('chats', 'ref1')).toEqual(['a']);
    cache.parsed.set('chats', 'ref2', ['a', 'b']);
    expect(cache.parsed.get('chats', 'ref2')).toEqual(['a', 'b']);
    // The label moved on: its old version is gone, even asked for by its ref.
    expect(cache.parsed.get('chats', 'ref1')).toBeUndefined();
    // Frozen: a caller cannot change the next reader's answer.
    expect(Object.isFrozen(cache.parsed.get('chats', 'ref2'))).toBe(true);
  });
});
