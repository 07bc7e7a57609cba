/**
 * What the Messages API takes as attachments, checked before anything is stored, so a refusal
 * names the limit instead of arriving later as a 400 or 413. The limits are dated; the sources are
 * in docs/claude-features.md. Sizes are in MiB, as Anthropic's "5 MB" (5,242,880 bytes) is.
 *
 * Every byte limit counts bytes as sent: images and PDFs travel base64-encoded, which makes them
 * 4/3 larger, and the API checks the encoded length (an image over 5 MB encoded is refused even
 * when its file is 4 MB).
 */
import { z } from 'zod';
import { AppError } from '../errors.js';
import { isText, sniff } from './media.js';
import { readPdf } from './pdf.js';

export const ATTACHMENT_LIMITS_AS_OF = '2026-12-05';
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
export type AttachmentKind = 'image' | 'pdf' | 'text';

export interface Inspected {
  kind: AttachmentKind;
  /** The real type, from the bytes; text of any kind is sent as text/plain. */
  media_type: string;
  /** Bytes of the file itself (not encoded). */
  size: number;
  width?: number;
  height?: number;
  /** Left out when a PDF's pages cannot be counted (see pdf.ts); the API then decides. */
  pages?: number;
  /** The name the file came with, for messages only. */
  name?: string;
}

export interface AttachmentLimits {
  /** Per image, base64-encoded. */
  image_bytes: number;
  /** Longest side of an image, in pixels. */
  image_pixels: number;
  /** Per PDF, base64-encoded. */
  pdf_bytes: number;
  /** Pages of all PDFs in one request. */
  pdf_pages: number;
  /** Per text file. */
  text_bytes: number;
  /** All attachments of one request, as sent. */
  request_bytes: number;
  images_per_request: number;
}

const MiB = 1024 * 1024;

/** Accepted by every model, whatever its context window. */
export const API_LIMITS: Readonly<AttachmentLimits> = Object.freeze({
  image_bytes: 5 * MiB,
  image_pixels: 8000,
  pdf_bytes: 32 * MiB,
  pdf_pages: 100,
  text_bytes: 32 * MiB,
  request_bytes: 32 * MiB,
  images_per_request: 100,
});

/** Models with a 1M-token context window take 600 images and 600 PDF pages in a request. */
export const API_LIMITS_1M: Readonly<AttachmentLimits> = Object.freeze({ ...API_LIMITS, pdf_pages: 600, images_per_request: 600 });

export function apiLimitsFor(contextWindow: number | undefined): Readonly<AttachmentLimits> {
  return contextWindow !== undefined && contextWindow >= 1_000_000 ? API_LIMITS_1M : API_LIMITS;
}

/** With more than this many images in a request, each may be at most MANY_IMAGES_PIXELS on a side. */
export const MANY_IMAGES = 20;
export const MANY_IMAGES_PIXELS = 2000;

/** Caps an operator may set in the init state; each only lowers the API's limit. */
export const AttachmentCaps = z
  .object({
    image_bytes: z.number().int().positive(),
    image_pixels: z.number().int().positive(),
    pdf_bytes: z.number().int().positive(),
    pdf_pages: z.number().int().positive(),
    text_bytes: z.number().int().positive(),
    request_bytes: z.number().int().positive(),
    images_per_request: z.number().int().positive(),
  })
  .partial();

export function effectiveLimits(userCaps: Partial<AttachmentLimits> | undefined, api: Readonly<AttachmentLimits> = API_LIMITS): AttachmentLimits {
  const limits = { ...api };
  for (const key of Object.keys(limits) as (keyof AttachmentLimits)[]) {
    const cap = userCaps?.[key];
    // A cap that is not a positive number is no cap: it must never raise a limit or refuse everything.
    if (typeof cap === 'number' && Number.isFinite(cap) && cap >= 1) limits[key] = Math.min(limits[key], Math.floor(cap));
  }
  return limits;
}

/** Bytes an attachment takes in the request: base64 for images and PDFs, the text itself otherwise. */
export function sentSize(item: Pick<Inspected, 'kind' | 'size'>): number {
  return item.kind === 'text' ? item.size : 4 * Math.ceil(item.size / 3);
}

/** The largest file whose base64 form fits in `encoded` bytes. */
const fileLimit = (encoded: number) => Math.floor(encoded / 4) * 3;

/** A file's size rounds up and a limit down, so a file just over a limit never reads as equal to it. */
function formatBytes(n: number, round: 'up' | 'down'): string {
  const r = round === 'up' ? Math.ceil : Math.floor;
  const [unitBytes, unit, step] = n >= MiB ? [MiB, 'MB', n >= 10 * MiB ? 10 : 100] : n >= 1024 ? [1024, 'KB', 1] : [1, 'bytes', 1];
  return `${r((n * step) / unitBytes) / step} ${unit}`;
}
const sizeOf = (n: number) => formatBytes(n, 'up');
const limitOf = (n: number) => formatBytes(n, 'down');

