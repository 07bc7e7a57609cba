/**
 * Served on 0.0.0.0, as a new user would start it: the browser logs in through the login page and
 * gets the app; a second profile without the key sees only the login page; logging out ends it, and
 * a page whose session ended elsewhere (logout in another tab, a new key) goes to the login page.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { expectNoFatal, ROOT, startHost, tempDir, type RunningHost } from '../helpers/host.js';
import { launch, shot } from '../helpers/browser.js';

/** A loaded machine may take seconds for a page or a socket round trip; the default 1 s poll is too short. */
const WAIT = { timeout: 20_000 };

let host: RunningHost;
let browser: Browser;
let key: string;
let keyFile: string;

beforeAll(async () => {
  const dir = tempDir();
  cpSync(join(ROOT, 'actor.toml'), join(dir, 'actor.toml'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'assets/init.json'), JSON.stringify({ port: 0, generator_manifest: '' }));
  mkdirSync(join(dir, 'dist'));
  cpSync(join(ROOT, 'dist/chat.wasm'), join(dir, 'dist/chat.wasm'));
  host = await startHost({ manifest: join(dir, 'actor.toml'), args: ['--host', '0.0.0.0'], env: { THEATER_CHAT_ACCESS_KEY: '' } });
  keyFile = join(dir, 'assets/access-key.txt');
  key = readFileSync(keyFile, 'utf8').trim();
  browser = await launch();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  if (host) expectNoFatal(host);
});

it('logs in through the login page; another profile without the key sees only the login page; logs out', async () => {
  const owner = await browser.newContext();
  const page = await owner.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(host.url);
  await page.getByLabel('Access key').fill('not-the-key');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect.poll(() => page.getByRole('alert').textContent(), WAIT).toMatch(/not the access key/);
  await page.getByLabel('Access key').fill(key);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${host.url}/`);
  expect(page.url()).not.toContain(key);
  // The chat list answers only after `hello` with the session's token was accepted.
  await page.getByRole('button', { name: '+ New chat' }).click();
  await expect.poll(() => page.locator('.chat-item').count(), WAIT).toBe(1);
  const cookie = (await owner.cookies()).find((c) => c.name === 'theater_chat_session')!;
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  expect(cookie.expires).toBeGreaterThan(Date.now() / 1000);
  await shot(page, 'login-owner');

  const stranger = await browser.newContext();
  const other = await stranger.newPage();
  await other.goto(host.url);
  await expect.poll(() => other.getByLabel('Access key').count(), WAIT).toBe(1);
  expect(await other.locator('.chat-item').count()).toBe(0);
  expect((await other.request.get(`${host.url}/api/chats`)).status()).toBe(401);
  await stranger.close();

  // Logging out lands on the login page; the old cookie opens nothing any more.
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL(`${host.url}/login`);
  await page.reload();
  await expect.poll(() => page.getByLabel('Access key').count(), WAIT).toBe(1);
  expect(await page.locator('.chat-item').count()).toBe(0);
  const refused = await owner.request.get(`${host.url}/api/chats`, { headers: { cookie: `${cookie.name}=${cookie.value}` } });
  expect(refused.status()).toBe(401);
  await owner.close();
}, 120_000);

it('the login URL printed at first start logs a browser in, and the key leaves the address bar', async () => {
  const printed = /log in \(new access key[^)]*\): (\S+)/.exec(host.output())?.[1];
  expect(printed, host.output()).toMatch(/^http:\/\/[^/]+\/login\?key=[0-9a-f]{32}$/);
  const visitor = await browser.newContext();
  const page = await visitor.newPage();
  await page.goto(printed!);
  const origin = new URL(printed!).origin;
  await page.waitForURL(`${origin}/`);
  expect(page.url()).not.toContain(key);
  // The chat list comes over the socket after hello with this session's token: the first test's chat shows.
  await expect.poll(() => page.locator('.chat-item').count(), WAIT).toBeGreaterThan(0);
  await visitor.close();
}, 120_000);

/** Pages past hello: a chat made through the API reaches each of them as an event. */
async function connected(pages: Page[], name: string): Promise<void> {
  const made = await pages[0]!.context().request.post(`${host.url}/api/chats`, { data: { name }, headers: { origin: host.url } });
  expect(made.status()).toBe(201);
  for (const p of pages) await expect.poll(() => p.locator('.chat-item', { hasText: name }).count(), WAIT).toBe(1);
}

/** On the login page by itself, with nothing of the chat page in its URL. */
async function onLoginPage(page: Page): Promise<void> {
  await expect.poll(() => page.url(), WAIT).toBe(`${host.url}/login`);
  await expect.poll(() => page.getByLabel('Access key').count(), WAIT).toBe(1);
}

it('logging out in one tab takes the other open tab to the login page by itself', async () => {
  const owner = await browser.newContext();
  const [one, two] = [await owner.newPage(), await owner.newPage()];
  await one.goto(`${host.url}/login?key=${key}`);
  await two.goto(host.url);
  await connected([one, two], 'seen by both tabs');
  await one.getByRole('button', { name: 'Log out' }).click();
  await onLoginPage(two);
  await owner.close();
}, 120_000);

it('a new access key takes an open page to the login page at its next action; the new key logs in', async () => {
  const owner = await browser.newContext();
  const page = await owner.newPage();
  await page.goto(`${host.url}/login?key=${key}`);
  await connected([page], 'before the new key');
  key = randomBytes(16).toString('hex');
  writeFileSync(keyFile, `${key}\n`, { mode: 0o600 });
  // Its command is refused and the socket closed; reconnecting, the page finds its session gone.
  await page.getByRole('button', { name: '+ New chat' }).click();
  await onLoginPage(page);
  await page.getByLabel('Access key').fill(key);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect.poll(() => page.locator('.chat-item').count(), WAIT).toBeGreaterThan(0);
  await owner.close();
}, 120_000);
