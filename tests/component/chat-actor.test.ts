/** The chat component on the Node host, spoken to over real HTTP and WebSocket clients. */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import WebSocket from 'ws';
import { join } from 'node:path';
import { openSocket, startHost } from '../helpers/host.js';
import { hostForTests } from '../helpers/suite-host.js';
import { sessionToken } from '../helpers/chat-client.js';

describe('chat actor: the skeleton end to end', () => {
  const suite = hostForTests();

  it('answers /api/health with version, store id and its generators', async () => {
    const res = await fetch(`${suite.host.url}/api/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    // The host was started once its first generator was ready (tests/helpers/host.ts); none is spare yet.
    expect(await res.json()).toEqual({ status: 'ok', version: '0.1.0', protocol: 1, store_id: 'theater-chat', generators: { ready: 1, starting: 0 } });
  });

  it('serves the page with a strict CSP and no inline script', async () => {
    const res = await fetch(`${suite.host.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    for (const [, asset] of html.matchAll(/(?:src|href)="\/assets\/([^"]+)"/g)) {
      const a = await fetch(`${suite.host.url}/assets/${asset}`);
      expect(a.status, asset).toBe(200);
      expect(a.headers.get('cache-control')).toMatch(/immutable/);
    }
  });

  it('answers an unknown asset with a JSON 404 naming it', async () => {
    const res = await fetch(`${suite.host.url}/assets/nothing.js`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'no asset at /nothing.js' } });
  });

  it('answers ping with pong over /ws, echoing request_id, once the page token is presented', async () => {
    const ws = await openSocket(suite.host.url);
    ws.send({ type: 'ping', request_id: 'r-0' });
    expect(await ws.next()).toMatchObject({ type: 'error', code: 'unauthorized', request_id: 'r-0' });
    ws.send({ type: 'hello', token: await sessionToken(suite.host.url) });
    expect(await ws.next()).toMatchObject({ type: 'welcome', protocol: 1 });
    ws.send({ type: 'ping', request_id: 'r-1' });
    expect(await ws.next()).toEqual({ type: 'pong', protocol: 1, request_id: 'r-1' });
    await ws.close();
  });

  it('answers bad frames with an error frame naming the problem (after hello; before it, only that hello comes first)', async () => {
    const ws = await openSocket(suite.host.url);
    ws.send('{not json');
    expect(await ws.next()).toMatchObject({ type: 'error', code: 'unauthorized', message: expect.stringMatching(/hello/) });
    ws.send({ type: 'hello', token: await sessionToken(suite.host.url) });
    expect(await ws.next()).toMatchObject({ type: 'welcome' });
    ws.send('{not json');
    expect(await ws.next()).toMatchObject({ type: 'error', code: 'invalid_json' });
    ws.send({ type: 'explode', request_id: 'q' });
    expect(await ws.next()).toEqual({ type: 'error', code: 'unknown_command', message: 'unknown command type "explode"', request_id: 'q' });
    ws.ws.send(new Uint8Array([1, 2, 3]));
    expect(await ws.next()).toMatchObject({ type: 'error', code: 'bad_request', message: expect.stringMatching(/binary/) });
    await ws.close();
  });

  it('binds 127.0.0.1 and says so', () => {
    expect(suite.host.url).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });
});

describe('chat actor: restarts', () => {
  it('creates its store once and reopens the same one on every later start', async () => {
    const first = await startHost();
    const id1 = ((await (await fetch(`${first.url}/api/health`)).json()) as { store_id: string }).store_id;
    await first.stop();
    expect(first.log()).toMatch(/created store theater-chat/);
    const before = readdirSync(join(first.data, 'store/theater-chat/data'));

    const second = await startHost({ data: first.data });
    const id2 = ((await (await fetch(`${second.url}/api/health`)).json()) as { store_id: string }).store_id;
    await second.stop();
    expect(id2).toBe(id1);
    expect(second.log()).toMatch(/reopened store theater-chat/);
    expect(second.log()).not.toMatch(/created store/);
    // Nothing of the store is written again; the one new object is this start's settings (its session token).
    const after = readdirSync(join(first.data, 'store/theater-chat/data'));
    expect(after.filter((f) => !before.includes(f))).toHaveLength(1);
    expect(after.filter((f) => before.includes(f))).toEqual(before);
  });
});

describe('chat actor: foreign pages', () => {
  it('the host refuses a WebSocket upgrade from another origin, and allows the page\'s own and configured ones', async () => {
    const guarded = await startHost({ args: ['--allow-origin', 'http://tool.example:3000'] });
    const attempt = (origin: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`${guarded.url.replace('http', 'ws')}/ws`, { headers: { origin } });
        ws.once('open', () => (ws.close(), resolve(101)));
        ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.once('error', () => resolve(-1));
      });
    expect(await attempt('https://evil.example')).toBe(403);
    expect(await attempt(guarded.url)).toBe(101);
    expect(await attempt('http://tool.example:3000')).toBe(101);
    const res = await fetch(`${guarded.url}/api/chats`, { method: 'POST', headers: { origin: 'http://tool.example:3000', 'content-type': 'application/json' }, body: '{"name":"ok"}' });
    expect(res.status).toBe(201);
    await guarded.stop();
  });
});
