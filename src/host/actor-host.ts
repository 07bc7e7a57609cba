/**
 * One actor on the Node host: the component in a worker, its calls one at a time in arrival
 * order, its host imports on this thread, and c50's rule that an Err or trap stops it for good.
 */
import { EventEmitter } from 'node:events';
import { MessageChannel, Worker } from 'node:worker_threads';
import { randomUUID } from 'node:crypto';
import { HttpFramework } from './http-framework.js';
import { sendHttp } from './http-client.js';
import { transpiledFor } from './transpile.js';
import { checkLinkable } from './linkable.js';
import { Supervisor } from './supervisor.js';
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
}

export interface ActorHost {
  on(event: 'fatal', listener: (reason: string) => void): this;
  on(event: 'shutdown', listener: (data: Uint8Array | undefined) => void): this;
}

export class ActorHost extends EventEmitter implements ActorCalls {
  readonly id = randomUUID();
  readonly framework: HttpFramework;
  private worker?: Worker;
  private pending = new Map<number, { resolve: (r: unknown[]) => void; reject: (e: Error) => void }>();
  private nextCall = 1;
  stopped: string | undefined;
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
    this.supervisor = new Supervisor(this, options, (o) => new ActorHost(o));
    this.framework = new HttpFramework(this, {
      allowedOrigins: options.allowedOrigins,
      log: options.log,
      // The worker keeps its view of open sockets across fresh instances, so changes go straight to it.
      onSocket: (server, connection, open) => this.worker?.postMessage({ kind: open ? 'ws-open' : 'ws-closed', server, connection }),
    });
  }

  async start(): Promise<void> {
    const transpiled = await transpiledFor(this.options.component);
    checkLinkable(transpiled.imports, transpiled.exports);
    this.componentDir = transpiled.dir;
    this.worker = await this.spawnWorker(this.options.initState);
    if (this.options.memoryLogEveryMs) setInterval(() => this.worker?.postMessage({ kind: 'memory' }), this.options.memoryLogEveryMs).unref();
    await this.call('actor.init');
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
            this.pending.get(message.id)?.resolve(message.results);
            this.pending.delete(message.id);
            this.settle(message.memoryBytes);
            return this.maybeRecycle();
          case 'fatal':
            this.pending.get(message.id)?.reject(new Error(message.error));
            this.pending.delete(message.id);
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

  private logMemory(worker: WorkerMemory): void {
    const mb = (bytes: number) => Math.round(bytes / 1048576);
    const { rss, heapTotal } = process.memoryUsage();
    const rest = rss - heapTotal - worker.heapBytes - worker.linearBytes;
    this.options.log(
      `memory: rss ${mb(rss)} MB = main JS heap ${mb(heapTotal)} + worker JS heap ${mb(worker.heapBytes)} + actor linear memory ${mb(worker.linearBytes)} + ${mb(rest)} code, buffers and the rest (fresh instances so far: ${this.recycles})`,
    );
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
    for (const { reject } of this.pending.values()) reject(new Error(reason));
    this.pending.clear();
    this.emit('fatal', reason);
  }

  async stop(): Promise<void> {
    this.stopped ??= 'stopped';
    await this.supervisor.stopAll();
    await this.framework.closeAll();
    await this.worker?.terminate();
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
    const name = op.slice('framework.'.length) as keyof HttpFramework;
    const fn = this.framework[name];
    if (!op.startsWith('framework.') || typeof fn !== 'function') throw `unknown host function ${op}`;
    return (fn as (...a: unknown[]) => unknown).apply(this.framework, args);
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
