import { AppError } from './errors.js';
import { SECURITY_HEADERS, type CoreResponse } from './http.js';

export interface Asset {
  contentType: string;
  body: Uint8Array;
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

export function serveAsset(assets: AssetTable, path: string): CoreResponse {
  const asset = Object.prototype.hasOwnProperty.call(assets, path) ? assets[path] : undefined;
  if (!asset) throw new AppError('not_found', `no asset at /${path.slice(0, 200)}`);
  return {
    status: 200,
    headers: [
      ['content-type', asset.contentType],
      // index.html names hashed files, so only it must be revalidated.
      ['cache-control', path === 'index.html' ? 'no-cache' : 'public, max-age=31536000, immutable'],
      ['content-security-policy', CONTENT_SECURITY_POLICY],
      ...SECURITY_HEADERS,
    ],
    body: asset.body,
  };
}
