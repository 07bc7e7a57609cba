/**
 * What the search index keeps in the store, so that it survives restarts without being in memory:
 * - `search/snapshot`: MiniSearch's own form of the index, written when the index is in memory;
 * - `search/pending`: documents indexed nowhere yet, folded from the journal while nobody searches,
 *   one batch object per fold pointing at the batch before (a fold never rewrites older ones);
 * - `search/journal`: one small object per append (the message's words, a pointer to the one before).
 * A crash between two of these writes leaves a document in two places: loading skips the second.
 */
import { z } from 'zod';
import type { Ports } from '../ports.js';

export const SNAPSHOT = 'search/snapshot';
const JOURNAL = 'search/journal';
const PENDING = 'search/pending';

/** `<chat>:<message>` and the message's text. */
export type Doc = [key: string, content: string];

/**
 * One journal object: documents added together, how many the journal holds with them (`n`), how
 * many the snapshot holds (`docs`) and the pending object (`pend`), and the object before.
 */
const JournalEntry = z.object({
  add: z.array(z.tuple([z.string(), z.string()])),
  n: z.number().int().nonnegative(),
  docs: z.number().int().nonnegative(),
  pend: z.number().int().nonnegative().optional(),
  prev: z.string().nullable(),
});
export type JournalHead = { ref: string | null; n: number; docs: number; pend: number };

const PendingBatch = z.object({ docs: z.array(z.tuple([z.string(), z.string()])), prev: z.string().nullable() });

const decoder = new TextDecoder();

export class StoredSearch {
  constructor(private readonly ports: Ports) {}

  readText(ref: string): string {
    return decoder.decode(this.ports.content.get(ref));
  }

  /** Oldest first. */
  journal(): Doc[] {
    return this.chain(JOURNAL, JournalEntry, (entry) => entry.add);
  }

  /** A chain of objects from the one a label names back through `prev`, their documents oldest first. */
  private chain<T extends { prev: string | null }>(label: string, schema: z.ZodType<T>, docsOf: (entry: T) => Doc[]): Doc[] {
    const batches: Doc[][] = [];
    const seen = new Set<string>();
    for (let ref = this.ports.labels.get(label) ?? null; ref !== null; ) {
      if (seen.has(ref)) throw new Error(`${label} has a cycle`);
      seen.add(ref);
      const entry = schema.parse(JSON.parse(this.readText(ref)));
      batches.push(docsOf(entry));
      ref = entry.prev;
    }
    return batches.reverse().flat();
  }

  /** An unreadable head counts as an overlong journal: the next append folds it (from the DAG, as it cannot be read). */
  head(): JournalHead {
    const ref = this.ports.labels.get(JOURNAL);
    if (ref === undefined) return { ref: null, n: 0, docs: 0, pend: 0 };
    let entry;
    try {
      entry = JournalEntry.safeParse(JSON.parse(this.readText(ref)));
    } catch {
      entry = undefined;
    }
    return entry?.success ? { ref, n: entry.data.n, docs: entry.data.docs, pend: entry.data.pend ?? 0 } : { ref, n: Number.MAX_SAFE_INTEGER, docs: 0, pend: 0 };
  }

  /** Adds a journal object after `head.ref`, or (no documents, no ref) starts an empty journal. */
  writeHead(add: Doc[], head: JournalHead): JournalHead {
    const entry = { add, n: head.n, docs: head.docs, ...(head.pend ? { pend: head.pend } : {}), prev: head.ref };
    return { ...head, ref: this.ports.labels.write(JOURNAL, JSON.stringify(entry)) };
  }

  hasPending(): boolean {
    return this.ports.labels.get(PENDING) !== undefined;
  }

  pending(): Doc[] {
    return this.chain(PENDING, PendingBatch, (batch) => batch.docs);
  }

  addPending(docs: Doc[]): void {
    this.ports.labels.write(PENDING, JSON.stringify({ docs, prev: this.ports.labels.get(PENDING) ?? null }));
  }

  /** Once a snapshot holds them. */
  dropPending(): void {
    if (this.hasPending()) this.ports.labels.remove(PENDING);
  }
}
