/**
 * Thinking signatures and redacted-thinking data the mock can check when a client echoes them:
 * HMACs under a fixed key, so the check holds across mock restarts and needs no memory. The key is
 * no secret (it is right here); it only makes a changed block detectable, as the real API does.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const KEY = 'theater-chat mock Claude API: fixed key for thinking signatures';
const REDACTED_MAGIC = Buffer.from('mock-redacted-thinking:');
const MAC_BYTES = 32;

const mac = (purpose: string, data: Buffer | string) => createHmac('sha256', KEY).update(purpose).update('\0').update(data).digest();

const same = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);

export const signThinking = (thinking: string) => mac('thinking', thinking).toString('base64');

export const verifyThinking = (thinking: string, signature: string) => signature === signThinking(thinking);

/** Opaque-looking data derived from `seed`, so the same request gets the same block. */
export function redactedData(seed: string): string {
  const payload = createHash('sha256').update(seed).digest().subarray(0, 24);
  return Buffer.concat([REDACTED_MAGIC, payload, mac('redacted', payload)]).toString('base64');
}

export function verifyRedacted(data: string): boolean {
  const bytes = Buffer.from(data, 'base64');
  if (bytes.toString('base64') !== data || bytes.length <= REDACTED_MAGIC.length + MAC_BYTES) return false;
  if (!same(bytes.subarray(0, REDACTED_MAGIC.length), REDACTED_MAGIC)) return false;
  const payload = bytes.subarray(REDACTED_MAGIC.length, bytes.length - MAC_BYTES);
  return same(bytes.subarray(bytes.length - MAC_BYTES), mac('redacted', payload));
}

/** Ids and opaque fields of a reply, stable for the same request. */
export const digest = (...parts: (string | number)[]) => createHash('sha256').update(parts.join('\0')).digest('base64url');
