/**
 * One actor on the Node host: the component in a worker, its calls one at a time in arrival
 * order, its host imports on this thread, and c50's rule that an Err or trap stops it for good.
 */
import { EventEmitter } from 'node:events';
import { MessageChannel, Worker } from 'node:worker_threads';
import { randomUUID } from 'node:crypto';
import type { HttpFramework } from './http-framework.js';
import { sendHttp } from './http-client.js';
import { transpiledFor } from './transpile.js';
import { checkLinkable } from './linkable.js';
import { Supervisor } from './supervisor.js';
import { TheaterServer } from './theater-server.js';
import type { MailboxMessage } from './message-router.js';
import type { ActorCalls, HttpRequest, HttpResponse, MiddlewareResult, WebsocketMessage } from './wit-types.js';
import type { FromWorker, OutgoingFrame, WorkerCall, WorkerMemory } from './worker-protocol.js';

/**
 * An instance whose linear memory has crept this much past where it settled is replaced (linear
 * memory never shrinks). With 32 MiB the actor's memory peaks near 60–75 MB in the 50-client
 * drill; 64 MiB let it reach 90.
 */
const RECYCLE_GROWTH_BYTES = 32 * 1024 * 1024;
/**
 * One call growing the memory this much loaded something large that it keeps (the search index of
 * ~10,000 messages: +90 MB): the instance settles there instead of counting it as creep, else the
 * fresh instance loads it again and is replaced again, and every few searches cost a reload.
 */
const LOAD_JUMP_BYTES = 48 * 1024 * 1024;
/** Whatever the reason, an instance this large is replaced. */
const RECYCLE_CEILING_BYTES = 160 * 1024 * 1024;
/**
 * The worker's JS only moves bytes in and out of the component; V8's default young generation
 * (up to 3 × 16 MB semispaces) kept ~25 MB of mostly empty heap there for nothing measurable.
 */
const WORKER_YOUNG_GENERATION_MB = 4;
/** stop_actor waits this long for the actor's current call (crates/theater/src/theater_runtime.rs:907-921). */
const STOP_WAIT_MS = 10_000;

export interface ActorOptions {
  component: string;
  initState: Uint8Array | undefined;
  storeRoot: string;
  filesystemBase?: string;
  allowedEnv: string[];
  allowedOrigins?: string[];
  /** Where relative manifest paths given to supervisor.spawn resolve (Theater: the server's cwd). */
  manifestDir?: string;
  /** Calls between fresh component instances (default 2,000). */
  recycleEvery?: number;
  /** Log the process's memory, split by where it lives, this often (THEATER_CHAT_MEMORY_LOG). */
  memoryLogEveryMs?: number;
  log: (line: string) => void;
  /** The theater-server this actor runs in; without one, the actor gets a server of its own. */
  server?: TheaterServer;
  /** Wait this long before loading the component (a spawned child on c50 compiles it first). */
  loadDelayMs?: number;
}

export interface ActorHost {
  on(event: 'fatal', listener: (reason: string) => void): this;
  on(event: 'shutdown', listener: (data: Uint8Array | undefined) => void): this;
  /** A call returned or failed. */
  on(event: 'settled', listener: () => void): this;
}

export class ActorHost extends EventEmitter implements ActorCalls {
  readonly id = randomUUID();
  readonly server: TheaterServer;
  private worker?: Worker;
  private pending = new Map<number, { resolve: (r: unknown[]) => void; reject: (e: Error) => void }>();
  private nextCall = 1;
  stopped: string | undefined;
  /** Set once a call returned Err or trapped. */
  failed = false;
  /** The component's imports, known once it is loaded. */
  imports = new Set<string>();
  /** Handlers start after the component is loaded and init is queued (crates/theater/src/actor/runtime.rs:409-465). */
  handlersStarted = false;
  /**
   * The chain account: bytes Theater c50's event chain would hold for this actor (chain-account.ts),
   * in total and per export.
   */
  chainBytes = 0;
  readonly chainByExport = new Map<string, { calls: number; bytes: number }>();
  private mailbox: MailboxMessage[] = [];
  private draining = false;
  private loading?: Promise<unknown>;
  private stopping?: Promise<void>;
  /** Size of the state after the last call: the figure the state-size benchmark reads. */
  lastStateBytes = 0;
  /** Fresh instances made so far (see maybeRecycle). */
  recycles = 0;
  private componentDir?: string;
  private callsSinceRecycle = 0;
  /** The component's linear memory after the last call, and after the instance's first call. */
  memoryBytes = 0;
  private baselineBytes = 0;
  private readonly recycleEvery: number;
  private recycling?: Promise<void>;
  /** Set while the old instance finishes its queued calls before handing over. */
  private drained?: () => void;
  private onReinstantiated?: (error: string | undefined) => void;

