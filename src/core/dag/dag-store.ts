/**
 * The DAG on top of the store port. Every lookup is a fixed number of store calls:
 * `node/<cid>` names a node's bytes, `kids/<chat>/<cid|root>` the children a chat has given a node,
 * `pack/<cid>` a copy of a pack point's run of ancestors (packs.ts).
 */
import { z } from 'zod';
import type { Ports } from '../ports.js';
import { AppError } from '../errors.js';
import { decodeNode, encodeNode, idOf, type MessageId, type MessageNode } from './node.js';
import { NodeCache } from './cache.js';
import { StoredMessageId } from '../ids.js';
import { readVerified } from '../verified-read.js';
import { encodePack, framedLength, isPackPoint, MAX_PACK_BYTES, MAX_PACK_NODES, packLabel, unpack } from './packs.js';

const KidList = z.array(StoredMessageId).max(100_000);

const decoder = new TextDecoder();

export type ParentKey = MessageId | null;

export class Dag {
  constructor(
    private readonly ports: Ports,
    private readonly cache = new NodeCache(0),
  ) {}

  async put(node: MessageNode): Promise<MessageId> {
    const bytes = encodeNode(node);
    const id = await idOf(bytes);
    this.ports.labels.write(`node/${id}`, bytes);
    this.cache.set(id, node, bytes.length);
    if (isPackPoint(id)) this.writePack(id, bytes, node.parent);
    return id;
  }

  /**
   * Copies the run above a new pack point into its pack, from what the cache holds: the path was
   * just read or written (a reply's request is built from it), so this costs one host call per
   * ~32 appends. An ancestor not cached ends the run there rather than cost a read. A message can
   * be put again (the same error under the same parent has the same id) by an instance that has
   * cached less of its path: a pack is only replaced by a longer one.
   */
  private writePack(id: MessageId, bytes: Uint8Array, parent: MessageId | null): void {
    const run = [bytes];
    let size = framedLength(bytes);
    for (let at = parent; at !== null && !isPackPoint(at) && run.length < MAX_PACK_NODES; ) {
      const node = this.cache.get(at);
      if (!node) break;
      const encoded = encodeNode(node);
      if ((size += framedLength(encoded)) > MAX_PACK_BYTES) break;
      run.push(encoded);
      at = node.parent;
    }
    if (run.length < 2) return;
    try {
      if (run.length <= this.packedRunLength(id)) return;
      this.ports.labels.write(packLabel(id), encodePack(run));
    } catch {
      // Only a copy: the node itself is written, and a read without the pack walks node by node.
    }
  }

  /** How many nodes the pack stored for this id holds: 0 when there is none. */
  private packedRunLength(id: MessageId): number {
    const ref = this.ports.labels.get(packLabel(id));
    return ref === undefined ? 0 : unpack(this.ports.content.get(ref)).length;
  }

  /**
   * The node and as many of its ancestors as its pack holds, each checked against the id its child
   * names (the first against `id`), into the cache. Undefined when there is no usable pack.
   */
  private async fromPack(id: MessageId): Promise<MessageNode | undefined> {
    let pack: Uint8Array;
    try {
      const ref = this.ports.labels.get(packLabel(id));
      if (ref === undefined) return undefined;
      pack = this.ports.content.get(ref);
    } catch {
      return undefined;
    }
    let first: MessageNode | undefined;
    let expected: MessageId | null = id;
    for (const bytes of unpack(pack)) {
      if (expected === null || (await idOf(bytes)) !== expected) break;
      let node: MessageNode;
      try {
        node = decodeNode(bytes, expected);
      } catch {
        break;
      }
      this.cache.set(expected, node, bytes.length);
      first ??= node;
      expected = node.parent;
    }
    return first;
  }

  has(id: MessageId): boolean {
    return this.ports.labels.get(`node/${id}`) !== undefined;
  }

  /** The bytes are checked against the id on every read: a corrupt object is reported, never served. */
  async get(id: MessageId): Promise<MessageNode> {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const packed = isPackPoint(id) ? await this.fromPack(id) : undefined;
    if (packed) return packed;
    const bytes = await this.ownBytes(id);
    const node = decodeNode(bytes, id);
    this.cache.set(id, node, bytes.length);
    return node;
  }

  /** The node's own stored bytes, checked, past the cache and any pack: what a store check must look at. */
  async stored(id: MessageId): Promise<MessageNode> {
    return decodeNode(await this.ownBytes(id), id);
  }

  private ownBytes(id: MessageId): Promise<Uint8Array> {
    return readVerified(this.ports, `node/${id}`, 'message', idOf, id);
  }

  /** A frozen list: copy it to change it. */
  kids(chatId: string, parent: ParentKey): readonly MessageId[] {
    const label = kidsLabel(chatId, parent);
    const ref = this.ports.labels.get(label);
    if (ref === undefined) return [];
    const known = this.cache.parsed.get<MessageId[]>(label, ref);
    if (known) return known;
    let parsed;
    try {
      parsed = KidList.safeParse(JSON.parse(decoder.decode(this.ports.content.get(ref))));
    } catch {
      parsed = undefined;
    }
    if (!parsed?.success) throw new AppError('corrupt_object', `the branch index of chat ${chatId} is damaged`);
    return this.cache.parsed.set(label, ref, parsed.data as MessageId[]);
  }

  setKids(chatId: string, parent: ParentKey, kids: readonly MessageId[]): void {
    const label = kidsLabel(chatId, parent);
    this.cache.parsed.set(label, this.ports.labels.write(label, JSON.stringify(kids)), kids);
  }
}

function kidsLabel(chatId: string, parent: ParentKey): string {
  return `kids/${chatId}/${parent ?? 'root'}`;
}
