import { describe, expect, it } from 'vitest';
import { gunzipSync, gzipSync } from 'node:zlib';
import { serveAsset } from '../../src/core/assets.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_FRAME_BYTES, parseFrame } from '../../src/core/protocol/commands.js';
import { parseInitConfig } from '../../src/core/config.js';
import { APP_VERSION } from '../../src/core/version.js';
import { NativeApp } from '../helpers/native-app.js';
import { memoryPorts } from '../helpers/memory-ports.js';
import { ROOT } from '../helpers/host.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('WebSocket frames', () => {
  it('parses ping and keeps the request id', () => {
    expect(parseFrame('{"type":"ping","request_id":"r1"}')).toEqual({ requestId: 'r1', command: { type: 'ping', request_id: 'r1' } });
  });

  it('names the problem for bad frames', () => {
    expect(parseFrame('{').error?.code).toBe('invalid_json');
    expect(parseFrame('[]').error?.message).toMatch(/JSON object/);
    expect(parseFrame('{"type":7}').error?.message).toMatch(/string "type"/);
    expect(parseFrame('{"type":"launch","request_id":"x"}')).toMatchObject({ requestId: 'x', error: { code: 'unknown_command' } });
    expect(parseFrame('{"type":"ping","request_id":1}').error?.message).toMatch(/request_id/);
    expect(parseFrame('{"type":"__proto__"}').error?.code).toBe('unknown_command');
    expect(parseFrame('{"type":"rename_chat","chat_id":"x","name":"a"}').error?.message).toMatch(/chat_id: not a chat id/);
    expect(parseFrame('{"type":"ping","extra":1}').error?.message).toMatch(/extra/);
  });
});

describe('init config', () => {
  it('defaults to 127.0.0.1:8084, a fixed store and a 1 MiB content limit', () => {
    expect(parseInitConfig(undefined).config).toEqual({
      host: '127.0.0.1',
      port: 8084,
      store_id: 'theater-chat',
      max_content_bytes: 1024 * 1024,
      max_tokens: 8192,
      generation_timeout_ms: 180_000,
      generator_manifest: 'generator.toml',
      allowed_origins: [],
      allowed_hosts: [],
      attachment_limits: {},
    });
  });

  it('falls back to defaults with a reason instead of failing', () => {
    const bad = parseInitConfig(enc('{"port":"eighty"}'));
    expect(bad.config.port).toBe(8084);
    expect(bad.problem).toMatch(/port/);
    expect(parseInitConfig(enc('not json')).problem).toMatch(/JSON/);
  });
});

