/** What a call into the core works with, and how its news reaches the connections concerned. */
import type { Ports } from './ports.js';
import type { GeneratorLink } from './generator-pool.js';
import type { CoreResponse } from './http.js';
import type { Reply } from './protocol/frames.js';
import type { AssetTable } from './assets.js';
import { ChatService } from './chats/service.js';
import { BlobStore } from './blobs/store.js';
import type { NodeCache } from './dag/cache.js';
import type { SearchIndex } from './search/index.js';
import type { Llm } from './claude/llm.js';
import type { ModelDirectory } from './claude/directory.js';
import type { Connection, CoreState } from './state.js';
import { connectionId, type ConnectionId } from './ids.js';
import type { Settings } from './settings.js';
import type { Broadcast } from './ops/change.js';

export const isAuthed = (c: Connection | undefined): boolean => c !== false && c !== undefined;
export const chatOf = (c: Connection | undefined): string | null => (typeof c === 'string' ? c : null);

export interface Context {
  ports: Ports;
  state: CoreState;
  settings: Settings;
  assets: AssetTable;
  /** Verified nodes kept by the caller between calls (the actor instance); optional. */
  cache?: NodeCache;
  llm?: Llm;
  models?: ModelDirectory;
  /** Sends frames now, before the call ends (e.g. "generation started" before Claude is asked). */
  emit?: (outbound: Outbound[]) => void;
  /** Generator actors (Theater); without it a generation runs inside the call. */
  generators?: GeneratorLink;
  /** The access key asked for beyond loopback: read from the host at each call, never kept. */
  accessKey?: () => string | undefined;
  /** The full-text index, kept by the instance between calls. */
  search?: SearchIndex;
}

/** A frame to send after the call; the adapter performs it (the core never sends itself). */
export interface Outbound {
  connection: ConnectionId;
  frame: Reply;
  /** Close the connection once the frame is sent (it was let in under an access key that changed). */
  close?: true;
}

export interface CallResult {
  state: CoreState;
  outbound: Outbound[];
}

export interface HttpResult extends CallResult {
  response: CoreResponse;
}

const servicesByCache = new WeakMap<NodeCache, { ports: Ports; search: SearchIndex | undefined; chats: ChatService }>();

/**
 * The chats as this call sees them, over the instance's node cache and search index. One service
 * per cache, not per call: the cache, store and index outlive the call, and inside the component
 * building the service at every command cost 3–5 µs, the attachment limits (app.ts) 10–16 µs more.
 */
export function chatsOf(ctx: Context): ChatService {
  if (!ctx.cache) return new ChatService(ctx.ports, undefined, ctx.search ? [ctx.search] : []);
  const known = servicesByCache.get(ctx.cache);
  if (known?.ports === ctx.ports && known.search === ctx.search) return known.chats;
  const chats = new ChatService(ctx.ports, ctx.cache, ctx.search ? [ctx.search] : []);
  servicesByCache.set(ctx.cache, { ports: ctx.ports, search: ctx.search, chats });
  return chats;
}

const blobStores = new WeakMap<Ports, BlobStore>();

/** A blob store holds nothing but its ports: one per store. */
export function blobsOf(ports: Ports): BlobStore {
  let blobs = blobStores.get(ports);
  if (!blobs) blobStores.set(ports, (blobs = new BlobStore(ports)));
  return blobs;
}

export function deliver(state: CoreState, sender: string | undefined, broadcasts: Broadcast[]): Outbound[] {
  const out: Outbound[] = [];
  for (const b of broadcasts) {
    for (const [id, conn] of Object.entries(state.connections)) {
      if (!isAuthed(conn) || (b.skipSender && id === sender)) continue;
      if (b.to === 'all' || chatOf(conn) === b.to.chat) out.push({ connection: connectionId(id), frame: b.frame });
    }
  }
  return out;
}

