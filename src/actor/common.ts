/** What both components need around Theater's imports: errors, logging, bytes, and no timers. */
import { runtime } from './theater.js';

/** jco raises a failed import as an Error whose `payload` holds the WIT error string. */
export function describe(e: unknown): string {
  if (e && typeof e === 'object' && 'payload' in e && typeof (e as { payload: unknown }).payload === 'string') {
    return (e as { payload: string }).payload;
  }
  return e instanceof Error ? e.message : String(e);
}

/** Ends this actor. */
export function shutdown(): void {
  runtime.shutdown(undefined);
}

export function log(message: string): void {
  try {
    runtime.log(message);
  } catch {
    // Logging must never be the reason an export fails.
  }
}

/**
 * Bytes lifted from a host import are Uint8Arrays of another realm inside componentize-js:
 * `instanceof Uint8Array` is false, which libraries such as multiformats reject. Copy them in.
 */
export function ownBytes(bytes: Uint8Array): Uint8Array {
  return bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
}

/**
 * The SDK arms a timer around every request; without WASI clocks setTimeout traps. The host's
 * send-http blocks until the response is complete, so a timer that never fires loses nothing.
 */
export function withoutTimers(): void {
  let timerId = 0;
  globalThis.setTimeout = (() => ++timerId) as unknown as typeof setTimeout;
  globalThis.clearTimeout = (() => undefined) as typeof clearTimeout;
}

/** jco's guest types do not say that an export may return a Promise; componentize-js settles it. */
export type Awaitable<F> = F extends (...args: infer A) => infer R ? (...args: A) => R | Promise<R> : never;
