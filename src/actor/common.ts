/**
 * What both components (the chat actor and the generator) need from Theater's runtime interface,
 * and nothing that would make the generator import another handler.
 */
import * as runtime from 'theater:simple/runtime';

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

