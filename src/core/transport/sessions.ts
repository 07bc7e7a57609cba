/**
 * Browser sessions behind the access key (bound beyond loopback). The store keeps only hashes, each
 * made with the key it was created under: a new key matches none of them, so rotating the key ends
 * every session without any bookkeeping, and nothing in the store or the state reveals the key.
 *
 * Expiry: the actor has no clock it can trust (Date.now is frozen; the client's and Claude's `date`
 * are not ours to believe), so a session's age is counted in logins, not seconds. The cookie's
 * Max-Age (relative, kept by the browser) ends it on the client; on the server a session ends at
 * logout, at a key rotation, or when MAX_SESSIONS newer logins have pushed it out.
 */
import { z } from 'zod';
import { sha256 } from 'multiformats/hashes/sha2';
import type { Ports } from '../ports.js';

const LABEL = 'auth/sessions';
export const MAX_SESSIONS = 20;
export const SESSION_COOKIE = 'theater_chat_session';
export const SESSION_MAX_AGE_S = 30 * 24 * 3600;

const Stored = z.object({
  /** Logins so far: each session records the one that made it (its creation, counted). */
  logins: z.number().int().nonnegative(),
  sessions: z.array(z.object({ cookie: z.string(), hello: z.string(), created: z.number().int().nonnegative() })).max(MAX_SESSIONS),
});
type Stored = z.infer<typeof Stored>;

const enc = new TextEncoder();
const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const hash = async (...parts: string[]) => hex((await sha256.digest(enc.encode(parts.join('\0')))).digest);

/** Equal strings take the same time to compare whatever their contents (they are hashes: same length). */
export function sameInConstantTime(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
  return diff === 0;
}

/** The key as typed or pasted, against the configured one; both hashed so lengths leak nothing. */
export async function keyMatches(given: string, key: string): Promise<boolean> {
  return sameInConstantTime(await hash('key', given.trim()), await hash('key', key));
}

/** A damaged list ends every session (each browser logs in again) instead of failing every request. */
function load(ports: Ports): Stored {
  const ref = ports.labels.get(LABEL);
  if (!ref) return { logins: 0, sessions: [] };
  let parsed;
  try {
    parsed = Stored.safeParse(JSON.parse(new TextDecoder().decode(ports.content.get(ref))));
  } catch {
    parsed = undefined;
  }
  if (parsed?.success) return parsed.data;
  ports.log.warn('the login sessions are damaged in the store: every browser has to log in again');
  return { logins: 0, sessions: [] };
}

function save(ports: Ports, stored: Stored): void {
  ports.labels.write(LABEL, JSON.stringify(stored));
}

/**
 * What the state remembers of the key that let the open WebSockets in: 64 bits of a hash of it,
 * enough to notice a new key and too little to stand for it anywhere.
 */
export const keyTagOf = (key: string): Promise<string> => hash('socket', key).then((h) => h.slice(0, 16));

/** The token the page of this session carries for `hello`: derived, so the HttpOnly cookie stays unreadable. */
export const helloTokenOf = (secret: string): Promise<string> => hash('hello', secret).then((h) => h.slice(0, 32));

/** A new session: its secret goes in the cookie and nowhere else. */
export async function openSession(ports: Ports, key: string): Promise<string> {
  const secret = (ports.entropy.uuid() + ports.entropy.uuid()).replace(/-/g, '').toLowerCase();
  const stored = load(ports);
  const session = { cookie: await hash('cookie', key, secret), hello: await hash('hello', key, await helloTokenOf(secret)), created: stored.logins + 1 };
  save(ports, { logins: stored.logins + 1, sessions: [...stored.sessions, session].slice(-MAX_SESSIONS) });
  return secret;
}

async function findBy(ports: Ports, field: 'cookie' | 'hello', key: string, value: string): Promise<boolean> {
  const wanted = await hash(field, key, value);
  // Every entry is compared, so the time taken does not say which one matched.
  return load(ports).sessions.reduce((found, s) => sameInConstantTime(s[field], wanted) || found, false);
}

export const cookieIsValid = (ports: Ports, key: string, secret: string) => findBy(ports, 'cookie', key, secret);
export const helloIsValid = (ports: Ports, key: string, token: string) => findBy(ports, 'hello', key, token);

/** Logout: every session ends, in every browser. */
export function endAllSessions(ports: Ports): void {
  save(ports, { logins: load(ports).logins, sessions: [] });
}

/** The session cookie's value in a Cookie header, if any. */
export function sessionCookie(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=');
  }
  return undefined;
}

export function setCookie(secret: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${secret}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_MAX_AGE_S}${secure ? '; Secure' : ''}`;
}

export const clearCookie = (secure: boolean): string => `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`;
