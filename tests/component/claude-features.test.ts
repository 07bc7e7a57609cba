/**
 * Issue 15 end to end through the component, the host and the mock API: files uploaded once and
 * referred to by CID, sent as image and document blocks, served back safely; thinking stored with
 * its signature and sent back unchanged (the mock refuses a continuation that changed it); web
 * search with numbered sources and its price; all of it surviving an export and an import.
 */
import { describe, expect, it } from 'vitest';
import { ChatClient } from '../helpers/chat-client.js';
import { claudeHost, isGenerationEnd as isEnd } from '../helpers/claude-host.js';
import { pdf, png } from '../helpers/media-fixtures.js';
import type { Frame } from '../scenarios/driver.js';
import { connect } from 'node:net';

type F = Record<string, any>;
type Msg = { id: string; role: string; content: string; meta: Record<string, any>; attachments?: any[]; parts?: any[]; sources?: any[]; cost_usd?: number | null };

const suite = claudeHost();

async function upload(bytes: Buffer, name: string, type = 'application/octet-stream'): Promise<{ status: number; body: any }> {
  const res = await fetch(`${suite.host.url}/api/blobs`, { method: 'POST', body: new Uint8Array(bytes), headers: { 'content-type': type, 'x-file-name': encodeURIComponent(name) } });
  return { status: res.status, body: await res.json() };
}

async function reply(c: ChatClient): Promise<Msg> {
  await c.command({ type: 'generate_llm_response' });
  const end = (await c.until(isEnd)).find(isEnd)!;
  expect(end.type, JSON.stringify(end)).toBe('generation_finished');
  return ((await c.command({ type: 'get_message', message_id: end.message_id })) as Frame & { message: Msg }).message;
}

