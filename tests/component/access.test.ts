/**
 * Bound to 0.0.0.0 and reached through 127.0.0.1 with a LAN Host header, as a stranger on the
 * network would: nothing without the access key; everything with it; nothing again after rotation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { request as tlsRequest } from 'node:https';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import WebSocket from 'ws';
import { ROOT, expectNoFatal, startHost, tempDir, type RunningHost } from '../helpers/host.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let host: RunningHost;
let keyFile: string;
const LAN = '192.168.1.20';

function http(method: string, path: string, headers: Record<string, string> = {}, body?: string, to = host): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: to.port, method, path, headers: { host: `${LAN}:${host.port}`, ...headers } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** One frame's answer over a fresh WebSocket: hello with `token`, then `command`. */
async function overSocket(token: string, command: object): Promise<[Record<string, unknown>, Record<string, unknown>]> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, { headers: { host: `${LAN}:${host.port}` } });
  const frames: Record<string, unknown>[] = [];
  ws.on('message', (d) => frames.push(JSON.parse(String(d)) as Record<string, unknown>));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  ws.send(JSON.stringify({ type: 'hello', token, request_id: 'h' }));
  ws.send(JSON.stringify({ ...command, request_id: 'c' }));
  // Waiting for both answers; the limit only bounds how long a hang takes to be reported.
  const deadline = Date.now() + 60_000;
  while (!(frames.some((f) => f.request_id === 'h') && frames.some((f) => f.request_id === 'c')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  ws.close();
  return [frames.find((f) => f.request_id === 'h')!, frames.find((f) => f.request_id === 'c')!];
}

/** A WebSocket kept open past hello, as a page keeps it. */
async function openSocket(token: string): Promise<{ ask: (command: object) => Promise<Record<string, unknown>>; closed: Promise<number>; close: () => void }> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, { headers: { host: `${LAN}:${host.port}` } });
  const frames: Record<string, unknown>[] = [];
  ws.on('message', (d) => frames.push(JSON.parse(String(d)) as Record<string, unknown>));
  const closed = new Promise<number>((resolve) => ws.once('close', resolve));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let n = 0;
  const ask = async (command: object) => {
    const id = `q${++n}`;
    ws.send(JSON.stringify({ ...command, request_id: id }));
    for (let i = 0; i < 500 && !frames.some((f) => f.request_id === id); i++) await new Promise((r) => setTimeout(r, 20));
    return frames.find((f) => f.request_id === id)!;
  };
  expect(await ask({ type: 'hello', token })).toMatchObject({ type: 'welcome' });
  return { ask, closed, close: () => ws.close() };
}

const cookieOf = (a: Answer) => String(a.headers['set-cookie']?.[0] ?? '').split(';')[0]!;
const tokenOf = (page: string) => /name="theater-chat-session" content="([^"]*)"/.exec(page)?.[1];

/** The app in a folder of its own, so that the key it makes lands there (assets/access-key.txt). */
function layout(bind: string): string {
  const dir = tempDir();
  cpSync(join(ROOT, 'actor.toml'), join(dir, 'actor.toml'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'assets/init.json'), JSON.stringify({ host: bind, port: 0, generator_manifest: '' }));
  mkdirSync(join(dir, 'dist'));
  cpSync(join(ROOT, 'dist/chat.wasm'), join(dir, 'dist/chat.wasm'));
  return dir;
}

