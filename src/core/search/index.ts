/**
 * Full-text search over every message of every chat, on every branch, with MiniSearch. The index is
 * kept in memory by the instance, updated as messages arrive, and kept in the store as a snapshot
 * plus a short journal of what came after it, so it survives restarts; when the snapshot is missing
 * or from another version, it is rebuilt from the DAG.
 */
import MiniSearch from 'minisearch';
import { z } from 'zod';
import type { Ports } from '../ports.js';
import type { ChatService } from '../chats/service.js';
import type { MessageId, MessageNode } from '../dag/node.js';

const SNAPSHOT = 'search/snapshot';
const JOURNAL = 'search/journal';
const VERSION = 1;
/** Appends between snapshots: each append writes only the short journal. */
const SNAPSHOT_EVERY = 200;

interface Doc {
  id: string;
  chat_id: string;
  message_id: string;
  role: string;
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
  storeFields: ['chat_id', 'message_id', 'role', 'content'],
  // Prefix and typo matching widen a query to many more documents, and every match is scored inside
  // the component's interpreter: keep them for words long enough to need them.
  searchOptions: {
    prefix: (term: string) => term.length >= 3,
    fuzzy: (term: string) => (term.length >= 6 ? 0.15 : false),
    combineWith: 'AND' as const,
    tokenize,
  },
};

const Journal = z.array(z.tuple([z.string(), z.string()])).max(100_000);
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

export class SearchIndex {
  private index?: MiniSearch<Doc>;
  private journal: [string, string][] = [];

  constructor(private readonly ports: Ports) {}

  private readBlob(label: string): string | undefined {
    const ref = this.ports.labels.get(label);
    return ref === undefined ? undefined : decoder.decode(this.ports.content.get(ref));
  }

  private writeBlob(label: string, text: string): void {
    this.ports.labels.set(label, this.ports.content.put(encoder.encode(text)));
  }

  /** Loads the snapshot and replays the journal; rebuilds from the DAG when either is missing or unreadable. */
  private async ready(chats: ChatService): Promise<MiniSearch<Doc>> {
    if (this.index) return this.index;
    try {
      const snapshot = this.readBlob(SNAPSHOT);
      if (snapshot !== undefined) {
        const parsed = JSON.parse(snapshot) as { v?: number; index?: unknown };
        if (parsed.v === VERSION && parsed.index) {
          const index = MiniSearch.loadJSON<Doc>(JSON.stringify(parsed.index), OPTIONS);
          const journal = Journal.parse(JSON.parse(this.readBlob(JOURNAL) ?? '[]'));
          for (const [chat, id] of journal) await this.addTo(index, chats, chat, id as MessageId);
          this.journal = journal;
          this.index = index;
          return index;
        }
      }
    } catch (e) {
      this.ports.log.warn(`search index unreadable, rebuilding it: ${e instanceof Error ? e.message : String(e)}`);
    }
    return this.rebuild(chats);
  }

  private async addTo(index: MiniSearch<Doc>, chats: ChatService, chatId: string, id: MessageId, node?: MessageNode): Promise<void> {
    const key = `${chatId}:${id}`;
    if (index.has(key)) return;
    const n = node ?? (await chats.dag.get(id).catch(() => undefined));
    if (!n || n.role === 'error') return;
    index.add({ id: key, chat_id: chatId, message_id: id, role: n.role, content: n.content });
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
    this.writeBlob(SNAPSHOT, JSON.stringify({ v: VERSION, index: this.index.toJSON() }));
    this.writeBlob(JOURNAL, '[]');
    this.journal = [];
  }

  /** Called on every append: a fixed number of store calls, and a snapshot now and then. */
  async added(chats: ChatService, chatId: string, id: MessageId, node: MessageNode): Promise<void> {
    const index = await this.ready(chats);
    await this.addTo(index, chats, chatId, id, node);
    this.journal.push([chatId, id]);
    if (this.journal.length >= SNAPSHOT_EVERY) this.snapshot();
    else this.writeBlob(JOURNAL, JSON.stringify(this.journal));
  }

  /** Many messages at once (an import): one journal write. */
  async addMany(chats: ChatService, chatId: string, nodes: { id: MessageId; node: MessageNode }[]): Promise<void> {
    const index = await this.ready(chats);
    for (const { id, node } of nodes) {
      await this.addTo(index, chats, chatId, id, node);
      this.journal.push([chatId, id]);
    }
    if (this.journal.length >= SNAPSHOT_EVERY) this.snapshot();
    else this.writeBlob(JOURNAL, JSON.stringify(this.journal));
  }

  async search(chats: ChatService, query: string, limit = 20): Promise<SearchHit[]> {
    const index = await this.ready(chats);
    const names = new Map(chats.list().map((c) => [c.id, c]));
    const raw = index.search(query).filter((r) => names.has(r.chat_id as string)).slice(0, limit);
    const paths = new Map<string, Set<string>>();
    const hits: SearchHit[] = [];
    for (const r of raw) {
      const chat = names.get(r.chat_id as string)!;
      let path = paths.get(chat.id);
      if (!path) {
        path = new Set<string>();
        for (let at = chat.leaf; at !== null; at = (await chats.dag.get(at)).parent) path.add(at);
        paths.set(chat.id, path);
      }
      const { snippet, highlights } = snippetOf(r.content as string, r.terms);
      hits.push({
        chat_id: chat.id,
        chat_name: chat.name,
        message_id: r.message_id as MessageId,
        role: r.role as string,
        snippet,
        highlights,
        on_selected_branch: path.has(r.message_id as string),
        score: r.score,
      });
    }
    return hits;
  }
}
