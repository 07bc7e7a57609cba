/**
 * What the mock learns from attachment bytes, read from the file headers by hand (no image
 * library): the real format of an image whatever its declared media type, its width and height,
 * and the page count of a PDF. Enough to refuse what the API refuses and to describe the rest.
 */

export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];
export const FORMAT_NAMES: Record<ImageType, string> = { 'image/png': 'PNG', 'image/jpeg': 'JPEG', 'image/gif': 'GIF', 'image/webp': 'WebP' };

/** Standard base64; the API also takes it unpadded, but never with whitespace or the URL alphabet. */
export function decodeBase64(data: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data) || data.length % 4 === 1) return undefined;
  return Buffer.from(data, 'base64');
}

const startsWith = (b: Buffer, bytes: number[], at = 0) => bytes.every((x, i) => b[at + i] === x);
const ascii = (b: Buffer, from: number, to: number) => (b.length >= to ? b.toString('latin1', from, to) : '');

export function sniffImage(b: Buffer): ImageType | undefined {
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a') return 'image/gif';
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return 'image/webp';
  return undefined;
}

export interface Size {
  width: number;
  height: number;
}

/** Undefined when the header is cut short or malformed: the API answers "Could not process image". */
export function imageSize(b: Buffer, type: ImageType): Size | undefined {
  const size = (width: number, height: number) => (width > 0 && height > 0 ? { width, height } : undefined);
  switch (type) {
    case 'image/png':
      return b.length >= 24 && ascii(b, 12, 16) === 'IHDR' ? size(b.readUInt32BE(16), b.readUInt32BE(20)) : undefined;
    case 'image/gif':
      return b.length >= 10 ? size(b.readUInt16LE(6), b.readUInt16LE(8)) : undefined;
    case 'image/webp':
      return webpSize(b);
    case 'image/jpeg':
      return jpegSize(b);
  }
}

function webpSize(b: Buffer): Size | undefined {
  const chunk = ascii(b, 12, 16);
  if (chunk === 'VP8 ' && b.length >= 30 && startsWith(b, [0x9d, 0x01, 0x2a], 23)) return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
  if (chunk === 'VP8L' && b.length >= 25 && b[20] === 0x2f) {
    const bits = b.readUInt32LE(21);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X' && b.length >= 30) return { width: b.readUIntLE(24, 3) + 1, height: b.readUIntLE(27, 3) + 1 };
  return undefined;
}

/** Walks the JPEG segments to the first start-of-frame (SOF0–SOF15 but DHT, JPG and DAC). */
function jpegSize(b: Buffer): Size | undefined {
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i++;
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      i += 2;
      continue;
    }
    const length = b.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (i + 9 > b.length) return undefined;
      const height = b.readUInt16BE(i + 5);
      const width = b.readUInt16BE(i + 7);
      return width > 0 && height > 0 ? { width, height } : undefined;
    }
    i += 2 + length;
  }
  return undefined;
}

/**
 * Pages of a PDF: the largest `/Count` of a `/Type /Pages` node (the root of the page tree holds
 * the total), else the `/Type /Page` objects; a PDF whose tree hides in compressed object streams
 * counts as one page. Undefined when the bytes are not a PDF at all.
 */
export function pdfPages(b: Buffer): number | undefined {
  const text = b.toString('latin1');
  if (!text.startsWith('%PDF-')) return undefined;
  let count = 0;
  for (const object of text.split(/\bendobj\b/)) {
    if (!/\/Type\s*\/Pages\b/.test(object)) continue;
    const n = /\/Count\s+(\d+)/.exec(object);
    if (n) count = Math.max(count, Number(n[1]));
  }
  if (count === 0) count = (text.match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
  return Math.max(count, 1);
}

/** Image tokens as the vision docs estimate them: width × height / 750, after the resize to ≤ 1568 px. */
export function imageTokens({ width, height }: Size): number {
  const scale = Math.min(1, 1568 / Math.max(width, height));
  return Math.max(1, Math.ceil((width * scale * height * scale) / 750));
}
