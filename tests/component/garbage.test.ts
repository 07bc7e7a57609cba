/** Garbage at every route and at /ws: the actor answers or refuses, and keeps serving. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { expectNoFatal, openSocket, startHost, type RunningHost } from '../helpers/host.js';
import { sessionToken } from '../helpers/chat-client.js';

const PATHS = [
  '/', '/assets/x', '/assets/..%2F..%2Fetc%2Fpasswd', '/assets/%00', '/api/health', '/ws', '/api/health?x=%ff',
  '/api/chats', '/api/chats/x', '/api/chats/00000000-0000-4000-8000-000000000000', '/api/chats/x/messages',
  '/api/messages', '/api/messages?chat_id=%00', '/api/messages/x', '/api/messages/bafy%2F..',
];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'];

function rawRequest(port: number, bytes: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
    socket.on('data', () => undefined);
    socket.on('error', () => resolve());
    socket.on('close', () => resolve());
    setTimeout(() => (socket.destroy(), resolve()), 2000).unref();
  });
}

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
    for (let i = 0; i < 10; i++) await rawRequest(host.port, randomBytes(200 + i * 50));
    await rawRequest(host.port, Buffer.from('GET /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\nabc'));
  });

  it('survives hostile WebSocket frames', async () => {
    const ws = await openSocket(host.url);
    ws.send({ type: 'hello', token: await sessionToken(host.url) });
    expect((await ws.next()).type).toBe('welcome');
    const frames: (string | Buffer)[] = [
      '',
      'null',
      '[]',
      '"ping"',
      '{"type":null}',
      '{"type":"ping","request_id":{"__proto__":{"x":1}}}',
      '{"__proto__":{"type":"ping"}}',
      '{"constructor":{"prototype":{"polluted":true}},"type":"ping"}',
      '['.repeat(5000) + ']'.repeat(5000),
      JSON.stringify({ type: 'ping', request_id: 'x'.repeat(1000) }),
      Buffer.from([0xff, 0xfe, 0xfd]),
      'x'.repeat(3 * 1024 * 1024),
    ];
    for (const frame of frames) {
      ws.ws.send(frame);
      const reply = await ws.next();
      expect(reply.type, String(frame).slice(0, 40)).toMatch(/^(error|pong)$/);
    }
    for (let i = 0; i < 50; i++) ws.ws.send(randomBytes(1 + (i % 40)).toString('latin1'));
    for (let i = 0; i < 50; i++) expect((await ws.next()).type).toBe('error');
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
    expect(({}) as Record<string, unknown>).not.toHaveProperty('polluted');
  });
});
