/**
 * The ports the core needs from whatever runs it: Theater (src/actor) or a test.
 * Kept small and synchronous where Theater's imports are synchronous.
 */

/** Immutable bytes, addressed by the host's own hash (Theater: SHA-1 hex). */
export interface ContentStore {
  put(bytes: Uint8Array): string;
  get(ref: string): Uint8Array;
  has(ref: string): boolean;
}

/** The only mutable pointers: a label names one stored ref. */
export interface Labels {
  get(label: string): string | undefined;
  set(label: string, ref: string): void;
  /**
   * Stores the content (text as UTF-8) and points the label at it: one host call (c50
   * replace-content-at-label), not two. Text lets the port encode where it costs least.
   */
  write(label: string, content: Uint8Array | string): string;
  remove(label: string): void;
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Entropy the host can vouch for: a pure component has only a deterministic PRNG. */
export interface Entropy {
  uuid(): string;
}

export interface Ports {
  content: ContentStore;
  labels: Labels;
  log: Logger;
  entropy: Entropy;
}
