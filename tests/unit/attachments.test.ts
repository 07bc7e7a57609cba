import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deflateRawSync, deflateSync } from 'node:zlib';
import {
  API_LIMITS,
  API_LIMITS_1M,
  AttachmentCaps,
  apiLimitsFor,
  checkRequestAttachments,
  effectiveLimits,
  inspectAttachment,
  type AttachmentLimits,
  type Inspected,
} from '../../src/core/claude/attachments.js';
import { inflateRaw, inflateZlib, InflateError } from '../../src/core/claude/inflate.js';
import { AppError } from '../../src/core/errors.js';
import { gif, jpeg, padded, pdf, png, webpVp8, webpVp8l, webpVp8x } from '../helpers/attachment-fixtures.js';

const MiB = 1024 * 1024;
const text = (s: string) => new TextEncoder().encode(s);

/** The AppError an inspection throws, so a test can look at its code and message. */
function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('inspectAttachment: the bytes decide the type', () => {
  it.each([
    ['PNG', png(640, 480), 'image/png', 640, 480],
    ['JPEG, baseline SOF0', jpeg(1024, 768, 0xc0), 'image/jpeg', 1024, 768],
    ['JPEG, progressive SOF2', jpeg(300, 2000, 0xc2), 'image/jpeg', 300, 2000],
    ['GIF', gif(32, 16), 'image/gif', 32, 16],
    ['WebP lossy (VP8)', webpVp8(800, 600), 'image/webp', 800, 600],
    ['WebP lossless (VP8L)', webpVp8l(400, 300), 'image/webp', 400, 300],
    ['WebP extended (VP8X)', webpVp8x(7000, 5000), 'image/webp', 7000, 5000],
  ])('reads a %s and its size in pixels', (_, bytes, media_type, width, height) => {
    expect(inspectAttachment(bytes, { name: 'x' })).toEqual({ kind: 'image', media_type, size: bytes.length, width, height, name: 'x' });
  });

  it('believes the bytes, not the declared type or name: a PNG called photo.jpg is a PNG', () => {
    const got = inspectAttachment(png(10, 20), { name: 'photo.jpg', media_type: 'image/jpeg' });
    expect(got).toMatchObject({ kind: 'image', media_type: 'image/png', width: 10, height: 20 });
  });

  it('takes text and code as text/plain whatever they were declared as', () => {
    for (const [name, media_type, body] of [
      ['notes.md', 'text/markdown', '# Title\n\nSome *text*, naïve café ✓\n'],
      ['data.json', 'application/json', '{"a": [1, 2, 3]}'],
      ['main.rs', 'application/octet-stream', 'fn main() { println!("hi"); }\n'],
      ['picture.png', 'image/png', 'not a picture at all'],
    ] as const) {
      expect(inspectAttachment(text(body), { name, media_type })).toEqual({ kind: 'text', media_type: 'text/plain', size: text(body).length, name });
    }
  });

  it.each([
    ['a NUL byte', text('almost text\0but not')],
    ['invalid UTF-8', Uint8Array.from([0x68, 0x69, 0xc3, 0x28])],
    ['binary junk', Uint8Array.from({ length: 256 }, (_, i) => (i * 37 + 11) & 255)],
    ['an MP4 video', padded([0, 0, 0, 0x18, ...text('ftypmp42'), 0, 0, 0, 0], 64)],
  ])('refuses %s as a file Claude cannot read, naming what it can', (_, bytes) => {
    const e = refusal(() => inspectAttachment(bytes, { name: 'movie.mp4', media_type: 'video/mp4' }));
    expect(e.code).toBe('bad_request');
    expect(e.message).toBe('“movie.mp4” is not a file Claude can read: attach images (PNG, JPEG, GIF, WebP), PDFs or text files');
  });

  it.each([
    ['BMP', padded([...text('BM'), 0x36, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0, 40, 0, 0, 0], 64)],
    ['TIFF', padded(text('II*\0'), 64)],
    ['HEIC', padded([0, 0, 0, 0x18, ...text('ftypheic'), 0, 0, 0, 0], 64)],
  ])('names an image format the API does not take (%s)', (format, bytes) => {
    const e = refusal(() => inspectAttachment(bytes, { name: 'photo' }));
    expect(e.message).toBe(`“photo” is a ${format} image: Claude takes PNG, JPEG, GIF and WebP images`);
  });

  it('reads text that starts like an image header as text', () => {
    expect(inspectAttachment(text('BMW and GIF89 are not pictures; %PDF is a prefix')).kind).toBe('text');
  });

  it('refuses an empty file, and a JPEG whose pixel size cannot be read', () => {
    expect(refusal(() => inspectAttachment(new Uint8Array(0), { name: 'a.txt' })).message).toBe('“a.txt” is empty');
    const headless = padded([0xff, 0xd8, 0xff, 0xd9], 32);
    expect(refusal(() => inspectAttachment(headless, { name: 'b.jpg' })).message).toMatch(/^“b\.jpg” looks like an image but its size in pixels cannot be read/);
  });

  it('keeps control characters and endless names out of messages', () => {
    const e = refusal(() => inspectAttachment(new Uint8Array(0), { name: `evil\u0007\nname${'x'.repeat(200)}` }));
    expect(e.message).toMatch(/^“evilnamex{69}…” is empty$/);
  });
});

