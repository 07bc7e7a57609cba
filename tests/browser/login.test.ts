/**
 * Served on 0.0.0.0, as a new user would start it: the browser logs in through the login page and
 * gets the app; a second profile without the key sees only the login page; logging out ends it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectNoFatal, ROOT, startHost, tempDir, type RunningHost } from '../helpers/host.js';
import { launch, shot } from '../helpers/browser.js';

let host: RunningHost;
let browser: Browser;
let key: string;

beforeAll(async () => {
  const dir = tempDir();
  cpSync(join(ROOT, 'actor.toml'), join(dir, 'actor.toml'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'assets/init.json'), JSON.stringify({ port: 0, generator_manifest: '' }));
  mkdirSync(join(dir, 'dist'));
  cpSync(join(ROOT, 'dist/chat.wasm'), join(dir, 'dist/chat.wasm'));
  host = await startHost({ manifest: join(dir, 'actor.toml'), args: ['--host', '0.0.0.0'], env: { THEATER_CHAT_ACCESS_KEY: '' } });
  key = readFileSync(join(dir, 'assets/access-key.txt'), 'utf8').trim();
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
  await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/not the access key/);
  await page.getByLabel('Access key').fill(key);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${host.url}/`);
  expect(page.url()).not.toContain(key);
  // The chat list answers only after `hello` with the session's token was accepted.
  await page.getByRole('button', { name: '+ New chat' }).click();
  await expect.poll(() => page.locator('.chat-item').count(), { timeout: 20_000 }).toBe(1);
  const cookie = (await owner.cookies()).find((c) => c.name === 'theater_chat_session')!;
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  expect(cookie.expires).toBeGreaterThan(Date.now() / 1000);
  await shot(page, 'login-owner');

  const stranger = await browser.newContext();
  const other = await stranger.newPage();
  await other.goto(host.url);
  await expect.poll(() => other.getByLabel('Access key').count()).toBe(1);
  expect(await other.locator('.chat-item').count()).toBe(0);
  expect((await other.request.get(`${host.url}/api/chats`)).status()).toBe(401);
  await stranger.close();

  // Logging out lands on the login page; the old cookie opens nothing any more.
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL(`${host.url}/login`);
  await page.reload();
  await expect.poll(() => page.getByLabel('Access key').count()).toBe(1);
  expect(await page.locator('.chat-item').count()).toBe(0);
  const refused = await owner.request.get(`${host.url}/api/chats`, { headers: { cookie: `${cookie.name}=${cookie.value}` } });
  expect(refused.status()).toBe(401);
  await owner.close();
}, 120_000);
