/**
 * Full-text search over every message of every chat, on every branch, with MiniSearch. The index
 * lives in memory once somebody searches. What it must survive restarts with is kept in the store as
 * a snapshot plus a journal of what came after it: each append adds one small journal object that
 * points at the one before, so an append costs the same whatever the index size, and needs no index
 * in memory at all. The journal is folded into a new snapshot when it has grown to a quarter of the
 * index, which keeps both the replay and the snapshot cost per append bounded. Anything missing or
 * unreadable is rebuilt from the DAG.
 */
import MiniSearch from 'minisearch';
import { z } from 'zod';
import type { Ports } from '../ports.js';
import type { ChatService } from '../chats/service.js';
import type { MessageId, MessageNode } from '../dag/node.js';

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

export interface SearchHit {
  chat_id: string;
  chat_name: string;
  message_id: MessageId;
  role: string;
  /** Around the first match; `highlights` are [start, end) ranges within it. */
  snippet: string;
  highlights: [number, number][];
  /** Whether the message is on the chat's selected branch (else choosing it switches branch). */
  on_selected_branch: boolean;
  score: number;
}

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

/** One journal object: messages added together, and the journal object before it (none: the snapshot). */
const JournalEntry = z.object({ add: z.array(z.tuple([z.string(), z.string()])), prev: z.string().nullable() });
const encoder = new TextEncoder();
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

export class SearchIndex {
  private index?: MiniSearch<Doc>;
  /** Messages journaled since the last snapshot (known once the journal has been read). */
  private journalLength = 0;

  constructor(private readonly ports: Ports) {}

  private readText(ref: string): string {
    return decoder.decode(this.ports.content.get(ref));
  }

  private writeText(text: string): string {
    return this.ports.content.put(encoder.encode(text));
  }

  /** Loads the snapshot and replays the journal; rebuilds from the DAG when either is missing or unreadable. */
  private async ready(chats: ChatService): Promise<MiniSearch<Doc>> {
    if (this.index) return this.index;
    try {
      const snapshotRef = this.ports.labels.get(SNAPSHOT);
      if (snapshotRef !== undefined) {
        const parsed = JSON.parse(this.readText(snapshotRef)) as { v?: number; index?: unknown };
        if (parsed.v === VERSION && parsed.index) {
          const index = MiniSearch.loadJS<Doc>(parsed.index as Parameters<typeof MiniSearch.loadJS>[0], OPTIONS);
          const journal = this.readJournal();
          for (const [chat, id] of journal) await this.addTo(index, chats, chat, id as MessageId);
          this.index = index;
          this.journalLength = journal.length;
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

  private async addTo(index: MiniSearch<Doc>, chats: ChatService, chatId: string, id: MessageId, node?: MessageNode): Promise<void> {
    const key = keyOf(chatId, id);
    if (index.has(key)) return;
    const n = node ?? (await chats.dag.get(id).catch(() => undefined));
    if (!n || n.role === 'error') return;
    index.add({ id: key, content: n.content });
  }

  async rebuild(chats: ChatService): Promise<MiniSearch<Doc>> {
    const index = new MiniSearch<Doc>(OPTIONS);
    for (const chat of chats.list()) {
      const { nodes } = await chats.tree(chat.id, 100_000);
      for (const n of nodes) await this.addTo(index, chats, chat.id, n.id);
    }
    this.index = index;
    this.snapshot();
    return index;
  }

  private snapshot(): void {
    if (!this.index) return;
    this.ports.labels.set(SNAPSHOT, this.writeText(JSON.stringify({ v: VERSION, index: this.index })));
    // A crash before this line leaves a journal the snapshot already holds: replaying it adds nothing.
    this.ports.labels.remove(JOURNAL);
    this.journalLength = 0;
  }

  private foldIfLong(): void {
    if (this.index && this.journalLength >= Math.max(MIN_JOURNAL_TO_FOLD, this.index.documentCount / 4)) this.snapshot();
  }

  /** Called on every append (and with many messages for an import): one store object and one label. */
  async added(chats: ChatService, chatId: string, messages: { id: MessageId; node: MessageNode }[]): Promise<void> {
    if (messages.length === 0) return;
    const entry = { add: messages.map(({ id }) => [chatId, id]), prev: this.ports.labels.get(JOURNAL) ?? null };
    this.ports.labels.set(JOURNAL, this.writeText(JSON.stringify(entry)));
    this.journalLength += messages.length;
    if (!this.index) return;
    for (const { id, node } of messages) await this.addTo(this.index, chats, chatId, id, node);
    this.foldIfLong();
  }

  async search(chats: ChatService, query: string, limit = 20): Promise<SearchHit[]> {
    const index = await this.ready(chats);
    const names = new Map(chats.list().map((c) => [c.id, c]));
    const raw = index
      .search(query)
      .map((r) => ({ ...splitKey(r.id as string), terms: r.terms, score: r.score }))
      .filter((r) => names.has(r.chatId))
      .slice(0, limit);
    const paths = new Map<string, Set<string>>();
    const hits: SearchHit[] = [];
    for (const r of raw) {
      const chat = names.get(r.chatId)!;
      let path = paths.get(chat.id);
      if (!path) {
        path = new Set<string>();
        for (let at = chat.leaf; at !== null; at = (await chats.dag.get(at)).parent) path.add(at);
        paths.set(chat.id, path);
      }
      const node = await chats.dag.get(r.id);
      const { snippet, highlights } = snippetOf(node.content, r.terms);
      hits.push({
        chat_id: chat.id,
        chat_name: chat.name,
        message_id: r.id,
        role: node.role,
        snippet,
        highlights,
        on_selected_branch: path.has(r.id),
        score: r.score,
      });
    }
    return hits;
  }
}
