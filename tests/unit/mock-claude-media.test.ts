/**
 * The mock's images and documents, driven through the real SDK: it describes what it was sent
 * (format and pixel size, PDF pages, text length) and refuses what the API refuses, with the API's
 * status, error type and wording.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Anthropic from '@anthropic-ai/sdk';
import { startMockClaude, type MockClaude } from '../../scripts/mock-claude/server.js';
import { gif, jpeg, pdf, png, webp } from '../helpers/media-fixtures.js';

let mock: MockClaude;
beforeAll(async () => {
  mock = await startMockClaude();
});
afterAll(() => mock.close());

const sdk = () => new Anthropic({ apiKey: 'k-media', baseURL: mock.url, maxRetries: 0 });
const b64 = (bytes: Buffer) => bytes.toString('base64');
const image = (data: string, media_type = 'image/png', more: object = {}) => ({ type: 'image', source: { type: 'base64', media_type, data }, ...more }) as Anthropic.ImageBlockParam;
const pdfBlock = (bytes: Buffer, more: object = {}): Anthropic.DocumentBlockParam => ({ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: b64(bytes) }, ...more });
const ask = (content: Anthropic.ContentBlockParam[], model = 'claude-sonnet-5') => sdk().messages.create({ model, max_tokens: 100, messages: [{ role: 'user', content }] });

async function refusal(request: Promise<unknown>): Promise<{ status: number; type: string; message: string; error: InstanceType<typeof Anthropic.APIError> }> {
  const error = await request.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Anthropic.APIError);
  const e = error as InstanceType<typeof Anthropic.APIError>;
  const body = e.error as { type: string; error: { type: string; message: string } };
  expect(body.type).toBe('error');
  return { status: e.status ?? 0, type: body.error.type, message: body.error.message, error: e };
}

describe('mock Claude: images and documents', () => {
  it('describes every image of the last turn by its real format and pixel size, in JSON and in SSE', async () => {
    const content = [{ type: 'text', text: 'what are these?' } as const, image(b64(png(640, 480))), image(b64(jpeg(33, 17)), 'image/jpeg'), image(b64(gif(7, 5)), 'image/gif'), image(b64(webp(300, 200)), 'image/webp')];
    const msg = await ask(content);
    const text = msg.content[0]!.type === 'text' ? msg.content[0]!.text : '';
    expect(text).toBe(
      'Mock reply #1 to: “what are these?”\n\nI see a PNG image of 640×480 pixels.\nI see a JPEG image of 33×17 pixels.\nI see a GIF image of 7×5 pixels.\nI see a WebP image of 300×200 pixels.',
    );
    // The images cost input tokens (640×480 alone is about 410).
    expect(msg.usage.input_tokens).toBeGreaterThan(410);
    expect(mock.requests.at(-1)!.summary).toMatchObject({ images: 4, lastUserImages: 4, documents: 0 });
    const streamed = await sdk().messages.stream({ model: 'claude-sonnet-5', max_tokens: 100, messages: [{ role: 'user', content }] }).finalMessage();
    expect(streamed.content).toEqual(msg.content);
  });

  it('describes a PDF by its pages and a text document by its title and length; older turns are not described again', async () => {
    const msg = await ask([pdfBlock(pdf(3), { title: 'Report' }), { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'hello world' }, title: 'notes.txt' }, { type: 'text', text: 'read these' }]);
    expect(msg.content[0]).toMatchObject({ type: 'text', text: 'Mock reply #1 to: “read these”\n\nI see a PDF of 3 pages titled “Report”.\nI see a text document titled “notes.txt” of 11 characters.' });
    expect(mock.requests.at(-1)!.summary).toMatchObject({ documents: 2, pdfPages: 3, lastUserDocuments: 2 });

    const next = await sdk().messages.create({
      model: 'claude-sonnet-5',
      max_tokens: 100,
      messages: [
        { role: 'user', content: [pdfBlock(pdf(1)), { type: 'text', text: 'and this?' }] },
        { role: 'assistant', content: 'A one-page PDF.' },
        { role: 'user', content: 'thanks' },
      ],
    });
    expect(next.content).toEqual([{ type: 'text', text: 'Mock reply #2 to: “thanks”' }]);
  });

  it('refuses a bad attachment with the 400 the API gives, and answers nothing', async () => {
    const cases: [Anthropic.ContentBlockParam[], string, string?][] = [
      [[{ type: 'text', text: 'look' }, image(b64(png(2, 2)), 'image/bmp')], "messages.0.content.1.image.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'"],
      [[image(b64(jpeg(8, 8)), 'image/png')], 'messages.0.content.0.image.source.base64.data: Image does not match the provided media type image/png'],
      [[image('not base64!')], 'messages.0.content.0.image.source.base64: invalid base64 data'],
      [[image('A'.repeat(5_242_884))], 'messages.0.content.0.image.source.base64: image exceeds 5 MB maximum: 5242884 bytes > 5242880 bytes'],
      [[image(b64(Buffer.from('plain text, no picture')))], 'Could not process image'],
      [[pdfBlock(Buffer.from('not a pdf'))], 'messages.0.content.0.pdf.source.base64.data: The PDF specified was not valid.'],
      [[pdfBlock(pdf(101))], 'A maximum of 100 PDF pages may be provided.', 'claude-haiku-4-5'],
      [[{ type: 'video' } as unknown as Anthropic.ContentBlockParam], "messages.0.content.0: Input tag 'video' found using 'type' does not match any of the expected tags: 'text', 'image', 'document', "],
      [[{ type: 'thinking', thinking: 'x', signature: 'y' }], 'messages.0.content.0: `thinking` blocks may only appear in `assistant` messages'],
    ];
    for (const [content, message, model] of cases) {
      const r = await refusal(ask(content, model));
      expect([r.status, r.type]).toEqual([400, 'invalid_request_error']);
      expect(r.message.startsWith(message), `${r.message}\nshould start with\n${message}`).toBe(true);
      expect(mock.requests.at(-1)!.reply).toBeUndefined();
    }
    const url = await refusal(ask([{ type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } }]));
    expect(url.message).toMatch(/^messages\.0\.content\.0\.image\.source\.url: this mock does not fetch images/);
  });

  it('allows 600 PDF pages on a 1M-context model and counts cache breakpoints on every kind of block', async () => {
    const long = await ask([pdfBlock(pdf(101)), { type: 'text', text: 'summarise' }]);
    expect(long.content[0]).toMatchObject({ text: expect.stringContaining('I see a PDF of 101 pages.') });
    const mark = { cache_control: { type: 'ephemeral' } as const };
    const five = await refusal(ask([image(b64(png(4, 4)), 'image/png', mark), pdfBlock(pdf(1), mark), image(b64(gif(2, 2)), 'image/gif', mark), { type: 'text', text: 'a', ...mark }, { type: 'text', text: 'b', ...mark }]));
    expect(five.message).toBe('A maximum of 4 blocks with cache_control may be provided. Found 5.');
    // Four are fine, and the attachment-heavy prefix is written to the cache, then read.
    const four = [image(b64(png(200, 200)), 'image/png', mark), pdfBlock(pdf(2), mark), { type: 'text', text: 'what now?' } as const];
    const first = await ask(four);
    const second = await ask(four);
    expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(3000);
    expect(second.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
  });

  it('downsizes an image over 8000 px unless asked for the error, which the SDK types as ImageDimensionsTooLargeError', async () => {
    const wide = b64(png(9000, 100));
    const msg = await ask([image(wide)]);
    expect(msg.content[0]).toMatchObject({ text: expect.stringContaining('I see a PNG image of 8000×89 pixels.') });

    const strict = await refusal(ask([{ type: 'text', text: 'x' }, image(wide, 'image/png', { transformations: { oversized_image: 'error' } })]));
    expect(strict.message).toBe('messages.0.content.1.image.source.base64.data: At least one of the image dimensions exceed max allowed size: 8000 pixels');
    expect(strict.error.errorCode).toBe('image_dimensions_too_large');
    expect(strict.error.details).toEqual({ error_code: 'image_dimensions_too_large', max_side_length_pixels: 8000, paths: ['messages.0.content.1'] });
    expect(strict.error).toBeInstanceOf(Anthropic.ImageDimensionsTooLargeError);

    // More than 20 images in a request: 2000 px a side.
    const many = Array.from({ length: 21 }, (_, i) => image(b64(png(i === 5 ? 2100 : 10, 10)), 'image/png', { transformations: { oversized_image: 'error' } }));
    const crowded = await refusal(ask(many));
    expect(crowded.message).toBe('messages.0.content.5.image.source.base64.data: At least one of the image dimensions exceed max allowed size for many-image requests: 2000 pixels');
  });

  it('takes a 20 MB request and refuses one over 32 MB with 413 request_too_large', async () => {
    // Bytes after a PNG's end are ignored by readers: four images of about 4.9 MB of base64 each.
    const big = b64(Buffer.concat([png(16, 16), Buffer.alloc(3_600_000)]));
    const ok = await ask([image(big), image(big), image(big), image(big), { type: 'text', text: 'four big ones' }]);
    expect(ok.content[0]).toMatchObject({ text: expect.stringContaining('I see a PNG image of 16×16 pixels.') });
    expect(mock.requests.at(-1)!.bytes).toBeGreaterThan(19_000_000);

    const tooLarge = await refusal(ask([{ type: 'text', text: 'x'.repeat(33 * 1024 * 1024) }]));
    expect([tooLarge.status, tooLarge.type]).toEqual([413, 'request_too_large']);
    expect(tooLarge.error).toBeInstanceOf(Anthropic.ContentTooLargeError);
    expect(mock.requests.at(-1)!.bytes).toBeGreaterThan(32 * 1024 * 1024);
  });
});
