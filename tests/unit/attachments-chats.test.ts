/**
 * Files in chats, natively: one blob however often it is attached, bytes checked against the CID
 * on every read, versions and forks keeping the files of the message they copy, old nodes keeping
 * their ids, and ChatGPT's image parts said in words rather than dropped.
 */
import { describe, expect, it } from 'vitest';
import { NativeApp } from '../helpers/native-app.js';
import { memoryPorts } from '../helpers/memory-ports.js';
import { png } from '../helpers/media-fixtures.js';
import { BlobStore } from '../../src/core/blobs/store.js';
import { encodeNode, idOf } from '../../src/core/dag/node.js';

type F = Record<string, any>;

async function uploaded(app: NativeApp, bytes: Uint8Array, name: string): Promise<F> {
  const res = await app.http('POST', '/api/blobs', bytes, { 'content-type': 'image/png', 'x-file-name': encodeURIComponent(name) });
  expect(res.status, res.text).toBe(201);
  return (res.json as F).blob;
}

describe('files as blobs', () => {
  it('stores a screenshot sent twice, in two chats, once', async () => {
    const ports = memoryPorts();
    const app = new NativeApp(ports);
    await app.connect('c');
    const shot = png(32, 32);
    const blob = await uploaded(app, shot, 'shot.png');
    for (const name of ['One', 'Two']) {
      await app.command('c', { type: 'create_chat', name });
      const again = await uploaded(app, shot, 'shot again.png');
      expect(again.cid).toBe(blob.cid);
      const sent = (await app.command('c', { type: 'send_message', content: `in ${name}`, attachments: [{ cid: blob.cid, name: 'shot.png' }] })) as F;
      expect(sent.message.attachments[0].cid).toBe(blob.cid);
    }
    expect(new BlobStore(ports).has(blob.cid)).toBe(true);
    // Uploading it again writes nothing at all: no second copy, not even a label.
    const before = ports.writes();
    await uploaded(app, shot, 'shot.png');
    expect(ports.writes()).toBe(before);
  });

  it('reports a blob whose stored bytes no longer match its id, and never serves them', async () => {
    const ports = memoryPorts();
    const store = new BlobStore(ports);
    const id = await store.put(png(8, 8));
    ports.labels.set(`blob/${id}`, ports.content.put(png(9, 9)));
    await expect(store.get(id)).rejects.toThrow(/does not match its id/);
    const app = new NativeApp(ports);
    const res = await app.http('GET', `/api/blobs/${id}`);
    expect(res.status).toBe(500);
    expect(res.text).not.toContain('PNG');
  });
});

describe('downloads', () => {
  it("gives an imported file back to its owner even when it is over today's limits or not a file Claude reads", async () => {
    const ports = memoryPorts();
    const store = new BlobStore(ports);
    // Imports store files as they come (checked against their CID only): a 9000-pixel PNG and a zip.
    const wide = await store.put(png(9000, 10));
    const zip = await store.put(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]));
    const app = new NativeApp(ports);
    const image = await app.http('GET', `/api/blobs/${wide}`);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    const other = await app.http('GET', `/api/blobs/${zip}?name=${encodeURIComponent('notes.zip')}`);
    expect(other.status).toBe(200);
    // Never shown or sniffed by the browser: a download under its own name.
    expect(other.headers.get('content-type')).toBe('application/octet-stream');
    expect(other.headers.get('content-disposition')).toBe('attachment; filename="notes.zip"');
  });

  it('never saves a file under a name that would run it when opened: a page, a script, a program', async () => {
    const ports = memoryPorts();
    const store = new BlobStore(ports);
    const text = await store.put(new TextEncoder().encode('<script>alert(1)</script>'));
    const binary = await store.put(new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]));
    const app = new NativeApp(ports);
    const saved = async (id: string, name: string) => (await app.http('GET', `/api/blobs/${id}?name=${encodeURIComponent(name)}`)).headers.get('content-disposition');
    expect(await saved(text, 'notes.md')).toBe('attachment; filename="notes.md"');
    expect(await saved(text, 'page.HTML')).toBe('attachment; filename="page.txt"');
    expect(await saved(text, 'drawing.svg')).toBe('attachment; filename="drawing.txt"');
    expect(await saved(text, 'start.command')).toBe('attachment; filename="start.txt"');
    expect(await saved(text, 'build.sh')).toBe('attachment; filename="build.sh"');
    expect(await saved(binary, 'setup.exe')).toBe('attachment; filename="setup.bin"');
  });
});

describe('versions and forks keep their files', () => {
  it('an edit keeps the original files unless others (or none) are given; a fork shares them', async () => {
    const app = new NativeApp();
    await app.connect('c');
    await app.command('c', { type: 'create_chat', name: 'Versions' });
    const a = await uploaded(app, png(10, 10), 'a.png');
    const b = await uploaded(app, png(11, 11), 'b.png');
    const sent = (await app.command('c', { type: 'send_message', content: 'look', attachments: [{ cid: a.cid, name: 'a.png' }] })) as F;
    const kept = (await app.command('c', { type: 'edit_message', message_id: sent.message.id, content: 'look again' })) as F;
    expect(kept.message.attachments.map((x: F) => x.name)).toEqual(['a.png']);
    const swapped = (await app.command('c', { type: 'edit_message', message_id: sent.message.id, content: 'look at b', attachments: [{ cid: b.cid, name: 'b.png' }] })) as F;
    expect(swapped.message.attachments.map((x: F) => x.name)).toEqual(['b.png']);
    const dropped = (await app.command('c', { type: 'edit_message', message_id: sent.message.id, content: 'no files', attachments: [] })) as F;
    expect(dropped.message.attachments).toBeUndefined();
    const fork = (await app.command('c', { type: 'fork_chat', message_id: swapped.message.id })) as F;
    const branch = (await app.command('c', { type: 'get_branch', chat_id: fork.chat.id })) as F;
    expect(branch.messages.at(-1).attachments[0].cid).toBe(b.cid);
  });

  it('gives a message without files or blocks the id it had before they existed', async () => {
    const node = { v: 1 as const, parent: null, role: 'user' as const, content: 'hello', meta: {} };
    // The id of this node as the app wrote it before issue 15: files must not change old ids.
    expect(await idOf(encodeNode(node))).toBe(await idOf(encodeNode({ ...node, attachments: [], blocks: [] })));
    expect(await idOf(encodeNode(node))).toMatchInlineSnapshot(`"baguqeerap2svmlkaingi7ui6m4w56gyv2ebyvakess7n5sazbwmyphwkv4bq"`);
  });
});

describe('ChatGPT import', () => {
  it('says where an image was, rather than dropping the message', async () => {
    const app = new NativeApp();
    await app.connect('c');
    const conversation = {
      title: 'With a picture',
      mapping: {
        a: { id: 'a', parent: null, children: ['b'], message: { author: { role: 'user' }, content: { content_type: 'multimodal_text', parts: [{ content_type: 'image_asset_pointer', asset_pointer: 'file-service://file-1', width: 800, height: 600 }] } } },
        b: { id: 'b', parent: 'a', children: [], message: { author: { role: 'assistant' }, content: { parts: ['A cat.'] } } },
      },
      current_node: 'b',
    };
    const imported = (await app.command('c', { type: 'import_chat', content: JSON.stringify(conversation) })) as F;
    const branch = (await app.command('c', { type: 'get_branch', chat_id: imported.chats[0].id })) as F;
    expect(branch.messages.map((m: F) => m.content)).toEqual(['[An image (800×600) was attached in ChatGPT; conversations.json does not hold its file.]', 'A cat.']);
  });
});
