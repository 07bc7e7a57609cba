import { describe, expect, it } from 'vitest';
import { Dag } from '../../src/core/dag/dag-store.js';
import { NodeCache } from '../../src/core/dag/cache.js';
import { encodeNode, idOf, type MessageId, type MessageNode } from '../../src/core/dag/node.js';
import { encodePack, isPackPoint, packLabel, unpack } from '../../src/core/dag/packs.js';
import { STORE_KINDS, type TestPorts } from '../helpers/store-ports.js';
import { fsck } from '../../src/host/fsck.js';
import type { BlobId } from '../../src/core/ids.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const encoder = new TextEncoder();

/** A branch of `length` messages written as an instance writes them (its cache holding the path). */
async function writeBranch(ports: TestPorts, length: number): Promise<MessageId[]> {
  const dag = new Dag(ports, new NodeCache());
  const ids: MessageId[] = [];
  let parent: MessageId | null = null;
  for (let i = 0; i < length; i++) {
    parent = await dag.put({ v: 1, parent, role: i % 2 ? 'assistant' : 'user', content: `message ${i}`, meta: {} });
    ids.push(parent);
  }
  return ids;
}

/** The store as a fresh instance sees it, counting the contents it asks for. */
function counting(ports: TestPorts): { ports: TestPorts; reads: () => number } {
  let reads = 0;
  const get = ports.content.get.bind(ports.content);
  return { ports: { ...ports, content: { ...ports.content, get: (ref) => (reads++, get(ref)) } }, reads: () => reads };
}

/** Walks from the leaf to the root on a fresh cache, as a first read after a start does. */
async function walk(ports: TestPorts, leaf: MessageId): Promise<{ id: MessageId; node: MessageNode }[]> {
  const dag = new Dag(ports, new NodeCache());
  const path = [];
  for (let at: MessageId | null = leaf; at !== null; ) {
    const node = await dag.get(at);
    path.push({ id: at, node });
    at = node.parent;
  }
  return path.reverse();
}

describe('pack encoding', () => {
  it('gives back the nodes it holds, and only whole ones from a pack cut short', () => {
    const nodes = ['one', 'two two', 'three three three'].map((t) => encoder.encode(t));
    const pack = encodePack(nodes);
    expect(unpack(pack)).toEqual(nodes);
    expect(unpack(pack.subarray(0, pack.length - 1))).toEqual(nodes.slice(0, 2));
    expect(unpack(new Uint8Array(0))).toEqual([]);
  });
});

describe.each(STORE_KINDS)('a first read of a long branch ($name store)', ({ make }) => {
  it('takes whole runs of the branch from packs: far fewer reads than messages, the same messages', async () => {
    const ports = make();
    const ids = await writeBranch(ports, 400);
    const points = ids.filter(isPackPoint);
    expect(points.length).toBeGreaterThan(4);
    const { ports: fresh, reads } = counting(ports);
    const path = await walk(fresh, ids.at(-1)!);
    expect(path.map((p) => p.id)).toEqual(ids);
    expect(path.map((p) => p.node.content)).toEqual(ids.map((_, i) => `message ${i}`));
    // Without packs: one content read per message.
    expect(reads()).toBeLessThan(ids.length / 5);
  });

  it('never serves what a damaged or swapped pack holds: those messages are read on their own', async () => {
    const ports = make();
    const ids = await writeBranch(ports, 300);
    const [point, next] = ids.filter(isPackPoint).reverse();
    expect(point && next).toBeTruthy();
    const label = packLabel(point!);
    const nodes = unpack(ports.content.get(ports.labels.get(label)!));
    expect(nodes.length).toBeGreaterThan(2);
    // One message's text changed inside the pack, another message's bytes put in the place of the next.
    const tampered = encoder.encode(new TextDecoder().decode(nodes[1]).replace('message', 'massage'));
    const swapped = encodeNode({ v: 1, parent: null, role: 'user', content: 'not from this chat', meta: {} });
    ports.labels.set(label, ports.content.put(encodePack([nodes[0]!, tampered, swapped, ...nodes.slice(3)])));
    const path = await walk(ports, ids.at(-1)!);
    expect(path.map((p) => p.id)).toEqual(ids);
    expect(path.map((p) => p.node.content)).toEqual(ids.map((_, i) => `message ${i}`));
  });

  it('never serves another run: a whole pack put under the wrong pack point, or its first message damaged', async () => {
    const ports = make();
    const ids = await writeBranch(ports, 300);
    const [point, next] = ids.filter(isPackPoint).reverse();
    const label = packLabel(point!);
    const own = unpack(ports.content.get(ports.labels.get(label)!));
    ports.labels.set(label, ports.labels.get(packLabel(next!))!);
    let path = await walk(ports, ids.at(-1)!);
    expect(path.map((p) => p.id)).toEqual(ids);
    expect(path.map((p) => p.node.content)).toEqual(ids.map((_, i) => `message ${i}`));
    const damaged = encoder.encode(new TextDecoder().decode(own[0]).replace('message', 'massage'));
    ports.labels.set(label, ports.content.put(encodePack([damaged, ...own.slice(1)])));
    path = await walk(ports, ids.at(-1)!);
    expect(path.map((p) => p.node.content)).toEqual(ids.map((_, i) => `message ${i}`));
  });

  it('reads past a pack it cannot look up', async () => {
    const ports = make();
    const ids = await writeBranch(ports, 100);
    const labels = {
      ...ports.labels,
      get: (label: string) => {
        if (label.startsWith('pack/')) throw new Error('store unavailable');
        return ports.labels.get(label);
      },
    };
    const path = await walk({ ...ports, labels }, ids.at(-1)!);
    expect(path.map((p) => p.node.content)).toEqual(ids.map((_, i) => `message ${i}`));
  });

  it('keeps its pack when a message is put again by an instance that remembers less of the path', async () => {
    const ports = make();
    const ids = await writeBranch(ports, 200);
    const runLength = (id: MessageId) => unpack(ports.content.get(ports.labels.get(packLabel(id))!)).length;
    const point = ids.filter(isPackPoint).reduce((a, b) => (runLength(b) > runLength(a) ? b : a));
    const label = packLabel(point);
    const before = runLength(point);
    expect(before).toBeGreaterThan(2);
    // A fresh instance that has read only the point's own file and its parent puts the same message again.
    const fresh = new Dag(ports, new NodeCache());
    const node = await fresh.stored(point);
    await fresh.get(node.parent!);
    expect(await fresh.put(node)).toBe(point);
    expect(ports.labels.get(label)).toBeDefined();
    expect(unpack(ports.content.get(ports.labels.get(label)!))).toHaveLength(before);
  });

  it('is not needed: a store whose packs are gone reads the same branch node by node', async () => {
    const ports = make();
    const ids = await writeBranch(ports, 120);
    for (const id of ids.filter(isPackPoint)) ports.labels.remove(packLabel(id));
    const { ports: fresh, reads } = counting(ports);
    expect((await walk(fresh, ids.at(-1)!)).map((p) => p.node.content)).toEqual(ids.map((_, i) => `message ${i}`));
    expect(reads()).toBe(ids.length);
  });
});