/** The file's name as a message shows it: no control characters, not endless. */
function quoted(name: string | undefined, fallback: string): string {
  const clean = (name ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (!clean) return fallback;
  return `“${clean.length > 80 ? `${clean.slice(0, 77)}…` : clean}”`;
}

const tooLarge = (message: string) => new AppError('payload_too_large', message);
const UNREADABLE = 'attach images (PNG, JPEG, GIF, WebP), PDFs or text files';

/**
 * The real type and size of a file, refused when the API would refuse it. The declared name and
 * type are used for messages only: the bytes decide.
 */
export function inspectAttachment(bytes: Uint8Array, declared?: { name?: string; media_type?: string }, limits: Readonly<AttachmentLimits> = API_LIMITS): Inspected {
  const who = quoted(declared?.name, 'This file');
  const named = declared?.name !== undefined ? { name: declared.name } : {};
  const size = bytes.length;
  if (size === 0) throw new AppError('bad_request', `${who} is empty`);
  const found = sniff(bytes);
  if (found?.kind === 'other-image') throw new AppError('bad_request', `${who} is a ${found.format} image: Claude takes PNG, JPEG, GIF and WebP images`);
  if (found?.kind === 'image') {
    if (sentSize({ kind: 'image', size }) > limits.image_bytes) {
      throw tooLarge(`${who} is ${sizeOf(size)}: Claude takes images up to ${limitOf(fileLimit(limits.image_bytes))} (${limitOf(limits.image_bytes)} once encoded for sending)`);
    }
    const { width, height } = found;
    if (!width || !height) throw new AppError('bad_request', `${who} looks like an image but its size in pixels cannot be read: the file may be damaged`);
    if (Math.max(width, height) > limits.image_pixels) {
      throw tooLarge(`${who} is ${width}×${height} pixels: Claude takes images up to ${limits.image_pixels}×${limits.image_pixels} pixels`);
    }
    return { kind: 'image', media_type: found.media_type, size, width, height, ...named };
  }
  if (found?.kind === 'pdf') {
    if (sentSize({ kind: 'pdf', size }) > limits.pdf_bytes) {
      throw tooLarge(`${who} is ${sizeOf(size)}: Claude takes PDFs up to ${limitOf(fileLimit(limits.pdf_bytes))} (${limitOf(limits.pdf_bytes)} once encoded for sending)`);
    }
    const { pages, encrypted } = readPdf(bytes);
    if (encrypted) throw new AppError('bad_request', `${who} is encrypted or password-protected: Claude reads only PDFs without a password`);
    if (pages !== undefined && pages > limits.pdf_pages) throw tooLarge(`${who} has ${pages} pages: Claude takes PDFs up to ${limits.pdf_pages} pages`);
    return { kind: 'pdf', media_type: 'application/pdf', size, ...(pages !== undefined ? { pages } : {}), ...named };
  }
  if (!isText(bytes)) throw new AppError('bad_request', `${who} is not a file Claude can read: ${UNREADABLE}`);
  if (size > limits.text_bytes) throw tooLarge(`${who} is ${sizeOf(size)}: Claude takes text files up to ${limitOf(limits.text_bytes)}`);
  return { kind: 'text', media_type: 'text/plain', size, ...named };
}

/**
 * The checks that depend on the whole request (every attachment on the branch is sent again):
 * the image count, smaller images when there are many, the PDF pages together, and the size of
 * all attachments as sent. The conversation's text comes on top of request_bytes.
 */
export function checkRequestAttachments(items: readonly Inspected[], limits: Readonly<AttachmentLimits> = API_LIMITS): void {
  const images = items.filter((i) => i.kind === 'image');
  if (images.length > limits.images_per_request) {
    throw tooLarge(`This conversation has ${images.length} images: Claude takes up to ${limits.images_per_request} images in one request`);
  }
  if (images.length > MANY_IMAGES) {
    const side = Math.min(MANY_IMAGES_PIXELS, limits.image_pixels);
    const big = images.find((i) => Math.max(i.width ?? 0, i.height ?? 0) > side);
    if (big) {
      throw tooLarge(
        `${quoted(big.name, 'An image')} is ${big.width}×${big.height} pixels: with more than ${MANY_IMAGES} images in a conversation, Claude takes images up to ${side}×${side} pixels`,
      );
    }
  }
  const pages = items.reduce((n, i) => n + (i.kind === 'pdf' ? (i.pages ?? 0) : 0), 0);
  if (pages > limits.pdf_pages) throw tooLarge(`The PDFs in this conversation have ${pages} pages together: Claude takes up to ${limits.pdf_pages} pages in one request`);
  const sent = items.reduce((n, i) => n + sentSize(i), 0);
  if (sent > limits.request_bytes) {
    const raw = items.reduce((n, i) => n + i.size, 0);
    throw tooLarge(`The attachments in this conversation come to ${sizeOf(raw)} (${sizeOf(sent)} once encoded for sending): Claude takes up to ${limitOf(limits.request_bytes)} in one request`);
  }
}