  readonly supervisor: Supervisor;

  constructor(private options: ActorOptions) {
    super();
    this.recycleEvery = options.recycleEvery ?? 2000;
    if (options.server) this.server = options.server;
    else {
      this.server = new TheaterServer({ storeRoot: options.storeRoot, log: options.log });
      this.server.adopt(this, undefined);
    }
    this.supervisor = new Supervisor(this, this.server);
  }

  /** The http-framework registry of this actor's server, shared with every actor in it. */
  get framework(): HttpFramework {
    return this.server.framework;
  }

  get manifestDir(): string {
    return this.options.manifestDir ?? process.cwd();
  }

  get allowedOrigins(): readonly string[] | undefined {
    return this.options.allowedOrigins;
  }

  /** The worker keeps its view of open sockets across fresh instances, so changes go straight to it. */
  socketChanged(server: bigint, connection: bigint, open: boolean): void {
    this.worker?.postMessage({ kind: open ? 'ws-open' : 'ws-closed', server, connection });
  }

  async start(): Promise<void> {
    const loaded = this.load();
    this.loading = loaded.catch(() => undefined);
    await loaded;
    if (this.stopped) throw new Error(`actor stopped while starting: ${this.stopped}`);
    const init = this.call('actor.init');
    this.startHandlers();
    await init;
  }

  /** What c50 does before init: compile, register the mailbox (setup_host_functions), instantiate. */
  private async load(): Promise<void> {
    if (this.options.loadDelayMs) await new Promise((resolve) => setTimeout(resolve, this.options.loadDelayMs));
    const transpiled = await transpiledFor(this.options.component);
    checkLinkable(transpiled.imports, transpiled.exports);
    this.imports = new Set(transpiled.imports);
    this.componentDir = transpiled.dir;
    // crates/theater-handler-message-server/src/lib.rs:472-492: registered at setup, before instantiation.
    if (this.imports.has('theater:simple/message-server-host')) await this.server.router.register(this.id, (m) => this.deliver(m));
    if (this.stopped) return;
    this.worker = await this.spawnWorker(this.options.initState);
    if (this.options.memoryLogEveryMs) setInterval(() => this.worker?.postMessage({ kind: 'memory' }), this.options.memoryLogEveryMs).unref();
  }

  private startHandlers(): void {
    this.handlersStarted = true;
    if (this.imports.has('theater:simple/supervisor')) this.server.supervisorStarted(this);
    void this.drainMailbox();
  }

  /** Buffered until the handler starts; then one message at a time, each waiting for its call (lib.rs:1017-1034, 390-451). */
  private deliver(message: MailboxMessage): void {
    if (this.stopped) return dropReply(message);
    this.mailbox.push(message);
    void this.drainMailbox();
  }

  private async drainMailbox(): Promise<void> {
    if (this.draining || !this.handlersStarted) return;
    this.draining = true;
    try {
      for (let message = this.mailbox.shift(); message && !this.stopped; message = this.mailbox.shift()) await this.handleMessage(message);
    } finally {
      this.draining = false;
      if (this.stopped) for (const message of this.mailbox.splice(0)) dropReply(message);
    }
  }

