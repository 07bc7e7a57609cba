import { AppError } from './errors.js';
import { SECURITY_HEADERS, type CoreResponse } from './http.js';

export interface Asset {
  contentType: string;
  body: Uint8Array;
  /**
   * The same bytes gzipped at build time (the component cannot compress): on Theater c50 every byte
   * of a response stays in the actor's event chain, about 11 times over (theater-c50.md §14).
   */
  gzip?: Uint8Array;
}

/** Path (without leading slash) → asset; built into the component, so Theater needs no asset folder. */
export type AssetTable = Readonly<Record<string, Asset>>;

/**
 * No inline script or style anywhere in the UI, so the policy can be this strict.
 * connect-src 'self' covers the same-origin WebSocket in current browsers.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** RFC 9110 §12.5.3: gzip is acceptable when named (or `*`) without q=0. */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  if (!acceptEncoding) return false;
  return acceptEncoding.split(',').some((item) => {
    const [coding, ...params] = item.split(';').map((p) => p.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    return (coding === 'gzip' || coding === '*') && (q === undefined || Number(q.slice(2)) > 0);
  });
}

export function serveAsset(assets: AssetTable, path: string, acceptEncoding?: string): CoreResponse {
  const asset = Object.prototype.hasOwnProperty.call(assets, path) ? assets[path] : undefined;
  if (!asset) throw new AppError('not_found', `no asset at /${path.slice(0, 200)}`);
  const gzipped = asset.gzip !== undefined && acceptsGzip(acceptEncoding);
  const headers: [string, string][] = [
    ['content-type', asset.contentType],
    // index.html names hashed files, so only it must be revalidated.
    ['cache-control', path === 'index.html' ? 'no-cache' : 'public, max-age=31536000, immutable'],
    ['content-security-policy', CONTENT_SECURITY_POLICY],
    ...SECURITY_HEADERS,
  ];
  if (asset.gzip) headers.push(['vary', 'accept-encoding']);
  if (gzipped) headers.push(['content-encoding', 'gzip']);
  return { status: 200, headers, body: gzipped ? asset.gzip : asset.body };
}
