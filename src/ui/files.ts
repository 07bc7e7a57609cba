/** Which files Claude can read, what they are called on screen, and where the stored ones are served. */
import type { Attachment } from '../core/dag/parts.js';

export type { Attachment };
export type FileKind = Attachment['kind'];

export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];
export const MAX_FILES = 20;

/**
 * Text and code: browsers give many of these no type, or a vendor one (a .ts file is
 * video/mp2t), so the name's ending decides. The server reads the bytes and has the last word.
 */
const TEXT_ENDINGS =
  'txt md markdown csv tsv json jsonl yaml yml toml ini cfg conf log xml html htm css scss less js mjs cjs jsx ts tsx py rb go rs java kt kts swift c h cc cpp hpp cs php pl sh bash zsh fish ps1 sql r lua dart scala clj ex exs erl hs ml elm vue svelte tex rst org diff patch gitignore dockerfile makefile env properties gradle nix wit'.split(' ');

const ending = (name: string) => (name.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : name).toLowerCase();

/** What the file would be sent as, or null when Claude cannot read it. */
export function kindOf(file: { name: string; type: string }): FileKind | null {
  if (IMAGE_TYPES.includes(file.type)) return 'image';
  if (file.type === 'application/pdf' || ending(file.name) === 'pdf') return 'pdf';
  if (file.type.startsWith('image/') || file.type.startsWith('audio/') || (file.type.startsWith('video/') && ending(file.name) !== 'ts')) return null;
  if (file.type.startsWith('text/') || file.type === 'application/json' || TEXT_ENDINGS.includes(ending(file.name))) return 'text';
  return null;
}

/** The picker's filter: the same files kindOf takes. */
export const ACCEPT = [...IMAGE_TYPES, 'application/pdf', 'text/*', 'application/json', ...TEXT_ENDINGS.map((e) => `.${e}`)].join(',');

export const UNSUPPORTED = 'Claude cannot read this kind of file. Attach images (PNG, JPEG, GIF, WebP), PDFs, or text and code files.';

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
}

/** "PNG · 640×480 · 12 KB", "PDF · 3 pages · 1.2 MB", "Text · 2 KB" */
export function describeFile(file: Pick<Attachment, 'kind' | 'media_type' | 'size' | 'width' | 'height' | 'pages'>): string {
  const parts: string[] = [];
  if (file.kind === 'image') parts.push((file.media_type.split('/')[1] ?? 'image').toUpperCase());
  else parts.push(file.kind === 'pdf' ? 'PDF' : 'Text');
  if (file.width && file.height) parts.push(`${file.width}×${file.height}`);
  if (file.pages) parts.push(file.pages === 1 ? '1 page' : `${file.pages} pages`);
  parts.push(formatSize(file.size));
  return parts.join(' · ');
}

/** Images are shown from here; anything else downloads under its own name. */
export function blobUrl(cid: string, name?: string): string {
  return `/api/blobs/${encodeURIComponent(cid)}${name ? `?name=${encodeURIComponent(name)}` : ''}`;
}

/** A box of at most `max` pixels each way, with the image's proportions: the space is kept before it loads. */
export function fitBox(width: number | undefined, height: number | undefined, max: number): { width: number; height: number } {
  if (!width || !height) return { width: max, height: max };
  const scale = Math.min(1, max / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** Byte counts in a server's refusal, in units a person reads ("52428800 bytes" → "50 MB"). */
export function plainSizes(message: string): string {
  return message.replace(/\b(\d{4,}) bytes\b/g, (_m, bytes: string) => formatSize(Number(bytes)));
}
