/**
 * What a file really is, from its first bytes: a declared type or a file name is what a browser
 * or a person guessed, and the API checks the bytes. Images also give their pixel size from their
 * headers, so an oversized one is refused before it is stored.
 */

export type Sniffed =
  | { kind: 'image'; media_type: 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp'; width?: number; height?: number }
  | { kind: 'pdf'; media_type: 'application/pdf' }
  /** A real image format the API does not take; named in the refusal so people know what to convert. */
  | { kind: 'other-image'; format: string };

const ascii = (bytes: Uint8Array, at: number, text: string): boolean => {
  if (at + text.length > bytes.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
};
const be16 = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const be32 = (b: Uint8Array, at: number) => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
const le16 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const le24 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);

type Size = { width: number; height: number } | undefined;

function pngSize(b: Uint8Array): Size {
  // The first chunk is always IHDR: length, "IHDR", then width and height.
  if (b.length < 24 || !ascii(b, 12, 'IHDR')) return undefined;
  return { width: be32(b, 16), height: be32(b, 20) };
}

/** Walks the JPEG segments to the first frame header (SOF0-SOF15, leaving out DHT, JPG and DAC). */
function jpegSize(b: Uint8Array): Size {
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return undefined;
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return undefined; // end of image or scan data before any frame header
    const length = be16(b, at + 2);
    if (length < 2) return undefined;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (at + 9 > b.length) return undefined;
      return { height: be16(b, at + 5), width: be16(b, at + 7) };
    }
    at += 2 + length;
  }
  return undefined;
}

function webpSize(b: Uint8Array): Size {
  if (ascii(b, 12, 'VP8 ') && b.length >= 30 && b[23] === 0x9d && b[24] === 0x01 && b[25] === 0x2a) {
    return { width: le16(b, 26) & 0x3fff, height: le16(b, 28) & 0x3fff };
  }
  if (ascii(b, 12, 'VP8L') && b.length >= 25 && b[20] === 0x2f) {
    const bits = (b[21]! | (b[22]! << 8) | (b[23]! << 16) | (b[24]! << 24)) >>> 0;
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (ascii(b, 12, 'VP8X') && b.length >= 30) return { width: le24(b, 24) + 1, height: le24(b, 27) + 1 };
  return undefined;
}

/** ISO media files (HEIC, AVIF, MP4…) start with an `ftyp` box naming their brand. */
function isoBrand(b: Uint8Array): string | undefined {
  if (!ascii(b, 4, 'ftyp') || b.length < 12) return undefined;
  return String.fromCharCode(...b.subarray(8, 12));
}

export function sniff(b: Uint8Array): Sniffed | undefined {
  const sized = <T extends Sniffed & { kind: 'image' }>(s: T, size: Size): T => (size ? { ...s, ...size } : s);
  if (ascii(b, 0, '\x89PNG\r\n\x1a\n')) return sized({ kind: 'image', media_type: 'image/png' }, pngSize(b));
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return sized({ kind: 'image', media_type: 'image/jpeg' }, jpegSize(b));
  if (ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a')) {
    return sized({ kind: 'image', media_type: 'image/gif' }, b.length >= 10 ? { width: le16(b, 6), height: le16(b, 8) } : undefined);
  }
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP')) return sized({ kind: 'image', media_type: 'image/webp' }, webpSize(b));
  if (ascii(b, 0, '%PDF-')) return { kind: 'pdf', media_type: 'application/pdf' };
  // "BM" also starts plenty of text: a BMP must also have a known DIB header size at 14.
  if (ascii(b, 0, 'BM') && b.length >= 26 && [12, 40, 52, 56, 64, 108, 124].includes(le16(b, 14) | (le16(b, 16) << 16))) {
    return { kind: 'other-image', format: 'BMP' };
  }
  if (ascii(b, 0, 'II*\0') || ascii(b, 0, 'MM\0*')) return { kind: 'other-image', format: 'TIFF' };
  const brand = isoBrand(b);
  if (brand && /^(heic|heix|hevc|hevx|heim|heis|mif1|msf1)$/.test(brand)) return { kind: 'other-image', format: 'HEIC' };
  if (brand === 'avif' || brand === 'avis') return { kind: 'other-image', format: 'AVIF' };
  return undefined;
}

/** Plain text or code: valid UTF-8 with no NUL byte (binary files almost always have one). */
export function isText(b: Uint8Array): boolean {
  if (b.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
}

/** How a stored file goes back to a browser: only the API's own image types are ever shown inline. */
export type ServedType = { kind: 'image' | 'pdf' | 'text' | 'binary'; media_type: string };

export function servedType(b: Uint8Array): ServedType {
  const found = sniff(b);
  if (found?.kind === 'image' || found?.kind === 'pdf') return { kind: found.kind, media_type: found.media_type };
  return isText(b) ? { kind: 'text', media_type: 'text/plain; charset=utf-8' } : { kind: 'binary', media_type: 'application/octet-stream' };
}
