/**
 * Verified nodes kept in memory by whoever holds this (the actor instance, between calls).
 * Nodes are immutable and checked against their id when read from the store, so a cached node
 * never goes stale; the bound keeps a long-lived instance from growing without limit.
 */
import type { MessageId, MessageNode } from './node.js';

/** The chats in order of last activity and the largest `active` given, once read (chats/record.ts). */
export interface KnownOrder {
  ids?: string[];
  top: number;
}

export class NodeCache {
  private nodes = new Map<MessageId, { node: MessageNode; bytes: number }>();
  private bytes = 0;
  /** Chat records, the chat list and branch indexes, parsed, by the content ref their label named. */
  readonly parsed: ParsedRefs;
  readonly chatOrder: KnownOrder = { top: 0 };

  /**
   * Bounded by the nodes' encoded size, not their number: one reply can be 100 KB, so a count
   * bounds nothing. Nothing cached (a cache that takes nothing) when `maxBytes` is 0.
   */
  constructor(private readonly maxBytes = 8 * 1024 * 1024) {
    this.parsed = new ParsedRefs(maxBytes === 0 ? 0 : PARSED_ENTRIES);
  }

  /** First in, first out: cheaper per hit than LRU bookkeeping, which costs inside the component. */
  get(id: MessageId): MessageNode | undefined {
    return this.nodes.get(id)?.node;
  }

  /** `bytes`: the node's encoded size, what it costs the cache. */
  set(id: MessageId, node: MessageNode, bytes: number): void {
    if (this.nodes.has(id) || bytes > this.maxBytes) return;
    this.nodes.set(id, { node, bytes });
    this.bytes += bytes;
    for (const [oldest, entry] of this.nodes) {
      if (this.bytes <= this.maxBytes) break;
      this.nodes.delete(oldest);
      this.bytes -= entry.bytes;
    }
  }

  get size(): number {
    return this.nodes.size;
  }
}

/** About a chat record and a few branch indexes for each of the chats in use. */
const PARSED_ENTRIES = 2_000;

/**
 * Small mutable things (a chat's record, the chat list, a branch index) are read through a label,
 * then fetched, decoded and checked with zod: most of an append's guest time inside the component.
 * The label still says which content is current; the content behind a ref never changes, so what
 * was parsed from it never goes stale. One value per label: an older version (the chat list is
 * rewritten at nearly every append) is dropped, not kept until the bound pushes it out. Values are
 * frozen: a caller changing one would change it for every later read.
 */
export class ParsedRefs {
  private values = new Map<string, { ref: string; value: unknown }>();

  constructor(private readonly maxEntries: number) {}

  /** What was parsed from `ref` when `label` last named it. */
  get<T>(label: string, ref: string): T | undefined {
    const known = this.values.get(label);
    return known?.ref === ref ? (known.value as T) : undefined;
  }

  set<T>(label: string, ref: string, value: T): T {
    if (this.maxEntries === 0) return value;
    const frozen = deepFreeze(value);
    this.values.delete(label);
    this.values.set(label, { ref, value: frozen });
    if (this.values.size > this.maxEntries) this.values.delete(this.values.keys().next().value as string);
    return frozen;
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
