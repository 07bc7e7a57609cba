/**
 * Full-text search over every message of every chat, on every branch, with MiniSearch. What the
 * index must survive restarts with is kept in the store as a snapshot plus a journal of what came
 * after it: each append adds one small journal object (the message's words and a pointer to the
 * object before), so an append costs the same whatever the index size and needs no index in memory.
 * Once the journal reaches a quarter of the snapshot it is folded into a new snapshot, which bounds
 * both what a load replays and what snapshots cost per append. Anything missing or unreadable is
 * rebuilt from the DAG.
 */
import MiniSearch from 'minisearch';
import { z } from 'zod';
import type { Ports } from '../ports.js';
import type { AppendListener, ChatView, MessageSource } from '../chats/service.js';
import type { MessageId, MessageNode } from '../dag/node.js';
import { StoredMessageId } from '../ids.js';

const SNAPSHOT = 'search/snapshot';
const JOURNAL = 'search/journal';
/** 2: contents are no longer copied into the index (snippets read the DAG). */
const VERSION = 2;
/** A journal shorter than this is never folded into a snapshot. */
const MIN_JOURNAL_TO_FOLD = 200;

/** Only the words are indexed: the id `<chat>:<message>` says where they are. */
interface Doc {
  id: string;
  content: string;
}

export const SearchHit = z.object({
  chat_id: z.string(),
  chat_name: z.string(),
  message_id: StoredMessageId,
  role: z.string(),
  /** Around the first match; `highlights` are [start, end) ranges within it. */
  snippet: z.string(),
  highlights: z.array(z.tuple([z.number().int(), z.number().int()])),
  /** Whether the message is on the chat's selected branch (else choosing it switches branch). */
  on_selected_branch: z.boolean(),
  score: z.number(),
});
export type SearchHit = z.infer<typeof SearchHit>;

/**
 * Words are split on white space and punctuation, ASCII and the common Unicode blocks, written out
 * because the component's regex engine has no \p{…} classes (MiniSearch's default uses them).
 */