  private async handleMessage(message: MailboxMessage): Promise<void> {
    const target = 'messageServerClient';
    try {
      switch (message.kind) {
        case 'send':
          return void (await this.call(`${target}.handleSend`, [message.data]));
        case 'request': {
          const [[answer]] = (await this.call(`${target}.handleRequest`, [randomUUID(), message.data])) as [[Uint8Array | undefined]];
          return message.reply(answer);
        }
        case 'channel-open': {
          const [[accept]] = (await this.call(`${target}.handleChannelOpen`, [message.channelId, message.initial])) as [[{ accepted: boolean }]];
          return message.reply(accept.accepted);
        }
        case 'channel-message':
          return void (await this.call(`${target}.handleChannelMessage`, [message.channelId, message.data]));
        case 'channel-close':
          return void (await this.call(`${target}.handleChannelClose`, [message.channelId]));
      }
    } catch {
      dropReply(message);
    }
  }

  /** A worker running the component with this state (init is not called: the caller decides). */
  private spawnWorker(state: Uint8Array | undefined): Promise<Worker> {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
    const { port1, port2 } = new MessageChannel();
    const signal = new SharedArrayBuffer(4);
    const flag = new Int32Array(signal);
    port1.on('message', ({ op, args }: { op: string; args: unknown[] }) => {
      this.hostCall(op, args).then(
        (value) => port1.postMessage({ ok: true, value }),
        (e: unknown) => port1.postMessage({ ok: false, error: typeof e === 'string' ? e : e instanceof Error ? e.message : String(e) }),
      ).finally(() => {
        Atomics.store(flag, 0, 1);
        Atomics.notify(flag, 0);
      });
    });
    const ready = new Promise<Worker>((resolve, reject) => {
      worker.on('message', (message: FromWorker) => {
        switch (message.kind) {
          case 'ready':
            return resolve(worker);
          case 'load-failed':
            return reject(new Error(`the component could not be instantiated: ${message.error}`));
          case 'log':
            return this.options.log(`[actor ${this.id.slice(0, 8)}] ${message.line}`);
          case 'shutdown':
            return void this.emit('shutdown', message.data);
          case 'frames':
            return this.sendFrames(message.sent);
          case 'memory':
            return this.logMemory(message);
          case 'reinstantiated':
            return this.onReinstantiated?.(message.error);
          case 'result':
            this.sendFrames(message.sent);
            this.lastStateBytes = message.stateBytes;
            this.account(message.target, message.chainBytes);
            this.pending.get(message.id)?.resolve(message.results);
            this.pending.delete(message.id);
            this.emit('settled');
            this.settle(message.memoryBytes);
            return this.maybeRecycle();
          case 'fatal':
            this.account(message.target, message.chainBytes);
            this.pending.get(message.id)?.reject(new Error(message.error));
            this.pending.delete(message.id);
            this.emit('settled');
            return this.fail(message.error);
        }
      });
      worker.on('error', (e) => {
        reject(e);
        if (worker === this.worker) this.fail(`worker crashed: ${e.message}`);
      });
    });
    worker.postMessage(
      {
        kind: 'start',
        dir: this.componentDir!,
        state,
        storeRoot: this.options.storeRoot,
        filesystemBase: this.options.filesystemBase,
        allowedEnv: this.options.allowedEnv,
        rpc: port2,
        signal,
      },
      [port2],
    );
    return ready;
  }

  /** Where the instance settled: after its first call, raised by a call that loaded something large. */
  private settle(memoryBytes: number): void {
    const jump = memoryBytes - this.memoryBytes;
    if (!this.baselineBytes) this.baselineBytes = memoryBytes;
    else if (jump >= LOAD_JUMP_BYTES) this.baselineBytes += jump;
    this.memoryBytes = memoryBytes;
  }

