/**
 * The core run natively, threaded the way the actor threads it (state in, state out, frames to
 * connections), for unit tests, property tests and benchmarks without a component.
 */
import { parseInitConfig } from '../../src/core/config.js';
import { Reply } from '../../src/core/protocol/frames.js';
import { connectionId } from '../../src/core/ids.js';
import { ROUTES, handleHttp, onConnect, onDisconnect, onSocketText, startup, type CoreState, type Outbound, type Settings } from '../../src/core/app.js';
import type { Ports } from '../../src/core/ports.js';
import type { AssetTable } from '../../src/core/assets.js';
import { compilePattern, matchPattern } from '../../src/host/router.js';
import { memoryPorts } from './memory-ports.js';
import { NodeCache } from '../../src/core/dag/cache.js';
import { SearchIndex } from '../../src/core/search/index.js';

const ASSETS: AssetTable = {
  'index.html': { contentType: 'text/html; charset=utf-8', body: new TextEncoder().encode('<meta name="theater-chat-session" content="%SESSION%"%LOGIN%>') },
};

/** A frame as a client gets it: JSON, and checked against the protocol's schema like the UI does. */
function onTheWire(frame: unknown): Record<string, unknown> {
  const json = JSON.parse(JSON.stringify(frame)) as Record<string, unknown>;
  const parsed = Reply.safeParse(json);
  if (!parsed.success) throw new Error(`the actor sent a frame outside the protocol: ${JSON.stringify(parsed.error.issues[0])} in ${JSON.stringify(json).slice(0, 300)}`);
  return json;
}

export class NativeApp {
  state: CoreState;
  readonly settings: Settings;
  readonly inbox = new Map<string, Record<string, unknown>[]>();
  /** The access key the host would hand over (bound beyond loopback); change it to rotate. */
  accessKey: string | undefined;

  constructor(
    readonly ports: Ports = memoryPorts(),
    config: Record<string, unknown> = {},
  ) {
    ({ state: this.state, settings: this.settings } = startup(ports, parseInitConfig(new TextEncoder().encode(JSON.stringify(config))).config));
    this.search = new SearchIndex(ports);
  }

  /** A fresh start on the same store: what a host restart does. */
  restart(): NativeApp {
    return new NativeApp(this.ports);
  }

  private readonly cache = new NodeCache();
  private readonly search: SearchIndex;

  /** Whether the search index is in memory (it is let go when nobody searches). */
  get searchIndexLoaded(): boolean {
    return this.search.loaded;
  }

  private ctx() {
    return { ports: this.ports, state: this.state, settings: this.settings, assets: ASSETS, cache: this.cache, search: this.search, accessKey: () => this.accessKey };
  }

  /** Connections the actor closed; the host reports each gone, as c50 does once the close is done. */
  readonly closed = new Set<string>();

  private deliver(outbound: Outbound[]): void {
    for (const { connection, frame, close } of outbound) {
      if (!(connection in this.state.connections) && frame.type !== 'error') continue;
      const box = this.inbox.get(connection) ?? [];
      box.push(onTheWire(frame));
      this.inbox.set(connection, box);
      if (close) this.hangUp(connection);
    }
  }

  private hangUp(connection: string): void {
    this.closed.add(connection);
    this.state = onDisconnect(this.state, connectionId(connection));
  }

  async connect(connection: string, authenticate = true): Promise<void> {
    this.state = onConnect(this.state, connectionId(connection));
    if (authenticate) {
      const welcome = await this.command(connection, { type: 'hello', token: this.settings.session_token });
      if (welcome.type !== 'welcome') throw new Error(`hello failed: ${JSON.stringify(welcome)}`);
    }
  }

  disconnect(connection: string): void {
    this.state = onDisconnect(this.state, connectionId(connection));
    this.inbox.delete(connection);
  }

  /** Sends one command and returns the sender's direct reply (events stay in the inboxes). */
  async command(connection: string, command: unknown): Promise<Record<string, unknown>> {
    const text = typeof command === 'string' ? command : JSON.stringify(command);
    const result = await onSocketText(this.ctx(), connectionId(connection), text);
    this.state = result.state;
    const [reply, ...rest] = result.outbound;
    this.deliver(rest);
    if (reply?.close) this.hangUp(connection);
    return onTheWire(reply!.frame);
  }

  /** Frames other than direct replies that reached a connection since the last call. */
  take(connection: string): Record<string, unknown>[] {
    const frames = this.inbox.get(connection) ?? [];
    this.inbox.set(connection, []);
    return frames;
  }

  async http(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown; text: string; headers: Map<string, string> }> {
    const url = new URL(path, 'http://127.0.0.1:8084');
    for (const route of ROUTES) {
      if (route.method !== method) continue;
      const params = matchPattern(compilePattern(route.pattern), url.pathname);
      if (!params) continue;
      const result = await handleHttp(this.ctx(), route, {
        method,
        path: url.pathname,
        query: url.searchParams,
        headers: new Map(Object.entries({ host: '127.0.0.1:8084', ...headers }).map(([k, v]) => [k.toLowerCase(), v])),
        params,
        body: body === undefined ? undefined : new TextEncoder().encode(typeof body === 'string' ? body : JSON.stringify(body)),
      });
      this.state = result.state;
      this.deliver(result.outbound);
      const text = new TextDecoder().decode(result.response.body ?? new Uint8Array());
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: result.response.status, json, text, headers: new Map(result.response.headers) };
    }
    return { status: 404, json: undefined, text: '', headers: new Map() };
  }
}