describe('session guard', () => {
  it('answers nothing but hello until the page token is presented', async () => {
    const app = new NativeApp();
    await app.connect('1', false);
    expect(await app.command('1', { type: 'list_chats' })).toMatchObject({ type: 'error', code: 'unauthorized' });
    expect(await app.command('1', { type: 'hello', token: 'guess' })).toMatchObject({ type: 'error', code: 'unauthorized' });
    expect(await app.command('1', { type: 'hello', token: app.settings.session_token, request_id: 'h' })).toMatchObject({ type: 'welcome', request_id: 'h' });
    expect(await app.command('1', { type: 'ping' })).toMatchObject({ type: 'pong' });
  });

  it('tells a connection before hello nothing about its frames but that hello comes first; a hello that cannot be read is told why', async () => {
    const app = new NativeApp();
    await app.connect('1', false);
    for (const frame of ['{"type":"nope","request_id":"a"}', '{"type":"ping","extra":1,"request_id":"a"}', '{', '[]']) {
      expect(await app.command('1', frame), frame).toMatchObject({ type: 'error', code: 'unauthorized', message: expect.stringMatching(/hello/) });
    }
    expect(await app.command('1', '{"type":"nope","request_id":"a"}')).toMatchObject({ request_id: 'a' });
    expect(await app.command('1', { type: 'hello', token: 5 })).toMatchObject({ type: 'error', code: 'bad_request', message: expect.stringMatching(/token/) });
  });

  it('names the request a frame too large to read came with, when it stands at either end', () => {
    const pad = 'x'.repeat(MAX_FRAME_BYTES);
    expect(parseFrame(`{"request_id":"first","type":"ping","pad":"${pad}"}`)).toMatchObject({ requestId: 'first', error: { code: 'payload_too_large' } });
    expect(parseFrame(`{"type":"ping","pad":"${pad}","request_id": "last"}`)).toMatchObject({ requestId: 'last', error: { code: 'payload_too_large' } });
    expect(parseFrame(`{"type":"ping","pad":"${pad}"}`).requestId).toBeUndefined();
  });

  it('puts the token into the served page and a new one at every start', async () => {
    const app = new NativeApp();
    const page = await app.http('GET', '/');
    expect(page.text).toContain(app.settings.session_token);
    expect(app.restart().settings.session_token).not.toBe(app.settings.session_token);
  });

  it('answers a browser that has this start\'s page with an empty 304, and one that has an older page with the new one', async () => {
    const app = new NativeApp();
    const first = await app.http('GET', '/');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[a-z2-7]+"$/);
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    const again = await app.http('GET', '/', undefined, { 'if-none-match': `W/"other", ${etag}` });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    const restarted = app.restart();
    const fresh = await restarted.http('GET', '/', undefined, { 'if-none-match': etag });
    expect(fresh.status).toBe(200);
    expect(fresh.text).toContain(restarted.settings.session_token);
    expect(fresh.headers.get('etag')).not.toBe(etag);
  });

  it('serves an asset gzipped to a browser that accepts it, and as it is to one that does not', () => {
    const body = new TextEncoder().encode('console.log("hi");'.repeat(50));
    const assets = { 'app.js': { contentType: 'text/javascript', body, gzip: new Uint8Array(gzipSync(body)) } };
    const zipped = serveAsset(assets, 'app.js', 'gzip, deflate, br, zstd');
    expect(new Map(zipped.headers).get('content-encoding')).toBe('gzip');
    expect(new Map(zipped.headers).get('vary')).toBe('accept-encoding');
    expect(gunzipSync(zipped.body!)).toEqual(Buffer.from(body));
    for (const refused of [undefined, 'identity', 'br', 'gzip;q=0']) {
      const plain = serveAsset(assets, 'app.js', refused);
      expect(new Map(plain.headers).has('content-encoding'), String(refused)).toBe(false);
      expect(plain.body).toBe(body);
    }
    expect(new Map(serveAsset(assets, 'app.js', '*').headers).get('content-encoding')).toBe('gzip');
  });

  it('says how much too large an import is, in bytes when megabytes would read the same as the limit', async () => {
    const app = new NativeApp();
    const justOver = await app.http('POST', '/api/import', 'x'.repeat(48 * 1024 * 1024 + 1));
    expect(justOver.status).toBe(413);
    expect((justOver.json as { error: { message: string } }).error.message).toBe('the file is 50,331,649 bytes: import takes files up to 48 MB');
    const farOver = await app.http('POST', '/api/import', 'x'.repeat(60 * 1024 * 1024));
    expect((farOver.json as { error: { message: string } }).error.message).toBe('the file is 60 MB: import takes files up to 48 MB');
  });

  it('refuses state-changing HTTP from another origin, and hosts that are not this server', async () => {
    const app = new NativeApp();
    expect((await app.http('POST', '/api/chats', { name: 'x' }, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await app.http('GET', '/api/chats', undefined, { host: 'evil.example:8084' })).status).toBe(403);
    expect((await app.http('POST', '/api/chats', { name: 'x' }, { origin: 'http://127.0.0.1:8084' })).status).toBe(201);
    expect((await app.http('POST', '/api/chats', { name: 'y' })).status).toBe(201);
  });
});

describe('store', () => {
  it('reopens an existing store writing nothing but the new start\'s settings', () => {
    const ports = memoryPorts();
    new NativeApp(ports);
    const writes = ports.writes();
    new NativeApp(ports);
    // The settings with this start's session token and the label that names them; no store metadata again.
    expect(ports.writes()).toBe(writes + 2);
  });
});

describe('version', () => {
  it('matches package.json', () => {
    expect(APP_VERSION).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });
});