describe('inspectAttachment: per-file limits, named in the refusal', () => {
  it('counts an image in its base64 form: 3.75 MB of file is the 5 MB the API takes', () => {
    const largest = 3 * 1024 * 1280; // 3,932,160 bytes = 5 MiB once encoded
    expect(inspectAttachment(png(100, 100, largest)).size).toBe(largest);
    const e = refusal(() => inspectAttachment(png(100, 100, largest + 1), { name: 'big.png' }));
    expect(e.code).toBe('payload_too_large');
    expect(e.message).toBe('“big.png” is 3.76 MB: Claude takes images up to 3.75 MB (5 MB once encoded for sending)');
    expect(refusal(() => inspectAttachment(jpeg(10, 10, 0xc0, Math.round(7.2 * MiB)), { name: 'big.jpg' })).message).toBe(
      '“big.jpg” is 7.2 MB: Claude takes images up to 3.75 MB (5 MB once encoded for sending)',
    );
  });

  it('refuses an image over 8000 pixels on its longest side', () => {
    expect(inspectAttachment(png(8000, 8000)).width).toBe(8000);
    const e = refusal(() => inspectAttachment(webpVp8x(3000, 8001), { name: 'tall.webp' }));
    expect(e.code).toBe('payload_too_large');
    expect(e.message).toBe('“tall.webp” is 3000×8001 pixels: Claude takes images up to 8000×8000 pixels');
  });

  it('counts PDF pages, refusing past the limit', () => {
    expect(inspectAttachment(pdf(3), { name: 'a.pdf' })).toEqual({ kind: 'pdf', media_type: 'application/pdf', size: pdf(3).length, pages: 3, name: 'a.pdf' });
    expect(inspectAttachment(pdf(100)).pages).toBe(100);
    const e = refusal(() => inspectAttachment(pdf(140), { name: 'scan.pdf' }));
    expect(e.code).toBe('payload_too_large');
    expect(e.message).toBe('“scan.pdf” has 140 pages: Claude takes PDFs up to 100 pages');
    expect(inspectAttachment(pdf(140), {}, API_LIMITS_1M).pages).toBe(140);
  });

  it('counts pages the ways PDFs store them', () => {
    // The page tree and pages inside a compressed object stream (PDF 1.5+), invisible to a plain scan.
    expect(inspectAttachment(pdf(7, { objectStream: true })).pages).toBe(7);
    expect(inspectAttachment(pdf(6, { objectStream: true, noCount: true })).pages).toBe(6);
    expect(refusal(() => inspectAttachment(pdf(101, { objectStream: true }))).message).toMatch(/has 101 pages/);
    // No /Count: the /Type /Page objects are counted, and the /Type /Pages node is not one of them.
    expect(inspectAttachment(pdf(5, { noCount: true })).pages).toBe(5);
    // An incremental update redefines the pages: still 4, not 8.
    expect(inspectAttachment(pdf(4, { noCount: true, update: true })).pages).toBe(4);
  });

  it('refuses encrypted PDFs and PDFs over the size limit', () => {
    expect(refusal(() => inspectAttachment(pdf(2, { encrypted: true }), { name: 'secret.pdf' })).message).toBe(
      '“secret.pdf” is encrypted or password-protected: Claude reads only PDFs without a password',
    );
    const e = refusal(() => inspectAttachment(pdf(2, { size: 25 * MiB }), { name: 'huge.pdf' }));
    expect(e.code).toBe('payload_too_large');
    expect(e.message).toBe('“huge.pdf” is 25 MB: Claude takes PDFs up to 24 MB (32 MB once encoded for sending)');
  });

  it('applies lower caps from the init state, naming the cap', () => {
    const limits = effectiveLimits({ text_bytes: 1000, pdf_pages: 10 });
    expect(refusal(() => inspectAttachment(text('a'.repeat(1500)), { name: 'log.txt' }, limits)).message).toBe('“log.txt” is 2 KB: Claude takes text files up to 1000 bytes');
    expect(refusal(() => inspectAttachment(pdf(11), { name: 'r.pdf' }, limits)).message).toBe('“r.pdf” has 11 pages: Claude takes PDFs up to 10 pages');
  });
});

const image = (width: number, height = width, name?: string): Inspected => ({ kind: 'image', media_type: 'image/png', size: 1000, width, height, ...(name ? { name } : {}) });

