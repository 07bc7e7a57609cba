/**
 * Theater c50's supervisor for the Node host: children from a manifest (a path, else TOML text),
 * started without waiting for their init; their exit data, errors and stops reported to the parent's
 * supervisor-handlers exports as c50 reports them.
 */
import { existsSync } from 'node:fs';
import type { ActorHost, ActorOptions } from './actor-host.js';
import { initStateBytes, loadManifest, parseManifest, manifestFromText, resolveFrom } from './manifest.js';

export class Supervisor {
  private children = new Map<string, ActorHost>();

  constructor(
    private readonly parent: ActorHost,
    private readonly options: ActorOptions,
    private readonly create: (options: ActorOptions) => ActorHost,
  ) {}

  spawn(manifest: string, init: Uint8Array | undefined): string {
    const path = resolveFrom(this.options.manifestDir ?? process.cwd(), manifest);
    // c50: a manifest that is not an existing path is taken as the manifest's text.
    const loaded = existsSync(path) ? loadManifest(path) : manifestFromText(parseManifest(manifest, 'spawned manifest'), this.options.manifestDir ?? process.cwd());
    let spawned: Record<string, unknown> = {};
    if (init) {
      try {
        spawned = JSON.parse(new TextDecoder().decode(init)) as Record<string, unknown>;
      } catch {
        throw 'init bytes are not JSON';
      }
    }
    const child = this.create({
      ...this.options,
      component: loaded.componentPath,
      initState: initStateBytes(loaded.initState, spawned),
      filesystemBase: loaded.filesystemBase,
      allowedEnv: loaded.allowedEnv,
      manifestDir: loaded.baseDir,
      allowedOrigins: undefined,
    });
    const id = child.id;
    this.children.set(id, child);
    const forget = () => {
      this.children.delete(id);
      void child.stop();
    };
    child.on('shutdown', (data) => {
      forget();
      void this.parent.childEvent('supervisorHandlers.handleChildExit', [id, data]);
    });
    child.on('fatal', (reason) => {
      forget();
      void this.parent.childEvent('supervisorHandlers.handleChildError', [id, { errorType: 'internal', data: new TextEncoder().encode(reason) }]);
    });
    void child.start().catch((e: unknown) => child.emit('fatal', e instanceof Error ? e.message : String(e)));
    return id;
  }

  listChildren(): string[] {
    return [...this.children.keys()];
  }

  stopChild(id: string): void {
    const child = this.children.get(id);
    if (!child) throw `Child not found: ${id}`;
    this.children.delete(id);
    void child.stop();
    void this.parent.childEvent('supervisorHandlers.handleChildExternalStop', [id]);
  }

  restartChild(): void {
    throw 'Actor restart not implemented';
  }

  getChildState(id: string): Uint8Array | undefined {
    if (!this.children.has(id)) throw `Child not found: ${id}`;
    return undefined;
  }

  resume(manifest: string, state: Uint8Array | undefined): string {
    return this.spawn(manifest, state);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.children.values()].map((c) => c.stop()));
    this.children.clear();
  }
}