describe('attached files', () => {
  it('are stored once under their CID, sent to Claude as image and document blocks, and served back safely', async () => {
    const c = await ChatClient.open(suite.host.url);
    await c.command({ type: 'create_chat', name: 'Files' });
    const image = png(64, 48);
    const first = await upload(image, 'screen shot.png', 'image/png');
    expect(first.status).toBe(201);
    expect(first.body.blob).toMatchObject({ kind: 'image', media_type: 'image/png', size: image.length, width: 64, height: 48 });
    // The same bytes again, under another name and a wrong declared type: the same blob.
    const again = await upload(image, 'copy.jpg', 'image/jpeg');
    expect(again.body.blob.cid).toBe(first.body.blob.cid);
    const paper = await upload(pdf(3), 'paper.pdf', 'application/pdf');
    expect(paper.body.blob).toMatchObject({ kind: 'pdf', pages: 3 });

    const sent = (await c.command({
      type: 'send_message',
      content: 'What are these?',
      attachments: [
        { cid: first.body.blob.cid, name: 'screen shot.png' },
        { cid: paper.body.blob.cid, name: 'paper.pdf' },
      ],
    })) as F;
    expect(sent.message.attachments).toEqual([
      { cid: first.body.blob.cid, kind: 'image', media_type: 'image/png', name: 'screen shot.png', size: image.length, width: 64, height: 48 },
      { cid: paper.body.blob.cid, kind: 'pdf', media_type: 'application/pdf', name: 'paper.pdf', size: paper.body.blob.size, pages: 3 },
    ]);
    const answer = await reply(c);
    expect(answer.content).toContain('I see a PNG image of 64×48 pixels.');
    expect(answer.content).toMatch(/I see a PDF of 3 pages\b/);
    expect(suite.mock.requests.at(-1)!.summary).toMatchObject({ images: 1, documents: 1 });

    const served = await fetch(`${suite.host.url}/api/blobs/${first.body.blob.cid}`);
    expect(Buffer.from(await served.arrayBuffer()).equals(image)).toBe(true);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('cache-control')).toContain('immutable');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    const download = await fetch(`${suite.host.url}/api/blobs/${paper.body.blob.cid}?name=${encodeURIComponent('<b>paper</b>.pdf')}`);
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="bpaperb.pdf"');
    expect(download.headers.get('content-security-policy')).toContain('sandbox');
    // A text file keeps its own extension, and is still never served as anything but plain text.
    const notes = await upload(Buffer.from('# Notes\n\n<script>alert(1)</script>\n'), 'notes.md', 'text/html');
    const text = await fetch(`${suite.host.url}/api/blobs/${notes.body.blob.cid}?name=notes.md`);
    expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(text.headers.get('content-disposition')).toBe('attachment; filename="notes.md"');
  });

  it('stores nothing of an upload cut off halfway', async () => {
    const image = png(300, 200, [9, 99, 199]);
    const socket = connect(Number(new URL(suite.host.url).port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(`POST /api/blobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/png\r\nContent-Length: ${image.length}\r\n\r\n`);
    socket.write(image.subarray(0, image.length >> 1));
    await new Promise((resolve) => setTimeout(resolve, 200));
    socket.destroy();
    // The whole file, uploaded now, is new: nothing of the first attempt was kept under its id.
    const { createHash } = await import('node:crypto');
    const whole = await upload(image, 'whole.png', 'image/png');
    expect(whole.status).toBe(201);
    const half = image.subarray(0, image.length >> 1);
    const digest = createHash('sha256').update(half).digest();
    const { CID } = await import('multiformats/cid');
    const { create } = await import('multiformats/hashes/digest');
    const halfCid = CID.create(1, 0x55, create(0x12, digest)).toString();
    expect((await fetch(`${suite.host.url}/api/blobs/${halfCid}`)).status).toBe(404);
  });

  it('refuses what Claude would refuse before storing anything, naming the limit', async () => {
    const big = png(2000, 2000, [1, 2, 3]);
    const huge = Buffer.concat([big, Buffer.alloc(4 * 1024 * 1024, 7)]);
    const refused = await upload(huge, 'huge.png', 'image/png');
    expect(refused.status).toBe(413);
    expect(refused.body.error.message).toMatch(/huge\.png.*images up to 3\.75 MB/);
    const enormous = await upload(Buffer.alloc(33 * 1024 * 1024, 1), 'enormous.pdf', 'application/pdf');
    expect(enormous.status).toBe(413);
    expect(enormous.body.error.message).toBe('“enormous.pdf” is 33 MB: Claude takes files up to 32 MB');
    const video = await upload(Buffer.from('\x00\x00\x00\x18ftypmp42 not really a video'), 'movie.mp4', 'video/mp4');
    expect(video.status).toBe(400);
    expect(video.body.error.message).toMatch(/movie\.mp4.*not a file Claude can read/);

    // A message cannot name a file that was never stored.
    const c = await ChatClient.open(suite.host.url);
    await c.command({ type: 'create_chat', name: 'Refusals' });
    const missing = 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku';
    const error = (await c.command({ type: 'send_message', content: 'see this', attachments: [{ cid: missing, name: 'ghost.png' }] })) as F;
    expect(error).toMatchObject({ type: 'error', code: 'bad_request' });
    expect(error.message).toMatch(/ghost\.png.*not uploaded/);
    expect(((await c.command({ type: 'get_branch' })) as Frame & { messages: Msg[] }).messages).toHaveLength(0);
    expect((await fetch(`${suite.host.url}/api/blobs/${missing}`)).status).toBe(404);
  });
});

describe('thinking and web search', () => {
  it('stores thinking with its signature and sends it back unchanged when the chat goes on', async () => {
    const c = await ChatClient.open(suite.host.url);
    const { chat } = (await c.command({ type: 'create_chat', name: 'Thinking', model: 'claude-haiku-4-5' })) as F;
    const updated = (await c.command({ type: 'update_chat', chat_id: chat.id, thinking: { effort: 'low' } })) as F;
    expect(updated.chat.thinking).toEqual({ effort: 'low' });
    await c.command({ type: 'send_message', content: 'think about tides, redacted please' });
    const first = await reply(c);
    expect(first.parts!.map((p) => p.type)).toEqual(['thinking', 'redacted_thinking', 'text']);
    expect(first.parts![0].text).toMatch(/Mock thinking/);
    expect(first.meta.usage.thinking_tokens).toBeGreaterThan(0);
    expect(suite.mock.requests.at(-1)!.body as F).toMatchObject({ thinking: { type: 'enabled', budget_tokens: 2048 } });

    // The mock answers 400 to a thinking block whose signature does not match its text.
    await c.command({ type: 'send_message', content: 'and now?' });
    const second = await reply(c);
    expect(second.content).toContain('and now?');
    expect(suite.mock.requests.at(-1)!.summary).toMatchObject({ echoedThinking: 1, echoedRedactedThinking: 1 });
  });

  it('searches the web when the chat allows it, with numbered sources, inert hostile links, and the searches priced', async () => {
    const c = await ChatClient.open(suite.host.url);
    const { chat } = (await c.command({ type: 'create_chat', name: 'Search', model: 'claude-haiku-4-5' })) as F;
    await c.command({ type: 'update_chat', chat_id: chat.id, web_search: { max_uses: 2 } });
    await c.command({ type: 'send_message', content: 'search the hostile web for tides' });
    const answer = await reply(c);
    const search = answer.parts!.find((p) => p.type === 'search');
    expect(search.query).toBeTruthy();
    expect(search.results.length).toBeGreaterThan(0);
    expect(answer.sources!.length).toBeGreaterThan(0);
    expect(answer.parts!.some((p) => p.type === 'text' && p.citations?.length)).toBe(true);
    // No unsafe scheme ever becomes an href.
    const hrefs = [...answer.sources!.map((s) => s.href), ...search.results.map((r: any) => r.href)].filter((h) => h !== null);
    for (const href of hrefs) expect(href).toMatch(/^https?:/);
    expect(answer.sources!.some((s) => s.href === null)).toBe(true);
    expect(answer.meta.usage.web_search_requests).toBe(1);
    expect((suite.mock.requests.at(-1)!.body as F).tools).toEqual([{ type: 'web_search_20250305', name: 'web_search', max_uses: 2 }]);
    const u = answer.meta.usage;
    expect(answer.cost_usd).toBeCloseTo((u.input_tokens * 1 + u.output_tokens * 5) / 1e6 + 0.01, 8);
    const list = (await c.command({ type: 'list_chats' })) as Frame & { chats: any[] };
    expect(list.chats.find((x) => x.id === chat.id).usage.web_search_requests).toBe(1);
  });
});

describe('the model list', () => {
  it('says per model what the picker may offer, from the API where it says so', async () => {
    const c = await ChatClient.open(suite.host.url);
    const list = (await c.command({ type: 'list_models', refresh: true })) as F;
    expect(list.source).toBe('api');
    const caps = (id: string) => list.models.find((m: F) => m.id === id).capabilities;
    expect(caps('claude-sonnet-5')).toMatchObject({ thinking: true, web_search: true, vision: true, pdf: true });
    expect(caps('claude-haiku-4-5')).toMatchObject({ thinking: true });
    // The API lists no capabilities for this one: the dated table's default for a model it does not know.
    expect(caps('claude-mock-unpriced')).toMatchObject({ thinking: false, web_search: true });
  });
});

describe('export and import', () => {
  it('carry files, thinking and sources losslessly', async () => {
    const c = await ChatClient.open(suite.host.url);
    const { chat } = (await c.command({ type: 'create_chat', name: 'Carry', model: 'claude-haiku-4-5' })) as F;
    await c.command({ type: 'update_chat', chat_id: chat.id, thinking: { effort: 'medium' } });
    const image = png(20, 10, [200, 10, 10]);
    const { body } = await upload(image, 'red.png', 'image/png');
    await c.command({ type: 'send_message', content: 'think about this', attachments: [{ cid: body.blob.cid, name: 'red.png' }] });
    const original = await reply(c);
    const file = (await c.command({ type: 'export_chat', chat_id: chat.id })) as Frame & { content: string };
    const parsed = JSON.parse(file.content);
    expect(Object.keys(parsed.blobs)).toEqual([body.blob.cid]);
    expect(parsed.chat.thinking).toEqual({ effort: 'medium' });

    const res = await fetch(`${suite.host.url}/api/import`, { method: 'POST', body: file.content });
    expect(res.status).toBe(201);
    const imported = (await res.json()).chats[0];
    expect(imported.thinking).toEqual({ effort: 'medium' });
    const branch = ((await c.command({ type: 'switch_chat', chat_id: imported.id })) as Frame & { messages: Msg[] }).messages;
    expect(branch[0]!.attachments![0]).toMatchObject({ cid: body.blob.cid, name: 'red.png' });
    expect(branch[1]!.id).toBe(original.id);
    expect(branch[1]!.parts).toEqual(original.parts);

    // An export whose file was changed is refused whole.
    const altered = { ...parsed, blobs: { [body.blob.cid]: Buffer.from(png(20, 10, [0, 0, 0])).toString('base64') } };
    const refused = await fetch(`${suite.host.url}/api/import`, { method: 'POST', body: JSON.stringify(altered) });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.message).toMatch(/does not match its id/);
  });
});