describe('checkRequestAttachments: what a whole request may carry', () => {
  it('takes up to 100 images, and 600 on a 1M-token model', () => {
    checkRequestAttachments(Array.from({ length: 100 }, () => image(100)));
    const e = refusal(() => checkRequestAttachments(Array.from({ length: 101 }, () => image(100))));
    expect(e.code).toBe('payload_too_large');
    expect(e.message).toBe('This conversation has 101 images: Claude takes up to 100 images in one request');
    checkRequestAttachments(Array.from({ length: 101 }, () => image(100)), apiLimitsFor(1_000_000));
    expect(apiLimitsFor(200_000)).toBe(API_LIMITS);
  });

  it('with more than 20 images, takes each only up to 2000 pixels a side', () => {
    checkRequestAttachments([image(2500), ...Array.from({ length: 19 }, () => image(100))]);
    const e = refusal(() => checkRequestAttachments([...Array.from({ length: 20 }, () => image(2000)), image(2500, 1000, 'wide.png')]));
    expect(e.message).toBe('“wide.png” is 2500×1000 pixels: with more than 20 images in a conversation, Claude takes images up to 2000×2000 pixels');
  });

  it('adds up the pages of all PDFs', () => {
    const doc = (pages: number): Inspected => ({ kind: 'pdf', media_type: 'application/pdf', size: 1000, pages });
    checkRequestAttachments([doc(60), doc(40)]);
    expect(refusal(() => checkRequestAttachments([doc(60), doc(41)])).message).toBe('The PDFs in this conversation have 101 pages together: Claude takes up to 100 pages in one request');
  });

  it('measures the request in base64: 25 MB of PDFs is over the 32 MB limit', () => {
    const doc = (size: number): Inspected => ({ kind: 'pdf', media_type: 'application/pdf', size, pages: 1 });
    checkRequestAttachments([doc(12 * MiB), doc(12 * MiB)]); // exactly 32 MiB encoded
    const e = refusal(() => checkRequestAttachments([doc(12 * MiB), doc(13 * MiB)]));
    expect(e.code).toBe('payload_too_large');
    expect(e.message).toBe('The attachments in this conversation come to 25 MB (33.4 MB once encoded for sending): Claude takes up to 32 MB in one request');
    // Text is not base64-encoded: 30 MB of text fits.
    checkRequestAttachments([{ kind: 'text', media_type: 'text/plain', size: 30 * MiB }]);
  });
});

describe('effectiveLimits', () => {
  it('lowers a limit to a cap and never raises one', () => {
    expect(effectiveLimits(undefined)).toEqual(API_LIMITS);
    expect(effectiveLimits({ image_bytes: MiB, images_per_request: 5000, pdf_pages: 0, text_bytes: Number.NaN, request_bytes: -1 })).toEqual({ ...API_LIMITS, image_bytes: MiB });
    const caps = fc.record(Object.fromEntries(Object.keys(API_LIMITS).map((k) => [k, fc.oneof(fc.integer(), fc.double())])), { requiredKeys: [] });
    fc.assert(
      fc.property(caps, fc.boolean(), (c, long) => {
        const base = long ? API_LIMITS_1M : API_LIMITS;
        const got = effectiveLimits(c as Partial<AttachmentLimits>, base);
        for (const key of Object.keys(base) as (keyof AttachmentLimits)[]) {
          expect(got[key]).toBeLessThanOrEqual(base[key]);
          expect(got[key]).toBeGreaterThan(0);
        }
      }),
    );
  });

  it('has a schema for the caps an init state may hold', () => {
    expect(AttachmentCaps.parse({ image_bytes: 1000 })).toEqual({ image_bytes: 1000 });
    expect(AttachmentCaps.safeParse({ image_bytes: -1 }).success).toBe(false);
  });
});

describe('inflate (for PDF object streams)', () => {
  const samples = [
    new Uint8Array(0),
    text('hello hello hello hello hello'),
    text('The quick brown fox. '.repeat(5000)),
    Uint8Array.from({ length: 70_000 }, (_, i) => (i * 2654435761) >>> 24),
    // Text then noise: zlib follows compressed blocks with a stored one, which starts mid-byte.
    new Uint8Array([...text('abcabcabd'.repeat(3000)), ...Uint8Array.from({ length: 40_000 }, (_, i) => (i * 40503 + 7) >>> 8)]),
  ];

  it('inflates what zlib deflates, at every level (stored, fixed and dynamic blocks)', () => {
    // Buffer.equals, because a deep equality of 100 KB arrays takes seconds.
    const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));
    for (const data of samples) {
      for (const level of [0, 1, 6, 9]) {
        expect(same(inflateZlib(deflateSync(data, { level }), 1 << 24), data)).toBe(true);
        expect(same(inflateRaw(deflateRawSync(data, { level }), 1 << 24), data)).toBe(true);
      }
    }
  });

  it('stops at the output cap and on damaged data', () => {
    const bomb = deflateSync(new Uint8Array(10 * MiB));
    expect(bomb.length).toBeLessThan(20_000);
    expect(() => inflateZlib(bomb, MiB)).toThrow(InflateError);
    expect(() => inflateZlib(Uint8Array.from([1, 2, 3, 4]), MiB)).toThrow(InflateError);
    const cut = deflateSync(samples[2]!);
    expect(() => inflateZlib(cut.subarray(0, cut.length >> 1), MiB)).toThrow(InflateError);
  });
});
