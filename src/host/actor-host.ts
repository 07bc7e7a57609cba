/**
 * One actor on the Node host: the component in a worker, its calls one at a time in arrival
 * order, its host imports on this thread, and c50's rule that an Err or trap stops it for good.
 */
import { EventEmitter } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { randomUUID } from 'node:crypto';
import { ActorMailbox } from './actor-mailbox.js';
import { ChainAccount } from './chain-account.js';
import { startComponentWorker } from './component-worker.js';
import { ExportCalls } from './export-calls.js';
import type { HostCallContext } from './host-calls.js';
import type { HttpFramework } from './http-framework.js';
import { InstanceRecycling, memoryLine } from './instance-memory.js';
import { transpiledFor } from './transpile.js';
import { checkLinkable } from './linkable.js';
import type { MessageRouter } from './message-router.js';
import { Supervisor } from './supervisor.js';
import { TheaterServer } from './theater-server.js';
import type { ActorOptions } from './actor-options.js';
import type { HttpRequest, HttpResponse, MiddlewareResult, WebsocketMessage } from './wit-types.js';
import type { FromWorker, OutgoingFrame, WorkerCall } from './worker-protocol.js';
import type { Tally } from './host-tally.js';

/** stop_actor waits this long for the actor's current call (crates/theater/src/theater_runtime.rs:907-921). */
const STOP_WAIT_MS = 10_000;

export interface ActorHost {
  on(event: 'fatal', listener: (reason: string) => void): this;
  on(event: 'shutdown', listener: (data: Uint8Array | undefined) => void): this;
}

export class ActorHost extends EventEmitter implements HostCallContext {
  readonly id = randomUUID();
  readonly server: TheaterServer;
  private worker?: Worker;
  private readonly exportCalls = new ExportCalls();
  stopped: string | undefined;
  /** Set once a call returned Err or trapped. */
  failed = false;
  /** The component's imports, known once it is loaded. */
  imports = new Set<string>();
  /** Handlers start after the component is loaded and init is queued (crates/theater/src/actor/runtime.rs:409-465). */
  handlersStarted = false;
  /** The chain account: bytes Theater c50's event chain would hold for this actor (chain-account.ts). */
  readonly chain = new ChainAccount();
  private readonly mailbox = new ActorMailbox(
    (target, params) => this.call(target, params),
    () => this.stopped !== undefined,
  );
  private loading?: Promise<unknown>;
  private stopping?: Promise<void>;
  /** Size of the state after the last call: the figure the state-size benchmark reads. */
  lastStateBytes = 0;
  private componentDir?: string;
  readonly recycling: InstanceRecycling;
  private tallyAsked: ((tally: Tally) => void)[] = [];

  readonly supervisor: Supervisor;

  constructor(private options: ActorOptions) {
    super();
    this.recycling = new InstanceRecycling({
      every: options.recycleEvery ?? Number.POSITIVE_INFINITY,
      reinstantiate: () => this.worker!.postMessage({ kind: 'reinstantiate' }),
      pendingCalls: () => this.exportCalls.size,
      log: options.log,
    });
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

  get chainBytes(): number {
    return this.chain.bytes;
  }

  get chainByExport(): ReadonlyMap<string, { calls: number; bytes: number }> {
    return this.chain.byExport;
  }

  get router(): MessageRouter {
    return this.server.router;
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
    if (this.stopped) return;
    // c50 compiles at load, then sets up handlers (the mailbox: crates/theater-handler-message-server/
    // src/lib.rs:472-492), then instantiates. Registered before compiling, the mailbox made whoever
    // opened a channel to this actor wait seconds for the compile.
    this.worker = await this.spawnWorker(this.options.initState, async () => {
      if (!this.stopped && this.imports.has('theater:simple/message-server-host')) await this.server.router.register(this.id, (m) => this.mailbox.deliver(m));
    });
    if (this.options.memoryLogEveryMs) setInterval(() => this.worker?.postMessage({ kind: 'memory' }), this.options.memoryLogEveryMs).unref();
  }

  private startHandlers(): void {
    this.handlersStarted = true;
    if (this.imports.has('theater:simple/supervisor')) this.server.supervisorStarted(this);
    this.mailbox.start();
  }

  /** A worker running the component with this state (init is not called: the caller decides). */
  private spawnWorker(state: Uint8Array | undefined, compiled: () => Promise<void>): Promise<Worker> {
    const { storeRoot, filesystemBase, allowedEnv, tallyHostCalls: tally } = this.options;
    return startComponentWorker({
      start: { dir: this.componentDir!, state, storeRoot, filesystemBase, allowedEnv, tally },
      host: this,
      onMessage: (message) => this.onWorkerMessage(message),
      compiled,
      onCrash: (worker, e) => {
        if (worker === this.worker) this.fail(`worker crashed: ${e.message}`);
      },
    });
  }

  private onWorkerMessage(message: FromWorker): void {
    switch (message.kind) {
      case 'log':
        return this.options.log(`[actor ${this.id.slice(0, 8)}] ${message.line}`);
      case 'shutdown':
        return void this.emit('shutdown', message.data);
      case 'frames':
        return this.sendFrames(message.sent);
      case 'memory':
        return this.options.log(memoryLine(message, this.recycling.recycles, this.chain.bytes, this.chain.summary()));
      case 'tally':
        return this.tallyAsked.shift()?.(message.tally);
      case 'reinstantiated':
        return this.recycling.reinstantiated(message.error);
      case 'result':
        this.sendFrames(message.sent);
        this.lastStateBytes = message.stateBytes;
        this.chain.add(message.target, message.chainBytes);
        this.exportCalls.returned(message.id, message.results);
        this.recycling.settle(message.memoryBytes);
        return this.recycling.afterCall(this.stopped !== undefined);
      case 'fatal':
        this.chain.add(message.target, message.chainBytes);
        this.exportCalls.failed(message.id, new Error(message.error));
        return this.fail(message.error);
    }
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

  /** What the guest asked of the host so far; counted only with the tallyHostCalls option (host-tally.ts). */
  tally(): Promise<Tally> {
    return new Promise((resolve) => {
      this.tallyAsked.push(resolve);
      this.worker!.postMessage({ kind: 'tally' });
    });
  }

  /** c50: the actor is stopped, not restarted; in-flight callers get nothing. */
  private fail(reason: string): void {
    if (this.stopped) return;
    this.stopped = reason;
    this.failed = true;
    this.exportCalls.failAll(new Error(reason));
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
      const ms = Math.max(0, deadline - Date.now());
      if (!(await this.exportCalls.oldestSettled(ms))) {
        this.options.log(`[actor ${this.id.slice(0, 8)}] its current call did not return within ${ms} ms of the stop: dropped, as c50's stop_actor gives up waiting`);
      }
      this.exportCalls.failAll(new Error('actor stopped'));
      await this.worker?.terminate();
      this.mailbox.dropAll();
    })();
    return this.stopping;
  }

  /** A child's exit, error or stop, delivered to this actor's supervisor-handlers as c50 does. */
  async childEvent(target: string, params: unknown[]): Promise<void> {
    if (this.stopped) return;
    await this.call(target, params).catch(() => undefined);
  }

  private async call(target: string, params?: unknown[]): Promise<unknown[]> {
    if (this.recycling.waiting) await this.recycling.waiting;
    if (this.stopped) return Promise.reject(new Error(`actor stopped: ${this.stopped}`));
    return this.exportCalls.start((id) => this.worker!.postMessage({ kind: 'call', id, target, params } satisfies WorkerCall));
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
