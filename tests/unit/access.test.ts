import { describe, expect, it } from 'vitest';
import { NativeApp } from '../helpers/native-app.js';
import { memoryPorts } from '../helpers/memory-ports.js';
import { packState } from '../../src/core/state.js';

const KEY = '0123456789abcdef0123456789abcdef';
const NEW_KEY = 'fedcba9876543210fedcba9876543210';
const LAN = { host: '192.168.1.20:8084' };

function served(config: Record<string, unknown> = {}): NativeApp {
  const app = new NativeApp(memoryPorts(), { host: '0.0.0.0', ...config });
  app.accessKey = KEY;
  return app;
}

const cookieOf = (res: { headers: Map<string, string> }) => res.headers.get('set-cookie')?.split(';')[0] ?? '';
const pageToken = (html: string) => /content="([^"]*)"/.exec(html)?.[1];

async function logIn(app: NativeApp, via = LAN): Promise<string> {
  const res = await app.http('GET', `/login?key=${KEY}`, undefined, via);
  expect(res.status).toBe(303);
  return cookieOf(res);
}

describe('served beyond loopback', () => {
  it('without a session refuses the page, the API, assets and the WebSocket, and creates nothing', async () => {
    const app = served();
    const page = await app.http('GET', '/', undefined, LAN);
    expect(page.status).toBe(401);
    expect(page.text).toContain('action="/login"');
    expect(page.text).not.toContain(app.settings.session_token);
    expect((await app.http('GET', '/api/chats', undefined, LAN)).status).toBe(401);
    expect((await app.http('GET', '/assets/app.js', undefined, LAN)).status).toBe(401);
    expect((await app.http('POST', '/api/chats', { name: 'intruder' }, LAN)).status).toBe(401);
    const cookie = await logIn(app);
    const chat = (await app.http('POST', '/api/chats', { name: 'owner' }, { ...LAN, cookie })).json as { chat: { id: string } };
    const sent = (await app.http('POST', `/api/chats/${chat.chat.id}/messages`, { content: 'hi' }, { ...LAN, cookie })).json as { message: { id: string } };
    await app.connect('ws', false);
    expect(await app.command('ws', { type: 'hello', token: app.settings.session_token })).toMatchObject({ code: 'unauthorized' });
    expect(await app.command('ws', { type: 'create_chat', name: 'intruder' })).toMatchObject({ code: 'unauthorized' });
    expect(await app.command('ws', { type: 'generate_llm_response', chat_id: chat.chat.id, parent_id: sent.message.id })).toMatchObject({ code: 'unauthorized' });
    expect(app.state.generations).toEqual({});
    expect((await app.http('GET', '/api/chats', undefined, { ...LAN, cookie })).json).toMatchObject({ chats: [{ name: 'owner' }] });
  });

  it('a wrong key is refused the same way and sets no cookie', async () => {
    const app = served();
    for (const res of [
      await app.http('GET', '/login?key=0123456789abcdef0123456789abcdee', undefined, LAN),
      await app.http('POST', '/login', 'key=guess', LAN),
    ]) {
      expect(res.status).toBe(401);
      expect(res.headers.has('set-cookie')).toBe(false);
      expect(res.text).toContain('not the access key');
    }
    expect((await app.http('GET', '/api/chats', undefined, { ...LAN, cookie: 'theater_chat_session=guess' })).status).toBe(401);
  });

  it('the right key gives a strict HttpOnly cookie and a redirect without the key; then everything works', async () => {
    const app = served();
    const res = await app.http('GET', `/login?key=${KEY}`, undefined, LAN);
    expect(res.headers.get('location')).toBe('/');
    const flags = res.headers.get('set-cookie')!.split(';').map((f) => f.trim());
    expect(flags).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/']));
    expect(flags.find((f) => f.startsWith('Max-Age='))).toMatch(/^Max-Age=[1-9]\d+$/);
    const cookie = cookieOf(res);
    expect((await app.http('POST', '/api/chats', { name: 'mine' }, { ...LAN, cookie })).status).toBe(201);
    const page = await app.http('GET', '/', undefined, { ...LAN, cookie });
    expect(page.status).toBe(200);
    const token = pageToken(page.text)!;
    expect(token).not.toBe(app.settings.session_token);
    expect(page.text).not.toContain(cookie.split('=')[1]);
    // Served behind the login, the page offers to log out.
    expect(page.text).toContain(' data-login>');
    await app.connect('ws', false);
    expect(await app.command('ws', { type: 'hello', token })).toMatchObject({ type: 'welcome', chats: [{ name: 'mine' }] });
    // The form logs in too.
    expect((await app.http('POST', '/login', `key=${KEY}`, { ...LAN, 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(303);
  });

  it('rotating the key ends every session, cookie and hello token alike', async () => {
    const app = served();
    const cookie = await logIn(app);
    const token = pageToken((await app.http('GET', '/', undefined, { ...LAN, cookie })).text)!;
    app.accessKey = NEW_KEY;
    expect((await app.http('GET', '/api/chats', undefined, { ...LAN, cookie })).status).toBe(401);
    expect((await app.http('GET', '/', undefined, { ...LAN, cookie })).status).toBe(401);
    await app.connect('ws', false);
    expect(await app.command('ws', { type: 'hello', token })).toMatchObject({ code: 'unauthorized' });
  });

  it('after a rotation a WebSocket past hello is refused at its next frame and closed, with every other one', async () => {
    const app = served();
    const token = pageToken((await app.http('GET', '/', undefined, { ...LAN, cookie: await logIn(app) })).text)!;
    for (const ws of ['old', 'other']) {
      await app.connect(ws, false);
      expect(await app.command(ws, { type: 'hello', token })).toMatchObject({ type: 'welcome' });
    }
    app.accessKey = NEW_KEY;
    const refused = await app.command('old', { type: 'create_chat', name: 'after rotation', request_id: 'r1' });
    expect(refused).toMatchObject({ type: 'error', code: 'unauthorized', request_id: 'r1', message: expect.stringMatching(/access key changed/) });
    expect([...app.closed].sort()).toEqual(['old', 'other']);
    expect(app.take('other')).toEqual([expect.objectContaining({ code: 'unauthorized' })]);
    // The command did not run; a fresh login under the new key works, and the state holds neither key.
    const cookie = cookieOf(await app.http('GET', `/login?key=${NEW_KEY}`, undefined, LAN));
    expect((await app.http('GET', '/api/chats', undefined, { ...LAN, cookie })).json).toMatchObject({ chats: [] });
    await app.connect('new', false);
    const fresh = pageToken((await app.http('GET', '/', undefined, { ...LAN, cookie })).text)!;
    expect(await app.command('new', { type: 'hello', token: fresh })).toMatchObject({ type: 'welcome' });
    expect(JSON.stringify(packState(app.state))).not.toMatch(new RegExp(`${KEY}|${NEW_KEY}`));
  });

  it('after a rotation no event reaches a WebSocket past hello: the first call closes it', async () => {
    const app = served();
    const token = pageToken((await app.http('GET', '/', undefined, { ...LAN, cookie: await logIn(app) })).text)!;
    await app.connect('old', false);
    expect(await app.command('old', { type: 'hello', token })).toMatchObject({ type: 'welcome' });
    app.accessKey = NEW_KEY;
    const cookie = cookieOf(await app.http('GET', `/login?key=${NEW_KEY}`, undefined, LAN));
    expect((await app.http('POST', '/api/chats', { name: 'secret plans' }, { ...LAN, cookie })).status).toBe(201);
    expect(app.closed.has('old')).toBe(true);
    expect(JSON.stringify(app.take('old'))).not.toContain('secret plans');
  });

  it('logging out ends every session and tells every WebSocket past hello, then closes it', async () => {
    const app = served();
    const first = await logIn(app);
    const second = await logIn(app);
    const token = pageToken((await app.http('GET', '/', undefined, { ...LAN, cookie: first })).text)!;
    await app.connect('ws', false);
    expect(await app.command('ws', { type: 'hello', token })).toMatchObject({ type: 'welcome' });
    await app.connect('not-yet', false);
    const out = await app.http('POST', '/logout', undefined, { ...LAN, cookie: second });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    for (const cookie of [first, second]) expect((await app.http('GET', '/api/chats', undefined, { ...LAN, cookie })).status).toBe(401);
    // The page behind that socket learns at once that its session is gone (it then shows the login page).
    expect(app.take('ws')).toEqual([expect.objectContaining({ type: 'error', code: 'unauthorized', message: expect.stringMatching(/logged out/) })]);
    expect([...app.closed]).toEqual(['ws']);
    await app.connect('again', false);
    expect(await app.command('again', { type: 'hello', token })).toMatchObject({ code: 'unauthorized' });
    expect(await app.command('not-yet', { type: 'list_chats' })).toMatchObject({ code: 'unauthorized' });
  });

  it('a damaged session list ends every session with a plain 401 and a warning, and the next login works', async () => {
    const ports = memoryPorts();
    const app = new NativeApp(ports, { host: '0.0.0.0' });
    app.accessKey = KEY;
    const cookie = await logIn(app);
    ports.labels.set('auth/sessions', ports.content.put(new TextEncoder().encode('{"logins": 3, "sess')));
    const refused = await app.http('GET', '/api/chats', undefined, { ...LAN, cookie });
    expect(refused.status).toBe(401);
    expect(ports.lines.some((l) => /sessions .*damaged/.test(l))).toBe(true);
    const again = await logIn(app);
    expect((await app.http('GET', '/api/chats', undefined, { ...LAN, cookie: again })).status).toBe(200);
  });

  it('without a configured key nobody gets in', async () => {
    const app = served();
    app.accessKey = undefined;
    expect((await app.http('GET', '/login?key=anything', undefined, LAN)).status).toBe(401);
    expect((await app.http('GET', '/api/chats', undefined, LAN)).status).toBe(401);
  });
});

describe('Host names (DNS rebinding) on every bind address', () => {
  it('refuses an unknown name whether bound to loopback or not, and answers allowed_hosts', async () => {
    for (const host of ['127.0.0.1', '0.0.0.0']) {
      const app = served({ host, allowed_hosts: ['Chat.Example.org'] });
      const cookie = await logIn(app, { host: '127.0.0.1:8084' });
      expect((await app.http('GET', '/api/chats', undefined, { host: 'rebound.evil.example:8084', cookie })).status, host).toBe(403);
      expect((await app.http('GET', '/login', undefined, { host: 'rebound.evil.example' })).status, host).toBe(403);
      expect((await app.http('GET', '/api/chats', undefined, { host: 'chat.example.org', cookie })).status, host).toBe(200);
    }
  });

  it('loopback stays as today: no login', async () => {
    const app = new NativeApp();
    expect((await app.http('GET', '/api/chats')).status).toBe(200);
    const page = await app.http('GET', '/');
    expect(pageToken(page.text)).toBe(app.settings.session_token);
    expect(page.text).not.toContain('data-login');
    expect((await app.http('GET', '/login')).headers.get('location')).toBe('/');
  });
});
