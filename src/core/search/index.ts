/**
 * Full-text search over every message of every chat, on every branch, with MiniSearch. Each append
 * adds one small journal object to the store (stored.ts), so it costs the same whatever the index
 * size. The index itself is held in memory only while people search: inside the component it
 * costs several KB a message. While it is held, a long journal is folded into a new snapshot of it;
 * while it is not, into the pending documents, without loading it (except a store's first fold,
 * which makes the first snapshot from the DAG). A search loads the snapshot, the pending documents
 * and the journal, and folds them into one snapshot. Anything missing or unreadable is rebuilt from
 * the DAG.
 */
import MiniSearch from 'minisearch';
import type { Ports } from '../ports.js';
import type { AppendListener, ChatView, MessageSource } from '../chats/service.js';
import type { MessageId, MessageNode } from '../dag/node.js';
import { SNAPSHOT, StoredSearch, type Doc, type JournalHead } from './stored.js';
import { keyOf, SearchHit, snippetOf, splitKey } from './hits.js';

export { SearchHit };

/** 2: contents are no longer copied into the index (snippets read the DAG). */
const VERSION = 2;
/** A journal shorter than this is never folded. */
const MIN_JOURNAL_TO_FOLD = 200;
/** This many messages after the last search the index is let go (the store holds all of it). */
const KEEP_AFTER_SEARCH = 1_000;
/**
 * A search indexes the pending documents one by one, about 2.5 times slower than it loads the same
 * number from a snapshot (11,010 messages: 5.9 s): once they reach half the snapshot (at least
 * this many) they are made part of it, loading the index for that and letting it go again. The
 * snapshot doubles between two such loads, so they stay rare.
 */
const MIN_PENDING_TO_INDEX = 2_000;

/** Only the words are indexed: the id `<chat>:<message>` says where they are. */
interface IndexedDoc {
  id: string;
  content: string;
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

export class SearchIndex implements AppendListener {
  private index?: MiniSearch<IndexedDoc>;
  private readonly stored: StoredSearch;
  /** The newest journal object as this instance last wrote or read it. */
  private head?: JournalHead;

  /** Read from the store once per instance; every write after that keeps it current. */
  private get journalHead(): JournalHead {
    return (this.head ??= this.stored.head());
  }
  /** Messages added since the last search (none yet: as good as never). */
  private addedSinceSearch = Number.POSITIVE_INFINITY;
  /** The journal's documents, when this instance has seen all of it (it wrote them since the journal began). */
  private journalDocs?: Doc[];

  constructor(private readonly ports: Ports) {
    this.stored = new StoredSearch(ports);
  }

  /** Whether the index is in memory now (it is let go when nobody searches). */
  get loaded(): boolean {
    return this.index !== undefined;
  }

  /**
   * Loads the snapshot, the pending documents and the journal; rebuilds from the DAG when they are
   * missing or unreadable. Without a snapshot only the DAG is sure to hold every message (some may
   * predate the journal): the first fold of a store makes one from it.
   */
  private async ready(chats: MessageSource): Promise<MiniSearch<IndexedDoc>> {
    if (this.index) return this.index;
    try {
      const snapshotRef = this.ports.labels.get(SNAPSHOT);
      if (snapshotRef !== undefined) {
        const index = this.loadSnapshot(snapshotRef);
        if (index) {
          const pending = this.stored.pending();
          for (const [key, content] of [...pending, ...this.stored.journal()]) if (!index.has(key)) index.add({ id: key, content });
          this.index = index;
          // Indexing the pending documents again at every load would cost what this one did.
          if (pending.length > 0) this.snapshot();
          else this.foldIfLong();
          return index;
        }
      }
    } catch (e) {
      this.ports.log.warn(`search index unreadable, rebuilding it: ${e instanceof Error ? e.message : String(e)}`);
    }
    return this.rebuild(chats);
  }

  private loadSnapshot(ref: string): MiniSearch<IndexedDoc> | undefined {
    const parsed = JSON.parse(this.stored.readText(ref)) as { v?: number; index?: unknown };
    if (parsed.v !== VERSION || !parsed.index) return undefined;
    return MiniSearch.loadJS<IndexedDoc>(parsed.index as Parameters<typeof MiniSearch.loadJS>[0], OPTIONS);
  }