const ENV = { THEATER_CHAT_ACCESS_KEY: '', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9/' };

beforeAll(async () => {
  const dir = layout('0.0.0.0');
  keyFile = join(dir, 'assets/access-key.txt');
  host = await startHost({ manifest: join(dir, 'actor.toml'), env: ENV });
  for (let i = 0; i < 100 && !host.output().includes('/login?key='); i++) await new Promise((r) => setTimeout(r, 50));
}, 120_000);

afterAll(async () => {
  await host?.stop();
  if (host) expectNoFatal(host);
});

describe('bound to 0.0.0.0', () => {
  it('makes a 128-bit key only the owner can read and prints a login URL', () => {
    const key = readFileSync(keyFile, 'utf8').trim();
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(host.output()).toMatch(new RegExp(`http://[^\\s]+/login\\?key=${key}`));
    expect(host.log()).not.toContain(key);
  });

  it('without the session refuses the page, the API, assets, the WebSocket and a generation, creating nothing', async () => {
    const page = await http('GET', '/');
    expect(page.status).toBe(401);
    expect(page.body).toContain('action="/login"');
    expect(tokenOf(page.body)).toBeUndefined();
    expect((await http('GET', '/api/chats')).status).toBe(401);
    expect((await http('GET', '/assets/app.js')).status).toBe(401);
    expect((await http('POST', '/api/chats', { 'content-type': 'application/json' }, '{"name":"intruder"}')).status).toBe(401);
    const [hello, created] = await overSocket('0'.repeat(32), { type: 'create_chat', name: 'intruder' });
    expect(hello).toMatchObject({ type: 'error', code: 'unauthorized' });
    expect(created).toMatchObject({ type: 'error', code: 'unauthorized' });
  });

  it('refuses a wrong key the same way, with no cookie', async () => {
    for (const answer of [await http('GET', `/login?key=${'f'.repeat(32)}`), await http('POST', '/login', { 'content-type': 'application/x-www-form-urlencoded' }, 'key=guess')]) {
      expect(answer.status).toBe(401);
      expect(answer.headers['set-cookie']).toBeUndefined();
    }
  });

  it('logs in with the printed URL; then everything works; a rebinding Host is still refused', async () => {
    const path = /\/login\?key=[0-9a-f]+/.exec(host.output())![0];
    const login = await http('GET', path);
    expect(login.status).toBe(303);
    expect(login.headers.location).toBe('/');
    expect(String(login.headers['set-cookie'])).toMatch(/; HttpOnly; SameSite=Strict; Max-Age=\d+/);
    const cookie = cookieOf(login);
    const page = await http('GET', '/', { cookie });
    expect(page.status).toBe(200);
    const token = tokenOf(page.body)!;
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    const [hello, created] = await overSocket(token, { type: 'create_chat', name: 'mine' });
    expect(hello).toMatchObject({ type: 'welcome' });
    expect(created).toMatchObject({ type: 'chat_created' });
    const chats = JSON.parse((await http('GET', '/api/chats', { cookie })).body) as { chats: { id: string; name: string }[] };
    expect(chats.chats.map((c) => c.name)).toEqual(['mine']);
    const chatId = chats.chats[0]!.id;
    const sent = await http('POST', `/api/chats/${chatId}/messages`, { cookie, 'content-type': 'application/json' }, '{"content":"hi"}');
    const parent = (JSON.parse(sent.body) as { message: { id: string } }).message.id;
    // A paid call from a stranger: refused before anything starts.
    const [, stranger] = await overSocket('0'.repeat(32), { type: 'generate_llm_response', chat_id: chatId, parent_id: parent });
    expect(stranger).toMatchObject({ type: 'error', code: 'unauthorized' });
    const health = JSON.parse((await http('GET', '/api/health', { cookie })).body) as { status: string };
    expect(health.status).toBe('ok');
    expect((await http('GET', '/api/chats', { cookie, host: `rebound.evil.example:${host.port}` })).status).toBe(403);

    // A new key file: every earlier session ends at once, and a socket already past hello is
    // refused at its next command and closed.
    const open = await openSocket(token);
    writeFileSync(keyFile, `${'ab'.repeat(16)}\n`);
    expect(await open.ask({ type: 'create_chat', name: 'after rotation' })).toMatchObject({ type: 'error', code: 'unauthorized', message: expect.stringMatching(/access key changed/) });
    expect(await Promise.race([open.closed, new Promise((r) => setTimeout(() => r('still open'), 60_000))])).toBe(1005);
    expect((await http('GET', '/api/chats', { cookie })).status).toBe(401);
    expect((await overSocket(token, { type: 'list_chats' }))[0]).toMatchObject({ code: 'unauthorized' });
    const relogin = await http('GET', `/login?key=${'ab'.repeat(16)}`);
    expect(relogin.status).toBe(303);
    const fresh = cookieOf(relogin);
    const chatsNow = JSON.parse((await http('GET', '/api/chats', { cookie: fresh })).body) as { chats: { name: string }[] };
    expect(chatsNow.chats.map((c) => c.name)).toEqual(['mine']);
    (await openSocket(tokenOf((await http('GET', '/', { cookie: fresh })).body)!)).close();
  });
});

describe('bound to loopback', () => {
  it('asks for no login and makes no key, answers --allow-host names and refuses any other name', async () => {
    const dir = layout('127.0.0.1');
    const local = await startHost({ manifest: join(dir, 'actor.toml'), env: ENV, args: ['--allow-host', 'chat.example.org'] });
    try {
      const get = (name: string) => http('GET', '/api/chats', { host: `${name}:${local.port}` }, undefined, local);
      expect((await get('127.0.0.1')).status).toBe(200);
      expect((await get('chat.example.org')).status).toBe(200);
      expect((await get('rebound.evil.example')).status).toBe(403);
      expect((await get(LAN)).status).toBe(403);
      expect(existsSync(join(dir, 'assets/access-key.txt'))).toBe(false);
      expect(local.output()).not.toContain('/login');
    } finally {
      await local.stop();
    }
    expectNoFatal(local);
  }, 120_000);
});

describe('over TLS', () => {
  it('answers HTTPS with a self-signed certificate and sends Secure cookies', async () => {
    const dir = layout('0.0.0.0');
    const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-days', '1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    const secure = await startHost({ manifest: join(dir, 'actor.toml'), env: ENV, args: ['--tls-cert', cert, '--tls-key', key] });
    try {
      for (let i = 0; i < 100 && !secure.output().includes('/login?key='); i++) await new Promise((r) => setTimeout(r, 50));
      expect(secure.output()).toMatch(/listening https:\/\/0\.0\.0\.0:\d+\//);
      const get = (path: string, headers: Record<string, string> = {}) =>
        new Promise<Answer>((resolve, reject) => {
          const req = tlsRequest({ host: '127.0.0.1', port: secure.port, path, rejectUnauthorized: false, headers: { host: `${LAN}:${secure.port}`, ...headers } }, (res) => {
            let text = '';
            res.on('data', (d: Buffer) => (text += d.toString()));
            res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
          });
          req.on('error', reject);
          req.end();
        });
      expect((await get('/api/chats')).status).toBe(401);
      const login = await get(/\/login\?key=[0-9a-f]+/.exec(secure.output())![0]);
      expect(login.status).toBe(303);
      expect(String(login.headers['set-cookie'])).toMatch(/; HttpOnly; SameSite=Strict; Max-Age=\d+; Secure$/);
      expect((await get('/api/chats', { cookie: cookieOf(login) })).status).toBe(200);
    } finally {
      await secure.stop();
    }
    expectNoFatal(secure);
  }, 120_000);
});
