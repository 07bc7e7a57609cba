/** What one actor on the Node host runs with: its component and state, the store, its confinement, and how it is watched. */
import type { TheaterServer } from './theater-server.js';

export interface ActorOptions {
  component: string;
  initState: Uint8Array | undefined;
  storeRoot: string;
  filesystemBase?: string;
  allowedEnv: string[];
  allowedOrigins?: string[];
  /** Where relative manifest paths given to supervisor.spawn resolve (Theater: the server's cwd). */
  manifestDir?: string;
  /**
   * Calls between fresh component instances, whatever the memory (default: none; memory alone
   * decides, instance-memory.ts). A count replaced instances that were not growing: 2,000 calls
   * pass in 10 s of team-scale typing, and each fresh instance starts with cold caches.
   */
  recycleEvery?: number;
  /** Log the process's memory, split by where it lives, this often (THEATER_CHAT_MEMORY_LOG). */
  memoryLogEveryMs?: number;
  log: (line: string) => void;
  /** The theater-server this actor runs in; without one, the actor gets a server of its own. */
  server?: TheaterServer;
  /** Count host calls, store writes and frames for the bench (host-tally.ts). */
  tallyHostCalls?: boolean;
  /** Wait this long before loading the component (a spawned child on c50 compiles it first). */
  loadDelayMs?: number;
}