const SEPARATORS = /[\s!-/:-@[-`{-~\u00a0-\u00bf\u2000-\u206f\u3000-\u303f\ufe30-\ufe4f\uff00-\uff0f]+/;
const tokenize = (text: string) => text.split(SEPARATORS).filter((t) => t.length > 0);

const OPTIONS = {
  fields: ['content'],
  tokenize,
  storeFields: [],
  // Prefix and typo matching widen a query to many more documents, and every match is scored inside
  // the component's interpreter: keep them for words long enough to need them.
  searchOptions: {
    prefix: (term: string) => term.length >= 3,
    fuzzy: (term: string) => (term.length >= 6 ? 0.15 : false),
    combineWith: 'AND' as const,
    tokenize,
  },
};

/**
 * One journal object: documents added together (`<chat>:<message>` and its text), how many the
 * journal holds with them (`n`), how many the snapshot holds (`docs`), and the object before.
 */
const JournalEntry = z.object({
  add: z.array(z.tuple([z.string(), z.string()])),
  n: z.number().int().nonnegative(),
  docs: z.number().int().nonnegative(),
  prev: z.string().nullable(),
});
type JournalHead = { ref: string | null; n: number; docs: number };
const decoder = new TextDecoder();

function snippetOf(content: string, terms: string[]): { snippet: string; highlights: [number, number][] } {
  const lower = content.toLowerCase();
  const positions = terms.map((t) => lower.indexOf(t.toLowerCase())).filter((i) => i >= 0);
  const first = positions.length ? Math.min(...positions) : 0;
  const start = Math.max(0, first - 60);
  const end = Math.min(content.length, first + 140);
  const snippet = `${start > 0 ? '…' : ''}${content.slice(start, end)}${end < content.length ? '…' : ''}`;
  const highlights: [number, number][] = [];
  const lowSnippet = snippet.toLowerCase();
  for (const term of terms) {
    for (let i = lowSnippet.indexOf(term.toLowerCase()); i >= 0 && term.length > 0; i = lowSnippet.indexOf(term.toLowerCase(), i + term.length)) {
      highlights.push([i, i + term.length]);
    }
  }
  return { snippet, highlights: highlights.sort((a, b) => a[0] - b[0]) };
}

/** Chat ids are UUIDs and message ids CIDs: neither holds a colon. */
const keyOf = (chatId: string, id: string) => `${chatId}:${id}`;
function splitKey(key: string): { chatId: string; id: MessageId } {
  const at = key.lastIndexOf(':');
  return { chatId: key.slice(0, at), id: key.slice(at + 1) as MessageId };
}

export class SearchIndex implements AppendListener {
  private index?: MiniSearch<Doc>;
  /** The newest journal object as this instance last wrote or read it. */
  private head?: JournalHead;

  constructor(private readonly ports: Ports) {}

  private readText(ref: string): string {
    return decoder.decode(this.ports.content.get(ref));
  }

  /** Loads the snapshot and replays the journal; rebuilds from the DAG when either is missing or unreadable. */
  private async ready(chats: MessageSource): Promise<MiniSearch<Doc>> {
    if (this.index) return this.index;
    try {
      const snapshotRef = this.ports.labels.get(SNAPSHOT);
      if (snapshotRef !== undefined) {
        const parsed = JSON.parse(this.readText(snapshotRef)) as { v?: number; index?: unknown };
        if (parsed.v === VERSION && parsed.index) {
          const index = MiniSearch.loadJS<Doc>(parsed.index as Parameters<typeof MiniSearch.loadJS>[0], OPTIONS);
          for (const [key, content] of this.readJournal()) if (!index.has(key)) index.add({ id: key, content });
          this.index = index;
          this.foldIfLong();
          return index;
        }
      }
    } catch (e) {
      this.ports.log.warn(`search index unreadable, rebuilding it: ${e instanceof Error ? e.message : String(e)}`);
    }
    return this.rebuild(chats);
  }

  /** Oldest first. */
  private readJournal(): [string, string][] {
    const batches: [string, string][][] = [];
    const seen = new Set<string>();
    for (let ref = this.ports.labels.get(JOURNAL) ?? null; ref !== null; ) {
      if (seen.has(ref)) throw new Error('the search journal has a cycle');
      seen.add(ref);
      const entry = JournalEntry.parse(JSON.parse(this.readText(ref)));
      batches.push(entry.add);
      ref = entry.prev;
    }
    return batches.reverse().flat();
  }

  /** An unreadable head counts as an overlong journal: the next append folds it (a rebuild, here). */
  private readHead(): JournalHead {
    const ref = this.ports.labels.get(JOURNAL);
    if (ref === undefined) return { ref: null, n: 0, docs: 0 };
    const entry = JournalEntry.safeParse(JSON.parse(this.readText(ref)));
    return entry.success ? { ref, n: entry.data.n, docs: entry.data.docs } : { ref, n: Number.MAX_SAFE_INTEGER, docs: 0 };
  }

  async rebuild(chats: MessageSource): Promise<MiniSearch<Doc>> {
    const index = new MiniSearch<Doc>(OPTIONS);
    for (const chat of chats.list()) {
      const { nodes } = await chats.tree(chat.id, 100_000);
      for (const { id } of nodes) {
        const key = keyOf(chat.id, id);
        const node = await chats.node(id).catch(() => undefined);
        if (node && node.role !== 'error' && !index.has(key)) index.add({ id: key, content: node.content });
      }
    }
    this.index = index;
    this.snapshot();
    return index;
  }

  private snapshot(): void {
    if (!this.index) return;
    this.ports.labels.write(SNAPSHOT, JSON.stringify({ v: VERSION, index: this.index }));
    // A crash before this line leaves a journal the snapshot already holds: replaying it adds nothing.
    this.writeHead([], { ref: null, n: 0, docs: this.index.documentCount });
  }

  private writeHead(add: [string, string][], head: JournalHead): void {
    const entry = { add, n: head.n, docs: head.docs, prev: head.ref };
    this.head = { ...head, ref: this.ports.labels.write(JOURNAL, JSON.stringify(entry)) };
  }

  private foldIfLong(): void {
    if (this.index && this.isLong(this.head ?? this.readHead())) this.snapshot();
  }

  private isLong(head: JournalHead): boolean {
    return head.n >= Math.max(MIN_JOURNAL_TO_FOLD, head.docs / 4);
  }

  /** Called on every append (and with many messages for an import): one store object and one label. */
  async added(chats: MessageSource, chatId: string, messages: { id: MessageId; node: MessageNode }[]): Promise<void> {
    const docs = messages.filter(({ node }) => node.role !== 'error').map(({ id, node }): [string, string] => [keyOf(chatId, id), node.content]);
    if (docs.length === 0) return;
    const head = this.head ?? this.readHead();
    this.writeHead(docs, { ref: head.ref, n: Math.min(head.n + docs.length, Number.MAX_SAFE_INTEGER), docs: head.docs });
    if (this.index) {
      for (const [key, content] of docs) if (!this.index.has(key)) this.index.add({ id: key, content });
      this.foldIfLong();
    } else if (this.isLong(this.head!)) {
      // Loading replays the journal and folds it: rare (a quarter of the index apart), and bounded.
      // The message is journaled already; a failing fold must not fail the message.
      await this.ready(chats).catch((e: unknown) => this.ports.log.warn(`search index not folded: ${e instanceof Error ? e.message : String(e)}`));
    }
  }

  async search(chats: MessageSource, query: string, limit = 20): Promise<SearchHit[]> {
    const index = await this.ready(chats);
    const names = new Map<string, ChatView>(chats.list().map((c) => [c.id, c]));
    const raw: { chatId: string; id: MessageId; terms: string[]; score: number }[] = [];
    for (const r of index.search(query)) {
      const key = splitKey(r.id as string);
      if (names.has(key.chatId)) raw.push({ ...key, terms: r.terms, score: r.score });
      if (raw.length === limit) break;
    }
    const onBranch = new Map<string, (id: MessageId) => Promise<boolean>>();
    const hits: SearchHit[] = [];
    for (const r of raw) {
      const chat = names.get(r.chatId)!;
      let isOnBranch = onBranch.get(chat.id);
      if (!isOnBranch) onBranch.set(chat.id, (isOnBranch = chats.onSelectedBranch(chat.id)));
      const node = await chats.node(r.id);
      const { snippet, highlights } = snippetOf(node.content, r.terms);
      hits.push({
        chat_id: chat.id,
        chat_name: chat.name,
        message_id: r.id,
        role: node.role,
        snippet,
        highlights,
        on_selected_branch: await isOnBranch(r.id),
        score: r.score,
      });
    }
    return hits;
  }
}
