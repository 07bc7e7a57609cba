/** What every HTTP request passes before a route sees it: the right host, origin and body size. */
import { AppError } from '../errors.js';
import type { CoreRequest } from '../http.js';
import type { Settings } from '../app.js';
import { MAX_IMPORT_BYTES } from '../ops/deps.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Bound to loopback, only this machine reaches the app: no key is asked for. */
export const isLoopback = (bindHost: string): boolean => LOOPBACK.has(bindHost.toLowerCase());

function hostname(host: string): string {
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
}

/** A name that is an address: DNS never answers for it, so it cannot be rebound. */
const isAddress = (name: string): boolean => /^\d{1,3}(\.\d{1,3}){3}$/.test(name) || name.startsWith('[');

/**
 * DNS rebinding: a hostile name that resolves to this machine makes the browser treat it as the
 * app's own origin. So on every bind address only loopback names, the names in allowed_hosts (and
 * allowed_origins) and, beyond loopback, IP addresses are answered.
 */
export function checkHost(settings: Settings, req: CoreRequest): void {
  const host = req.headers.get('host');
  if (host === undefined) return; // HTTP/1.0 without a name: no browser sends it, so no rebinding
  const name = hostname(host).toLowerCase();
  const allowed =
    LOOPBACK.has(name) ||
    (!isLoopback(settings.bind_host) && isAddress(name)) ||
    settings.allowed_hosts.includes(name) ||
    settings.allowed_origins.some((o) => new URL(o).host.toLowerCase() === host.toLowerCase());
  if (!allowed) throw new AppError('forbidden', `host "${host.slice(0, 100)}" is not this server: add it to allowed_hosts (--allow-host)`);
}

/** A page on another site must not change chats through the user's browser. */
export function checkOrigin(settings: Settings, req: CoreRequest): void {
  const origin = req.headers.get('origin');
  if (origin === undefined) return; // not sent by a browser on a cross-site request we must fear
  const host = req.headers.get('host');
  let same = false;
  try {
    same = host !== undefined && new URL(origin).host.toLowerCase() === host.toLowerCase();
  } catch {
    same = false;
  }
  if (!same && !settings.allowed_origins.includes(origin)) throw new AppError('forbidden', `origin ${origin.slice(0, 100)} may not change chats`);
}

/**
 * c50 hands the actor request bodies of up to 100 MiB (server_instance.rs:845): the app refuses what
 * is larger than anything it takes (an import, a file, or a message at the content limit) before reading it.
 */
export function checkBodySize(settings: Settings, req: CoreRequest, routeLimit?: number, what?: (size: number, limit: number) => string): void {
  const limit = routeLimit ?? Math.max(MAX_IMPORT_BYTES, 2 * settings.limits.max_content_bytes) + 64 * 1024;
  if (req.body && req.body.length > limit) throw new AppError('payload_too_large', what?.(req.body.length, limit) ?? `the request body is ${req.body.length} bytes; the limit is ${limit}`);
}