  async rebuild(chats: MessageSource): Promise<MiniSearch<IndexedDoc>> {
    const index = new MiniSearch<IndexedDoc>(OPTIONS);
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

  /** The index in memory holds everything: it becomes the snapshot, and the rest goes. */
  private snapshot(): void {
    if (!this.index) return;
    this.ports.labels.write(SNAPSHOT, JSON.stringify({ v: VERSION, index: this.index }));
    // A crash before these lines leaves documents the snapshot already holds: loading skips them.
    this.stored.dropPending();
    this.head = this.stored.writeHead([], { ref: null, n: 0, docs: this.index.documentCount, pend: 0 });
    this.journalDocs = [];
  }

  /** Without the index: the journal's documents become one more pending batch. */
  private foldIntoPending(): void {
    const docs = this.journalDocs ?? this.stored.journal();
    this.stored.addPending(docs);
    const head = this.journalHead;
    this.head = this.stored.writeHead([], { ref: null, n: 0, docs: head.docs, pend: Math.min(head.pend + docs.length, Number.MAX_SAFE_INTEGER) });
    this.journalDocs = [];
  }

  /** While the index is held: a long journal becomes part of a new snapshot. */
  private foldIfLong(): void {
    if (this.index && this.isLong(this.journalHead)) this.snapshot();
  }

  /** After an append, while nobody searches: folds that need no index, and the rare ones that load it and let it go. */
  private async foldWithoutIndex(chats: MessageSource): Promise<void> {
    if (this.isLong(this.journalHead)) {
      if (this.ports.labels.get(SNAPSHOT) === undefined) return this.indexAndLetGo(chats);
      try {
        this.foldIntoPending();
      } catch (e) {
        // An unreadable journal would fail every later fold too: the DAG has every message.
        this.ports.log.warn(`search journal unreadable, rebuilding the index: ${e instanceof Error ? e.message : String(e)}`);
        await this.rebuild(chats);
        return this.letGoUnlessSearched();
      }
    }
    if (this.pendingIsLong()) await this.indexAndLetGo(chats);
  }

  /** Loading folds everything into a snapshot (ready()); nobody searched, so the index goes again. */
  private async indexAndLetGo(chats: MessageSource): Promise<void> {
    await this.ready(chats);
    this.letGoUnlessSearched();
  }

  private letGoUnlessSearched(): void {
    if (this.addedSinceSearch > KEEP_AFTER_SEARCH) this.index = undefined;
  }

  private isLong(head: JournalHead): boolean {
    return head.n >= Math.max(MIN_JOURNAL_TO_FOLD, (head.docs + head.pend) / 4);
  }

  private pendingIsLong(): boolean {
    const head = this.journalHead;
    return head.pend >= Math.max(MIN_PENDING_TO_INDEX, head.docs / 2);
  }

  /** Called on every append (and with many messages for an import): one store object and one label. */
  async added(chats: MessageSource, chatId: string, messages: { id: MessageId; node: MessageNode }[]): Promise<void> {
    const docs = messages.filter(({ node }) => node.role !== 'error').map(({ id, node }): Doc => [keyOf(chatId, id), node.content]);
    if (docs.length === 0) return;
    const head = this.journalHead;
    // An empty journal (none yet, or the one a fold left): from here this instance knows all of it.
    if (head.n === 0) this.journalDocs = [];
    this.head = this.stored.writeHead(docs, { ...head, n: Math.min(head.n + docs.length, Number.MAX_SAFE_INTEGER) });
    this.journalDocs?.push(...docs);
    if (this.index) for (const [key, content] of docs) if (!this.index.has(key)) this.index.add({ id: key, content });
    this.addedSinceSearch += docs.length;
    this.letGoUnlessSearched();
    try {
      if (this.index) this.foldIfLong();
      else await this.foldWithoutIndex(chats);
    } catch (e) {
      // The message is journaled already; a failing fold must not fail the message.
      this.ports.log.warn(`search journal not folded: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** The best `limit` matches, and whether more match beyond them. */
  async search(chats: MessageSource, query: string, limit = 20): Promise<{ results: SearchHit[]; more: boolean }> {
    const index = await this.ready(chats);
    this.addedSinceSearch = 0;
    const names = new Map<string, ChatView>(chats.list().map((c) => [c.id, c]));
    const raw: { chatId: string; id: MessageId; terms: string[]; score: number }[] = [];
    let more = false;
    for (const r of index.search(query)) {
      const key = splitKey(r.id as string);
      if (!names.has(key.chatId)) continue;
      if (raw.length === limit) {
        more = true;
        break;
      }
      raw.push({ ...key, terms: r.terms, score: r.score });
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
    return { results: hits, more };
  }
}
