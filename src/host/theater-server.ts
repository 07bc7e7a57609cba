/**
 * What one Theater c50 `theater-server` shares between all its actors (theater-c50.md §14), on Node:
 * one http-framework registry, one supervisor channel, one message router, and the runtime's actor
 * table with its parent → children sets. Every ActorHost belongs to exactly one TheaterServer.
 *
 * Sources (colinrozzi/theater at c50b1871):
 *  - crates/theater-server/src/server.rs:325-410 builds one handler registry; activating a handler
 *    for an actor clones it over Arc-shared fields (crates/theater/src/handler/mod.rs).
 *  - crates/theater/src/theater_runtime.rs: spawn_actor (:522-671), stop_actor (:792-960),
 *    shutdown_actor (:963-985), stop_actor_external (:988-1009), handle_actor_error (:729-772).
 */
import { existsSync } from 'node:fs';
import { ActorHost } from './actor-host.js';
import type { ActorOptions } from './actor-options.js';
import { HttpFramework } from './http-framework.js';
import { MessageRouter } from './message-router.js';
import { initStateBytes, loadManifest, manifestFromText, parseManifest, resolveFrom } from './manifest.js';

export interface ServerOptions {
  storeRoot: string;
  log: (line: string) => void;
  /** Delay before a spawned child loads its component (THEATER_CHAT_SPAWN_DELAY_MS), to imitate c50's compile. */
  spawnDelayMs?: number;
  recycleEvery?: number;
  memoryLogEveryMs?: number;
}

interface Entry {
  actor: ActorHost;
  parent?: string;
  /** c50 only ever adds to this set (theater_runtime.rs:657): list-children keeps ids of stopped children. */
  children: Set<string>;
  stopping?: Promise<void>;
}

export type ChildEvent = 'handleChildExit' | 'handleChildError' | 'handleChildExternalStop';

export class TheaterServer {
  readonly framework: HttpFramework;
  readonly router = new MessageRouter();
  private actors = new Map<string, Entry>();
  /**
   * The one supervisor receiver: the first actor whose supervisor handler starts takes it
   * (crates/theater-handler-supervisor/src/lib.rs:50-76, 655-663); later ones get nothing.
   */
  private receiver: ActorHost | undefined;
  private receiverTaken = false;
  /** The runtime's command loop handles one command at a time (theater_runtime.rs:225-520). */
  private commands: Promise<unknown> = Promise.resolve();

  constructor(readonly options: ServerOptions) {
    this.framework = new HttpFramework({ log: options.log });
  }

  private command<T>(fn: () => T | Promise<T>): Promise<T> {
    const done = this.commands.then(fn);
    this.commands = done.catch(() => undefined);
    return done;
  }

  /** A top-level actor, as `theater start` makes one: no parent, no supervisor to tell. Not started yet. */
  launch(options: Omit<ActorOptions, 'server' | 'storeRoot' | 'log'> & Partial<Pick<ActorOptions, 'storeRoot' | 'log'>>): ActorHost {
    const actor = new ActorHost({
      storeRoot: this.options.storeRoot,
      log: this.options.log,
      recycleEvery: this.options.recycleEvery,
      memoryLogEveryMs: this.options.memoryLogEveryMs,
      ...options,
      server: this,
    });
    this.adopt(actor, undefined);
    return actor;
  }

  /** `theater start <manifest>` inside this running server; resolves once its init returned. */
  async startActor(manifestPath: string, overrides: Record<string, unknown> = {}): Promise<ActorHost> {
    const loaded = loadManifest(manifestPath);
    const actor = this.launch({
      component: loaded.componentPath,
      initState: initStateBytes(loaded.initState, overrides),
      filesystemBase: loaded.filesystemBase,
      allowedEnv: loaded.allowedEnv,
      manifestDir: loaded.baseDir,
    });
    await actor.start();
    return actor;
  }

  /** `theater stop <id>` or supervisor stop-child: Ok for ids it does not know (theater_runtime.rs:795-799). */
  stopActor(id: string): Promise<void> {
    return this.command(async () => {
      const entry = this.actors.get(id);
      // stop_actor_external tells the supervisor channel first, for actors that were spawned with one.
      if (entry?.parent !== undefined) this.childEvent('handleChildExternalStop', [id]);
      await this.stopTree(id);
    });
  }

  /** Stops every actor, children first: the end of the server process. */
  async shutdown(): Promise<void> {
    for (const [id, entry] of [...this.actors]) if (entry.parent === undefined) await this.stopTree(id);
    await this.framework.stopAll();
  }

  actor(id: string): ActorHost | undefined {
    return this.actors.get(id)?.actor;
  }

  childrenOf(parent: string): string[] {
    return [...(this.actors.get(parent)?.children ?? [])];
  }