describe('packs written after a start', () => {
  it('hold the bytes the messages were stored as, when the instance read them back from the store', async () => {
    const ports = STORE_KINDS[0]!.make();
    const first = new Dag(ports, new NodeCache());
    const cid = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy' as BlobId;
    const shapes: Omit<MessageNode, 'v' | 'parent'>[] = [
      { role: 'user', content: 'with a file', meta: { created_at: '2026-12-06T10:00:00Z' }, attachments: [{ cid, kind: 'image', media_type: 'image/png', name: 'a.png', size: 10, width: 2, height: 3 }] },
      { role: 'assistant', content: 'thought', meta: { model: 'm', usage: { input_tokens: 5, output_tokens: 7, thinking_tokens: 2 }, stop_reason: 'end_turn' }, blocks: [{ type: 'thinking', thinking: 'hm', signature: 'sig' }, { type: 'text', text: 'thought', citations: [{ url: 'u' }] }] },
      { role: 'error', content: 'failed', meta: { error_code: 'overloaded' } },
      { role: 'user', content: 'é “quotes” 🙂 \u0000', meta: {} },
    ];
    let leaf: MessageId | null = null;
    for (const shape of shapes) leaf = await first.put({ v: 1, parent: leaf, ...shape });
    // A fresh instance reads the path back, then a message lands on a pack point above it.
    const second = new Dag(ports, new NodeCache());
    for (let at: MessageId | null = leaf; at !== null; ) at = (await second.get(at)).parent;
    let point: MessageId;
    for (let i = 0; ; i++) {
      point = await second.put({ v: 1, parent: leaf, role: 'user', content: `try ${i}`, meta: {} });
      if (isPackPoint(point)) break;
    }
    const pack = unpack(ports.content.get(ports.labels.get(packLabel(point))!));
    expect(pack).toHaveLength(1 + shapes.length);
    const ids = await Promise.all(pack.map((bytes) => idOf(bytes)));
    const path: MessageId[] = [];
    for (let at: MessageId | null = point; at !== null; ) (path.push(at), (at = (await second.get(at)).parent));
    expect(ids).toEqual(path);
  });
});

describe('fsck over a store with packs', () => {
  it('reports every damaged message file, even one a pack holds a good copy of', async () => {
    const ports = STORE_KINDS.find((k) => k.name === 'file')!.make();
    const ids = await writeBranch(ports, 200);
    // Pack points and messages in their runs: a good copy of each is in a pack.
    const packed = ids.filter((id, i) => ids.slice(i).some(isPackPoint));
    expect(packed.length).toBeGreaterThan(50);
    for (const id of packed) {
      const file = join(ports.root!, 'theater-chat', 'data', ports.labels.get(`node/${id}`)!);
      const rotted = readFileSync(file);
      rotted[rotted.length - 3]! ^= 0x01;
      writeFileSync(file, rotted);
    }
    const report = await fsck(ports.root!);
    expect(report.problems.filter((p) => /does not match its id/.test(p))).toHaveLength(packed.length);
    expect(report.messages).toBe(ids.length - packed.length);
  });
});
