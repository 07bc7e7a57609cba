/**
 * Verified nodes kept in memory by whoever holds this (the actor instance, between calls).
 * Nodes are immutable and checked against their id when read from the store, so a cached node
 * never goes stale; the bound keeps a long-lived instance from growing without limit.
 */
import type { MessageId, MessageNode } from './node.js';

export class NodeCache {
  private nodes = new Map<MessageId, MessageNode>();

  constructor(private readonly maxEntries = 20_000) {}

  /** First in, first out: cheaper per hit than LRU bookkeeping, which costs inside the component. */
  get(id: MessageId): MessageNode | undefined {
    return this.nodes.get(id);
  }

  set(id: MessageId, node: MessageNode): void {
    if (this.nodes.has(id)) return;
    this.nodes.set(id, node);
    if (this.nodes.size > this.maxEntries) this.nodes.delete(this.nodes.keys().next().value as MessageId);
  }

  get size(): number {
    return this.nodes.size;
  }
}