  /** supervisor.spawn: returns the id as soon as the child is registered; it loads and inits afterwards. */
  spawn(parent: ActorHost, manifest: string, init: Uint8Array | undefined): Promise<string> {
    return this.command(() => {
      const base = parent.manifestDir;
      const path = resolveFrom(base, manifest);
      // c50: a manifest that is not an existing path is taken as the manifest's text (theater_runtime.rs:540-556).
      const loaded = existsSync(path) ? loadManifest(path) : manifestFromText(parseManifest(manifest, 'spawned manifest'), base);
      let spawned: Record<string, unknown> = {};
      if (init) {
        try {
          spawned = JSON.parse(new TextDecoder().decode(init)) as Record<string, unknown>;
        } catch {
          throw 'init bytes are not JSON';
        }
      }
      const child = new ActorHost({
        storeRoot: this.options.storeRoot,
        log: this.options.log,
        recycleEvery: this.options.recycleEvery,
        memoryLogEveryMs: this.options.memoryLogEveryMs,
        component: loaded.componentPath,
        initState: initStateBytes(loaded.initState, spawned),
        filesystemBase: loaded.filesystemBase,
        allowedEnv: loaded.allowedEnv,
        manifestDir: loaded.baseDir,
        loadDelayMs: this.options.spawnDelayMs,
        server: this,
      });
      this.adopt(child, parent.id);
      // c50 logs a child that fails to load and tells nobody (actor/runtime.rs:529-532).
      void child.start().catch((e: unknown) => this.options.log(`[actor ${child.id.slice(0, 8)}] failed to start: ${e instanceof Error ? e.message : String(e)}`));
      return child.id;
    });
  }

  /** Enters an actor in the runtime's table (public for an ActorHost made without a server). */
  adopt(actor: ActorHost, parent: string | undefined): void {
    this.actors.set(actor.id, { actor, parent, children: new Set() });
    if (parent !== undefined) this.actors.get(parent)?.children.add(actor.id);
    actor.on('shutdown', (data) => {
      // shutdown_actor: the exit goes to the supervisor channel, then the actor is stopped (theater_runtime.rs:963-985).
      void this.command(async () => {
        if (!this.actors.has(actor.id)) return;
        if (parent !== undefined) this.childEvent('handleChildExit', [actor.id, data]);
        await this.stopTree(actor.id);
      });
    });
    actor.on('fatal', (reason) => {
      // handle_actor_error: the error goes to the supervisor channel, then the actor is stopped (theater_runtime.rs:729-772).
      if (parent !== undefined) this.childEvent('handleChildError', [actor.id, { errorType: 'internal', data: new TextEncoder().encode(reason) }]);
      void this.command(() => this.stopTree(actor.id));
    });
  }

  /** stop_actor: children first (without telling anyone), then the actor itself (theater_runtime.rs:863-960). */
  private stopTree(id: string): Promise<void> {
    const entry = this.actors.get(id);
    if (!entry) return Promise.resolve();
    entry.stopping ??= (async () => {
      for (const child of entry.children) await this.stopTree(child);
      await entry.actor.stop();
      this.actors.delete(id);
      await this.stopped(entry.actor);
    })();
    return entry.stopping;
  }

  /** What the stopped actor's handlers do when they receive the shutdown signal. */
  private async stopped(actor: ActorHost): Promise<void> {
    if (actor === this.receiver) this.receiver = undefined;
    if (actor.handlersStarted && actor.imports.has('theater:simple/message-server-host')) await this.router.unregister(actor.id);
    // http-framework's shutdown monitor stops every server in the shared map (crates/theater-handler-http-framework/src/lib.rs:1034-1100).
    if (actor.handlersStarted && actor.imports.has('theater:simple/http-framework') && !actor.failed) {
      this.options.log(`[actor ${actor.id.slice(0, 8)}] stopped: its http-framework handler stops every HTTP server of this host, as on Theater c50`);
      await this.framework.stopAll();
    }
  }

  /** Called when an actor importing supervisor starts its handlers. */
  supervisorStarted(actor: ActorHost): void {
    if (this.receiverTaken) {
      this.options.log(`[actor ${actor.id.slice(0, 8)}] supervisor handler has no receiver (cloned instance): it will hear of no child, as on Theater c50`);
      return;
    }
    this.receiverTaken = true;
    this.receiver = actor;
  }

  /** Any child's exit, error or stop goes to the receiver, whoever its parent is; with none, nowhere. */
  private childEvent(target: ChildEvent, params: unknown[]): void {
    const receiver = this.receiver;
    if (receiver && !receiver.stopped) void receiver.childEvent(`supervisorHandlers.${target}`, params);
  }
}
