/**
 * What one component instance keeps between calls (the ports, the verified nodes already read, the
 * model list, this start's settings), and how a call's context and its end are made from the state.
 */
import assets from 'virtual:assets';
import { accessKey } from './access.js';
import { loadSettings, onDisconnect, type Context, type CoreState, type Outbound, type Settings } from '../core/app.js';
import { NodeCache } from '../core/dag/cache.js';
import { SearchIndex } from '../core/search/index.js';
import { ModelDirectory } from '../core/claude/directory.js';
import type { Llm } from '../core/claude/llm.js';
import type { ConnectionId } from '../core/ids.js';
import { theaterClaude } from './claude.js';
import { theaterGenerators, theaterPorts } from './ports.js';
import type { GeneratorLink } from '../core/generator-pool.js';
import { closeSocket, sendFrame, wireFrame, type WireFrame } from './http.js';
import { describe, log } from './common.js';
import { encodeState, withCore, type ActorState } from './actor-state.js';

/**
 * Messages kept decoded between calls, by their encoded size: the branches in use (a 1,000-message
 * branch of long replies is a few MB), and a bound for a long-lived instance.
 */
const NODE_CACHE_BYTES = 8 * 1024 * 1024;

let instance:
  | { storeId: string; ports: Context['ports']; cache: NodeCache; llm: Llm; models: ModelDirectory; search: SearchIndex; settings?: Settings; generators?: { manifest: string; link: GeneratorLink } }
  | undefined;
let baseUrlFromInit: string | undefined;

/** A new start wrote new settings: read them again, not those an earlier start of this instance read. */
export function forgetSettings(): void {
  if (instance) instance.settings = undefined;
}

export function contextOf(state: ActorState): Context {
  const storeId = state.core.store_id;
  if (instance?.storeId !== storeId) {
    const ports = theaterPorts(storeId);
    instance = {
      storeId,
      ports,
      search: new SearchIndex(ports),
      cache: new NodeCache(NODE_CACHE_BYTES),
      llm: theaterClaude(() => baseUrlFromInit),
      models: new ModelDirectory(),
    };
  }
  instance.settings ??= loadSettings(instance.ports);
  const settings = instance.settings;
  baseUrlFromInit = settings.anthropic_base_url;
  const server = BigInt(state.server);
  return {
    ports: instance.ports,
    state: state.core,
    settings,
    assets,
    cache: instance.cache,
    llm: instance.llm,
    models: instance.models,
    search: instance.search,
    accessKey: readOnce(accessKey),
    generators: generatorsFor(settings.generator_manifest),
    // A peer found gone here is forgotten when the call's last frames go out (finishCall).
    emit: (outbound) => void send(server, outbound),
  };
}

/** The link holds nothing but its manifest: made once, not at every call. */
function generatorsFor(manifest: string | undefined): GeneratorLink | undefined {
  if (!manifest || !instance) return undefined;
  if (instance.generators?.manifest !== manifest) instance.generators = { manifest, link: theaterGenerators(manifest) };
  return instance.generators.link;
}

/** The key is read once a call: a rotation happens between calls, and each read costs host calls. */
function readOnce<T>(read: () => T): () => T {
  let value: { read: T } | undefined;
  return () => (value ??= { read: read() }).read;
}

/** Sends each frame (closing the connection after it when asked); returns the connections that turned out to be gone. */
function send(server: bigint, outbound: Outbound[]): ConnectionId[] {
  const gone: ConnectionId[] = [];
  // A broadcast is one frame object sent to every watcher: written out and encoded once, not once per watcher.
  const recipients = new Map<object, number>();
  for (const { frame } of outbound) recipients.set(frame, (recipients.get(frame) ?? 0) + 1);
  const wire = new Map<object, WireFrame>();
  let slots = 0;
  const nextSlot = () => slots++;
  const encoded = (frame: object) => wire.get(frame) ?? wire.set(frame, wireFrame(JSON.stringify(frame), recipients.get(frame)!, nextSlot)).get(frame)!;
  for (const { connection, frame, close } of outbound) {
    try {
      sendFrame(server, BigInt(connection), encoded(frame));
      if (close) closeSocket(server, BigInt(connection));
    } catch (e) {
      log(`warn: could not send to ${connection}: ${describe(e)}`);
      gone.push(connection);
    }
  }
  return gone;
}

/**
 * The end of a call: its frames sent, peers found gone forgotten (their disconnect may never come),
 * and the state bytes re-encoded only when something changed.
 */
export function finishCall(stateBytes: Uint8Array | undefined, state: ActorState, result: { state: CoreState; outbound: Outbound[] }): Uint8Array | undefined {
  let core = result.state;
  for (const connection of send(BigInt(state.server), result.outbound)) core = onDisconnect(core, connection);
  return core === state.core ? stateBytes : encodeState(withCore(state, core));
}
