/** Hand-made file headers for the attachment tests: only the bytes a reader looks at, padded to any size. */
import { deflateSync } from 'node:zlib';

const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const be32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const be16 = (n: number) => [(n >>> 8) & 255, n & 255];
const le16 = (n: number) => [n & 255, (n >>> 8) & 255];
const le24 = (n: number) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255];

/** The header followed by filler bytes up to `size` (the readers never look past the header). */
export function padded(header: ArrayLike<number>, size = 0): Uint8Array {
  const out = new Uint8Array(Math.max(size, header.length)).fill(0xab);
  out.set(header);
  return out;
}

export const png = (width: number, height: number, size?: number) =>
  padded([...enc('\x89PNG\r\n\x1a\n'), ...be32(13), ...enc('IHDR'), ...be32(width), ...be32(height), 8, 2, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef], size);

/** A JPEG whose frame header (SOF0 baseline or SOF2 progressive) comes after APP0, DQT and DHT segments. */
export function jpeg(width: number, height: number, sof: 0xc0 | 0xc2 = 0xc0, size?: number): Uint8Array {
  const segment = (marker: number, body: number[]) => [0xff, marker, ...be16(body.length + 2), ...body];
  return padded(
    [
      0xff, 0xd8,
      ...segment(0xe0, [...enc('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0]),
      ...segment(0xdb, new Array<number>(65).fill(1)),
      // DHT (0xC4) sits in the SOF marker range but is not a frame header; its bytes would read as 257×257.
      ...segment(0xc4, [0, 1, 1, 1, 1, ...new Array<number>(12).fill(0)]),
      0xff, // a fill byte before the next marker
      ...segment(sof, [8, ...be16(height), ...be16(width), 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]),
      0xff, 0xda, 0, 8, 1, 1, 0, 0, 0x3f, 0,
    ],
    size,
  );
}

export const gif = (width: number, height: number) => padded([...enc('GIF89a'), ...le16(width), ...le16(height), 0xf7, 0, 0, 0x3b]);

function riff(chunk: string, body: number[]): Uint8Array {
  return padded([...enc('RIFF'), ...le24(body.length + 12), 0, ...enc('WEBP'), ...enc(chunk), ...le24(body.length), 0, ...body]);
}
/** Lossy: frame tag, start code 9D 01 2A, then 14-bit width and height. */
export const webpVp8 = (width: number, height: number) => riff('VP8 ', [0x50, 0x02, 0x00, 0x9d, 0x01, 0x2a, ...le16(width), ...le16(height), 0, 0]);
/** Lossless: signature 0x2F, then width-1 and height-1 in 14 bits each. */
export function webpVp8l(width: number, height: number): Uint8Array {
  const bits = ((width - 1) | ((height - 1) << 14)) >>> 0;
  return riff('VP8L', [0x2f, bits & 255, (bits >>> 8) & 255, (bits >>> 16) & 255, (bits >>> 24) & 255, 0]);
}
/** Extended: flags, 3 reserved bytes, then canvas width-1 and height-1 in 24 bits each. */
export const webpVp8x = (width: number, height: number) => riff('VP8X', [0x10, 0, 0, 0, ...le24(width - 1), ...le24(height - 1)]);

export interface PdfOptions {
  /** Keep the page objects in a Flate-compressed object stream, as PDF 1.5+ writers do. */
  objectStream?: boolean;
  /** Leave /Count out of the page tree, so only the page objects tell. */
  noCount?: boolean;
  encrypted?: boolean;
  /** Append an incremental update that redefines every page object (the count must not double). */
  update?: boolean;
  size?: number;
}

/** A PDF with `pages` pages: catalog 1, page tree 2, pages 3…; written by hand, like a real one. */
export function pdf(pages: number, o: PdfOptions = {}): Uint8Array {
  const kids = Array.from({ length: pages }, (_, i) => `${i + 3} 0 R`).join(' ');
  const page = '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>';
  const count = o.noCount ? '' : ` /Count ${pages}`;
  // Objects 1 (catalog), 2 (page tree), 3… (pages).
  const objs = ['<< /Type /Catalog /Pages 2 0 R >>', `<< /Type /Pages /Kids [${kids}]${count} >>`, ...Array.from({ length: pages }, () => page)];
  let body = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const parts: Uint8Array[] = [];
  if (o.objectStream) {
    // As PDF 1.5+ writers do: every object but streams inside one compressed object stream.
    let offset = 0;
    const header = objs.map((obj, i) => {
      const entry = `${i + 1} ${offset}`;
      offset += obj.length + 1;
      return entry;
    }).join(' ') + '\n';
    const data = deflateSync(Buffer.from(header + objs.join('\n'), 'latin1'));
    parts.push(enc(body + `${pages + 3} 0 obj\n<< /Type /ObjStm /N ${objs.length} /First ${header.length} /Filter /FlateDecode /Length ${data.length} >>\nstream\n`));
    parts.push(new Uint8Array(data));
    body = '\nendstream\nendobj\n';
  } else {
    objs.forEach((obj, i) => (body += `${i + 1} 0 obj\n${obj}\nendobj\n`));
  }
  body += `trailer\n<< /Size ${pages + 4} /Root 1 0 R${o.encrypted ? ' /Encrypt 99 0 R' : ''} >>\n%%EOF\n`;
  if (o.update) {
    for (let i = 0; i < pages; i++) body += `${i + 3} 0 obj\n<< /Type /Page /Parent 2 0 R /Rotate 90 >>\nendobj\n`;
    body += 'trailer\n<< /Root 1 0 R /Prev 0 >>\n%%EOF\n';
  }
  parts.push(enc(body));
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return o.size && o.size > all.length ? padded(all, o.size) : all;
}
