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
    expect(none.parsed.set('ref', { a: 1 })).toEqual({ a: 1 });
    expect(none.parsed.get('ref')).toBeUndefined();
  });
});