  /**
   * The engine inside the component never gives memory back, so a long-lived instance creeps
   * (toolchain.md §7). Every so many calls, between two calls, the host moves the actor's state to
   * a fresh instance; calls that arrive meanwhile wait for it. On Theater the instance simply lives on.
   */
  private maybeRecycle(): void {
    if (this.drained && this.pending.size === 0) {
      const handOff = this.drained;
      this.drained = undefined;
      return handOff();
    }
    const due =
      ++this.callsSinceRecycle >= this.recycleEvery ||
      this.memoryBytes > this.baselineBytes + RECYCLE_GROWTH_BYTES ||
      this.memoryBytes > RECYCLE_CEILING_BYTES;
    if (!due || this.recycling || this.stopped) return;
    this.callsSinceRecycle = 0;
    // From now on new calls wait; the calls already queued in the old instance finish there first.
    this.recycling = new Promise<void>((resolve) => {
      const handOff = () => {
        this.onReinstantiated = (error) => {
          this.onReinstantiated = undefined;
          if (error) this.options.log(`could not make a fresh component instance, keeping the old one: ${error}`);
          else {
            this.recycles++;
            this.baselineBytes = 0;
            this.options.log(`moved the actor to a fresh component instance (${this.recycles})`);
          }
          resolve();
        };
        this.worker!.postMessage({ kind: 'reinstantiate' });
      };
      if (this.pending.size === 0) handOff();
      else this.drained = handOff;
    }).finally(() => {
      this.recycling = undefined;
    });
  }

  private account(target: string, bytes: number): void {
    this.chainBytes += bytes;
    const entry = this.chainByExport.get(target) ?? { calls: 0, bytes: 0 };
    entry.calls++;
    entry.bytes += bytes;
    this.chainByExport.set(target, entry);
  }

  private logMemory(worker: WorkerMemory): void {
    const mb = (bytes: number) => Math.round(bytes / 1048576);
    const { rss, heapTotal } = process.memoryUsage();
    const rest = rss - heapTotal - worker.heapBytes - worker.linearBytes;
    this.options.log(
      `memory: rss ${mb(rss)} MB = main JS heap ${mb(heapTotal)} + worker JS heap ${mb(worker.heapBytes)} + actor linear memory ${mb(worker.linearBytes)} + ${mb(rest)} code, buffers and the rest (fresh instances so far: ${this.recycles}); chain account ${(this.chainBytes / 1024).toFixed(1)} KB (what Theater c50's event chain would hold for this actor; ${this.chainSummary()})`,
    );
  }

  /** The largest exports of the chain account, for the memory log line. */
  chainSummary(): string {
    return [...this.chainByExport]
      .sort((a, b) => b[1].bytes - a[1].bytes)
      .slice(0, 4)
      .map(([name, { calls, bytes }]) => `${name} ${calls}× ${(bytes / 1024).toFixed(1)} KB`)
      .join(', ');
  }

  private sendFrames(frames: OutgoingFrame[]): void {
    for (const frame of frames) {
      try {
        this.framework.sendWebsocketMessage(frame.server, frame.connection, frame.message);
      } catch {
        // Closed after the actor sent: c50 drops such frames too.
      }
    }
  }

  /** c50: the actor is stopped, not restarted; in-flight callers get nothing. */
  private fail(reason: string): void {
    if (this.stopped) return;
    this.stopped = reason;
    this.failed = true;
    for (const { reject } of this.pending.values()) reject(new Error(reason));
    this.pending.clear();
    this.emit('settled');
    this.emit('fatal', reason);
  }

  /**
   * Stops this actor alone (the server stops its children first; use server.stopActor for
   * `theater stop`). As c50's stop_actor: no new calls; the current call, or a load in progress,
   * gets up to 10 s; queued calls are dropped.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.stopped ??= 'stopped';
      const deadline = Date.now() + STOP_WAIT_MS;
      if (this.loading) await Promise.race([this.loading, sleep(STOP_WAIT_MS)]);
      await this.currentCallDone(Math.max(0, deadline - Date.now()));
      for (const { reject } of this.pending.values()) reject(new Error('actor stopped'));
      this.pending.clear();
      await this.worker?.terminate();
      for (const message of this.mailbox.splice(0)) dropReply(message);
    })();
    return this.stopping;
  }

  private currentCallDone(ms: number): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve();
    const current = Math.min(...this.pending.keys());
    return new Promise((resolve) => {
      const done = () => {
        if (this.pending.has(current)) return;
        clearTimeout(timer);
        this.off('settled', done);
        resolve();
      };
      const timer = setTimeout(() => {
        this.off('settled', done);
        this.options.log(`[actor ${this.id.slice(0, 8)}] its current call did not return within ${ms} ms of the stop: dropped, as c50's stop_actor gives up waiting`);
        resolve();
      }, ms);
      this.on('settled', done);
    });
  }

  /** A child's exit, error or stop, delivered to this actor's supervisor-handlers as c50 does. */
  async childEvent(target: string, params: unknown[]): Promise<void> {
    if (this.stopped) return;
    await this.call(target, params).catch(() => undefined);
  }

