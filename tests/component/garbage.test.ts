/** Garbage at every route and at /ws: the actor answers or refuses, and keeps serving. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { expectNoFatal, openSocket, startHost, type RunningHost } from '../helpers/host.js';
import { sessionToken } from '../helpers/chat-client.js';
import { rawHttp } from '../hardening/drills.js';

const PATHS = [
  '/', '/assets/x', '/assets/..%2F..%2Fetc%2Fpasswd', '/assets/%00', '/api/health', '/ws', '/api/health?x=%ff',
  '/api/chats', '/api/chats/x', '/api/chats/00000000-0000-4000-8000-000000000000', '/api/chats/x/messages',
  '/api/messages', '/api/messages?chat_id=%00', '/api/messages/x', '/api/messages/bafy%2F..',
];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'];

describe('garbage in', () => {
  let host: RunningHost;
  beforeAll(async () => {
    host = await startHost();
  });
  afterAll(async () => {
    await host.stop();
  });

  it('survives odd methods, paths, headers and bodies on every route', async () => {
    for (const path of PATHS) {
      for (const method of METHODS) {
        const body = method === 'GET' || method === 'HEAD' ? undefined : randomBytes(64);
        const res = await fetch(`${host.url}${path}`, { method, body, headers: { 'content-type': 'application/json', 'x-weird': '\u00ff' } });
        expect(res.status, `${method} ${path}`).toBeLessThan(500);
        await res.arrayBuffer();
      }
    }
  });

  it('survives raw bytes that are not HTTP', async () => {
    const payloads = [
      ...Array.from({ length: 10 }, (_, i) => randomBytes(200 + i * 50)),
      // A body announced far larger than what comes before the client hangs up.
      Buffer.from('GET /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\nabc'),
    ];
    for (const [i, bytes] of payloads.entries()) {
      const what = `payload ${i}: ${bytes.toString('latin1', 0, 24)}`;
      const outcome = await rawHttp(host.port, bytes);
      expect(outcome.connected, what).toBe(true);
      // Each connection is closed by the host, not left open, and never answered with success or a server error.
      expect(outcome.closed, what).toBe(true);
      expect(outcome.reply, what).toMatch(/^(|HTTP\/1\.1 4\d\d [^]*)$/);
      // And the host still serves, every time.
      const health = await fetch(`${host.url}/api/health`);
      expect(health.status, what).toBe(200);
      expect(await health.json(), what).toMatchObject({ status: 'ok' });
    }
  });

  it('survives hostile WebSocket frames, answering each as it should', async () => {
    const ws = await openSocket(host.url);
    ws.send({ type: 'hello', token: await sessionToken(host.url) });
    expect((await ws.next()).type).toBe('welcome');
    const refused = (code: string) => ({ type: 'error', code });
    const frames: [string | Buffer, object][] = [
      ['', refused('invalid_json')],
      ['null', refused('bad_request')],
      ['[]', refused('bad_request')],
      ['"ping"', refused('bad_request')],
      ['{"type":null}', refused('bad_request')],
      // Commands take no keys beyond their own, and a request_id is a string.
      ['{"type":"ping","request_id":{"__proto__":{"x":1}}}', refused('bad_request')],
      // "__proto__" from JSON.parse is an own key, never the prototype: there is no "type" here.
      ['{"__proto__":{"type":"ping"}}', refused('bad_request')],
      ['{"constructor":{"prototype":{"polluted":true}},"type":"ping"}', refused('bad_request')],
      ['['.repeat(5000) + ']'.repeat(5000), refused('bad_request')],
      [JSON.stringify({ type: 'ping', request_id: 'x'.repeat(1000) }), refused('bad_request')],
      [Buffer.from([0xff, 0xfe, 0xfd]), refused('bad_request')],
      ['x'.repeat(3 * 1024 * 1024), refused('payload_too_large')],
    ];
    for (const [frame, answer] of frames) {
      ws.ws.send(frame);
      expect(await ws.next(), String(frame).slice(0, 40)).toMatchObject(answer);
    }
    for (let i = 0; i < 50; i++) ws.ws.send(randomBytes(1 + (i % 40)).toString('latin1'));
    for (let i = 0; i < 50; i++) expect((await ws.next()).type).toBe('error');
    await ws.close();
  });

  it('keeps its prototypes clean: pollution payloads change none of its later answers', async () => {
    const ws = await openSocket(host.url);
    ws.send({ type: 'hello', token: await sessionToken(host.url) });
    expect((await ws.next()).type).toBe('welcome');
    // Merged naively anywhere in the host, these would give every object a type, a request_id and a name.
    const poison = '{"type":"ping","request_id":"polluted","name":"polluted"}';
    ws.ws.send(`{"__proto__":${poison}}`);
    expect(await ws.next()).toMatchObject({ type: 'error', code: 'bad_request' });
    ws.ws.send(`{"type":"ping","constructor":{"prototype":${poison}}}`);
    expect(await ws.next()).toMatchObject({ type: 'error', code: 'bad_request', message: expect.stringMatching(/Unrecognized key: "constructor"/) });
    for (const body of [`{"__proto__":${poison}}`, `{"constructor":{"prototype":${poison}}}`]) {
      const res = await fetch(`${host.url}/api/chats`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
      expect(res.status, body).toBe(400);
      expect(await res.json(), body).toMatchObject({ error: { code: 'bad_request' } });
    }
    // What each probe would answer from a polluted Object.prototype: a pong, a request_id "polluted", a chat named "polluted".
    ws.ws.send('{}');
    expect(await ws.next()).toEqual({ type: 'error', code: 'bad_request', message: 'a command needs a string "type"' });
    ws.ws.send('{"type":"ping"}');
    expect(await ws.next()).toEqual({ type: 'pong', protocol: expect.any(Number) });
    const created = await fetch(`${host.url}/api/chats`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(created.status).toBe(201);
    expect(((await created.json()) as { chat: { name: string } }).chat.name).toBe('New chat');
    await ws.close();
  });

  it('still serves afterwards, and never hit a fatal error', async () => {
    expect((await fetch(`${host.url}/api/health`)).status).toBe(200);
    const ws = await openSocket(host.url);
    ws.send({ type: 'hello', token: await sessionToken(host.url) });
    expect((await ws.next()).type).toBe('welcome');
    ws.send({ type: 'ping' });
    expect(await ws.next()).toMatchObject({ type: 'pong' });
    await ws.close();
    expectNoFatal(host);
  });
});
