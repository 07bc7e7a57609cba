/**
 * Theater c50's supervisor host functions for one actor. Children live in the actor's
 * TheaterServer, and their exits, errors and stops go to the server's one supervisor receiver,
 * not necessarily to this actor (theater-server.ts).
 */
import type { ActorHost } from './actor-host.js';
import type { TheaterServer } from './theater-server.js';

/** Children are addressed by TheaterId, a UUID (crates/theater/src/id.rs:95). */
const UUID = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;

function childId(id: string): string {
  // crates/theater-handler-supervisor/src/lib.rs:418-424: "Invalid child ID: <uuid error>".
  if (!UUID.test(id)) throw `Invalid child ID: invalid UUID "${id}"`;
  return id.toLowerCase();
}

export class Supervisor {
  constructor(
    private readonly parent: ActorHost,
    private readonly server: TheaterServer,
  ) {}

  spawn(manifest: string, init: Uint8Array | undefined): Promise<string> {
    return this.server.spawn(this.parent, manifest, init);
  }

  /** c50 never removes a child from its parent's set (theater_runtime.rs:657): stopped children stay listed. */
  listChildren(): string[] {
    return this.server.childrenOf(this.parent.id);
  }

  /**
   * TheaterCommand::StopActor → stop_actor_external (theater_runtime.rs:988-1009): Ok for an id the
   * runtime does not know, any actor's id (not only this actor's children), and the caller waits
   * while the child's current call gets up to 10 s.
   */
  stopChild(id: string): Promise<void> {
    return this.server.stopActor(childId(id));
  }

  restartChild(): void {
    throw 'Actor restart not implemented';
  }

  getChildState(id: string): Uint8Array | undefined {
    if (!this.server.actor(childId(id))) throw `Child not found: ${id}`;
    return undefined;
  }

  resume(manifest: string, state: Uint8Array | undefined): Promise<string> {
    return this.spawn(manifest, state);
  }
}