  private async call(target: string, params?: unknown[]): Promise<unknown[]> {
    if (this.recycling) await this.recycling;
    if (this.stopped) return Promise.reject(new Error(`actor stopped: ${this.stopped}`));
    const id = this.nextCall++;
    const message: WorkerCall = { kind: 'call', id, target, params };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker!.postMessage(message);
    });
  }

  private async hostCall(op: string, args: unknown[]): Promise<unknown> {
    if (op === 'client.sendHttp') return sendHttp(args[0] as HttpRequest);
    if (op.startsWith('supervisor.')) {
      const fn = this.supervisor[op.slice('supervisor.'.length) as 'spawn'];
      if (typeof fn !== 'function') throw `unknown host function ${op}`;
      return (fn as (...a: unknown[]) => unknown).apply(this.supervisor, args);
    }
    if (op.startsWith('messageServer.')) return this.messageServer(op.slice('messageServer.'.length), args);
    // The server answers requests through the actor that started it (crates/theater-handler-http-framework/src/lib.rs:233-240).
    if (op === 'framework.startServer') return this.framework.startServer(args[0] as bigint, this);
    const name = op.slice('framework.'.length) as keyof HttpFramework;
    const fn = this.framework[name];
    if (!op.startsWith('framework.') || typeof fn !== 'function') throw `unknown host function ${op}`;
    return (fn as (...a: unknown[]) => unknown).apply(this.framework, args);
  }

  /** message-server-host, as this actor calls it (crates/theater-handler-message-server/src/lib.rs:511-925). */
  private messageServer(name: string, args: unknown[]): unknown {
    const router = this.server.router;
    switch (name) {
      case 'send':
        return router.send(args[0] as string, args[1] as Uint8Array);
      case 'request':
        return router.request(args[0] as string, args[1] as Uint8Array);
      case 'openChannel':
        return router.openChannel(this.id, args[0] as string, args[1] as Uint8Array);
      case 'sendOnChannel':
        return router.sendOnChannel(this.id, args[0] as string, args[1] as Uint8Array);
      case 'closeChannel':
        return router.closeChannel(this.id, args[0] as string);
      // c50 never records an outstanding request (lib.rs:390-415): the list is always empty.
      case 'listOutstandingRequests':
        return [];
      case 'respondToRequest':
      case 'cancelRequest':
        throw `Request ID not found: ${String(args[0])}`;
      default:
        throw `unknown host function messageServer.${name}`;
    }
  }

  async handleRequest(handler: bigint, request: HttpRequest): Promise<HttpResponse> {
    const [[response]] = (await this.call('httpHandlers.handleRequest', [handler, request])) as [[HttpResponse]];
    return response;
  }

  async handleMiddleware(handler: bigint, request: HttpRequest): Promise<MiddlewareResult> {
    const [[result]] = (await this.call('httpHandlers.handleMiddleware', [handler, request])) as [[MiddlewareResult]];
    return result;
  }

  async handleWebsocketConnect(handler: bigint, connection: bigint, path: string, query: string | undefined): Promise<void> {
    await this.call('httpHandlers.handleWebsocketConnect', [handler, connection, path, query]);
  }

  async handleWebsocketMessage(handler: bigint, connection: bigint, message: WebsocketMessage): Promise<void> {
    // c50 ignores what this export returns: replies travel through send-websocket-message.
    await this.call('httpHandlers.handleWebsocketMessage', [handler, connection, message]);
  }

  async handleWebsocketDisconnect(handler: bigint, connection: bigint): Promise<void> {
    await this.call('httpHandlers.handleWebsocketDisconnect', [handler, connection]);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/** A message whose sender waits for an answer gets none: c50 drops the oneshot sender. */
function dropReply(message: MailboxMessage): void {
  if (message.kind === 'request' || message.kind === 'channel-open') message.reply(undefined);
}
