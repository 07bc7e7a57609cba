/**
 * Attached files over HTTP. Upload is one request (the whole file, or nothing); download serves the
 * stored bytes under their id, which never changes, with a type read from the bytes: an image is
 * shown, anything else is a download, and nothing is ever served as a page that could run script.
 */
import { AppError } from '../errors.js';
import { SECURITY_HEADERS, type CoreRequest, type CoreResponse } from '../http.js';
import type { ServedType } from '../claude/media.js';
import { exportFilename } from '../carry/export.js';

/** The name a browser sends in `x-file-name` (percent-encoded: header values are ASCII). */
export function declaredName(req: CoreRequest): string | undefined {
  const raw = req.headers.get('x-file-name');
  if (raw === undefined) return undefined;
  try {
    return decodeURIComponent(raw).slice(0, 255);
  } catch {
    throw new AppError('bad_request', 'x-file-name is not percent-encoded');
  }
}

export function fileResponse(bytes: Uint8Array, file: ServedType, name: string | null): CoreResponse {
  const disposition = file.kind === 'image' ? 'inline' : `attachment; filename="${exportFilename(name?.replace(/\.[^.]*$/, '') || 'file', extension(file, name))}"`;
  return {
    status: 200,
    headers: [
      ['content-type', file.media_type],
      ['content-disposition', disposition],
      // The id is the hash of the bytes: what it names never changes.
      ['cache-control', 'private, max-age=31536000, immutable'],
      // Even opened on its own, nothing in it runs.
      ['content-security-policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"],
      ...SECURITY_HEADERS,
    ],
    body: bytes,
  };
}

/**
 * Saved, a file opens by its extension: one a browser or the system would run (a page, a script,
 * a program) would run what a chat carried. Those become .txt.
 */
const RUNS_WHEN_OPENED = new Set(['htm', 'html', 'xhtml', 'shtml', 'svg', 'svgz', 'xml', 'xsl', 'hta', 'js', 'jse', 'vbs', 'vbe', 'wsf', 'ps1', 'bat', 'cmd', 'exe', 'com', 'scr', 'msi', 'pif', 'cpl', 'lnk', 'url', 'reg', 'jar', 'app', 'command', 'desktop', 'webloc']);

/** A text file keeps its own extension (notes.md stays .md) unless it is one that runs: it is served as text/plain whatever it says. */
function extension(file: ServedType, name: string | null): string {
  if (file.kind === 'pdf') return 'pdf';
  const own = /\.([A-Za-z0-9]{1,8})$/.exec(name ?? '')?.[1]?.toLowerCase();
  if (file.kind === 'text') return own && !RUNS_WHEN_OPENED.has(own) ? own : 'txt';
  if (file.kind === 'binary') return own && !RUNS_WHEN_OPENED.has(own) ? own : 'bin';
  return file.media_type.split('/')[1] ?? 'bin';
}
