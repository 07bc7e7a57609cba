/**
 * The DAG on top of the store port. Every lookup is a fixed number of store calls:
 * `node/<cid>` names a node's bytes, `kids/<chat>/<cid|root>` the children a chat has given a node.
 */
import { z } from 'zod';
import type { Ports } from '../ports.js';
import { AppError } from '../errors.js';
import { decodeNode, encodeNode, idOf, type MessageId, type MessageNode } from './node.js';
import { NodeCache } from './cache.js';
import { StoredMessageId } from '../ids.js';
import { readVerified } from '../verified-read.js';

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
    return id;
  }

  has(id: MessageId): boolean {
    return this.ports.labels.get(`node/${id}`) !== undefined;
  }

  /** The bytes are checked against the id on every read: a corrupt object is reported, never served. */
  async get(id: MessageId): Promise<MessageNode> {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const bytes = await readVerified(this.ports, `node/${id}`, 'message', idOf, id);
    const node = decodeNode(bytes, id);
    this.cache.set(id, node, bytes.length);
    return node;
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
