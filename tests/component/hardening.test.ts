/** Fast variants of the hardening drills (`npm run stress` runs the long ones). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startMockClaude, type MockClaude } from '../../scripts/mock-claude/server.js';
import { expectNoFatal, ROOT, startHost, tempDir, type RunningHost } from '../helpers/host.js';
import { TEST_API_KEY } from '../helpers/secrets.js';
import { crashRound, garbageDrill, loadDrill, storeDigest } from '../hardening/drills.js';
import { ChatClient } from '../helpers/chat-client.js';
import type { Frame } from '../scenarios/driver.js';
import { filesUnder } from '../helpers/files.js';

let mock: MockClaude;
beforeAll(async () => {
  mock = await startMockClaude();
});
afterAll(() => mock.close());

const env = () => ({ ANTHROPIC_API_KEY: TEST_API_KEY, ANTHROPIC_BASE_URL: mock.url });
/**
 * These tests start hosts again and again; with the cores busy (a second suite, other work) five
 * crash rounds took over 120 s. The limit only bounds how long a hung test takes to be reported.
 */
const HEAVY = 600_000;


describe('one data folder', () => {
  it('refuses a second host while the first runs, so neither drops what the other acknowledged, and takes a second host once the first has stopped', async () => {
    const first = await startHost({ env: env() });
    const second = startHost({ env: env(), data: first.data });
    await expect(second).rejects.toThrow(/in use by another theater-chat host \(process \d+\)/);
    expect((await fetch(`${first.url}/api/health`)).status).toBe(200);
    await first.stop();
    const third = await startHost({ env: env(), data: first.data });
    expect((await fetch(`${third.url}/api/health`)).status).toBe(200);
    await third.stop();
    expectNoFatal(first);
    expectNoFatal(third);
  }, HEAVY);
});

describe('bad input', () => {
  it('answers 1,000+ malformed requests and frames with errors, never stops, and leaves the store byte-identical', async () => {
    const host = await startHost({ env: env() });
    const c = await ChatClient.open(host.url);
    await c.command({ type: 'create_chat', name: 'keep' });
    await c.command({ type: 'send_message', content: 'keep me' });
    await c.close();
    const before = storeDigest(host.data);
    const result = await garbageDrill(host, 400, 700);
    expect(result.answeredFrames).toBe(700);
    expect(storeDigest(host.data)).toBe(before);
    expect((await fetch(`${host.url}/api/health`)).status).toBe(200);
    expectNoFatal(host);
    await host.stop();
  });

  it('refuses path traversal on asset routes in every encoding', async () => {
    const host = await startHost();
    for (const path of [
      '/assets/../package.json',
      '/assets/..%2f..%2fpackage.json',
      '/assets/%2e%2e/%2e%2e/package.json',
      '/assets/%252e%252e%252fpackage.json',
      '/assets/..%5c..%5cpackage.json',
      '/assets/%c0%ae%c0%ae/package.json',
      '/assets/%00index.html',
      '/assets//etc/passwd',
      '/assets/.jco-cache/meta.json',
    ]) {
      const res = await fetch(`${host.url}${path}`);
      const text = await res.text();
      expect([400, 404], path).toContain(res.status);
      expect(text, path).not.toContain('"name": "theater-chat"');
      expect(text, path).not.toContain('root:');
    }
    await host.stop();
  });
});

describe('crashes', () => {
  it('after SIGKILL mid-write, every acknowledged message is there and every object verifies (5 rounds)', async () => {
    const data = tempDir();
    let acknowledged = 0;
    for (let round = 0; round < 5; round++) {
      const r = await crashRound(data, env());
      acknowledged += r.acknowledged;
      expect(r.problems, `round ${round}`).toEqual([]);
      expect(r.missing, `round ${round}`).toEqual([]);
    }
    expect(acknowledged).toBeGreaterThan(10);
  }, HEAVY);
});

describe('load', () => {
  it('10 clients × 40 mixed commands on shared chats: all answered, nothing lost or doubled, one view, memory logged', async () => {
    const host: RunningHost = await startHost({ env: { ...env(), THEATER_CHAT_MEMORY_LOG: '1' } });
    const r = await loadDrill(host, 10, 40);
    expect(r.commands).toBe(400);
    expect(r.lost).toBe(0);
    expect(r.duplicated).toBe(0);
    expect(r.viewsIdentical).toBe(true);
    // RSS depends on the machine (allocator, other load): npm run stress holds it under 300 MB over
    // 10,000 commands; here only the breakdown the host logs (once a second) is checked.
    await expect
      .poll(() => host.log(), { timeout: 30_000 })
      .toMatch(/memory: rss \d+ MB = main JS heap \d+ \+ worker JS heap \d+ \+ actor linear memory \d+ \+ \d+ code/);
    expectNoFatal(host);
    await host.stop();
  }, HEAVY);
});

describe('instance recycling', () => {
  it('moves the actor to fresh instances between calls without losing a call, a socket or a message', async () => {
    const host = await startHost({ env: { ...env(), THEATER_CHAT_RECYCLE_CALLS: '25' } });
    const r = await loadDrill(host, 4, 40);
    expect(r.commands).toBe(160);
    expect(r.lost).toBe(0);
    expect(r.duplicated).toBe(0);
    expect(r.viewsIdentical).toBe(true);
    expect(host.log()).toMatch(/moved the actor to a fresh component instance \(\d+\)/);
    // An open socket keeps working across a recycle: the same client, after many more calls.
    const c = await ChatClient.open(host.url);
    for (let i = 0; i < 60; i++) expect((await c.command({ type: 'ping' })).type).toBe('pong');
    await c.close();
    expectNoFatal(host);
    await host.stop();
  }, HEAVY);

  it('keeps moving the actor to fresh instances after its transpiled copy is cleaned away', async () => {
    // A copy of the app whose transpile cache no other test shares, removed once the host is up,
    // as a cache pruned by later builds or a temp folder cleaned under a long-running host would be.
    const app = tempDir('theater-chat-app-');
    for (const path of ['actor.toml', 'generator.toml', 'assets/init.json', 'dist/chat.wasm', 'dist/generator.wasm']) {
      mkdirSync(dirname(join(app, path)), { recursive: true });
      copyFileSync(join(ROOT, path), join(app, path));
    }
    const host = await startHost({ manifest: join(app, 'actor.toml'), env: { ...env(), THEATER_CHAT_RECYCLE_CALLS: '10' } });
    rmSync(join(app, 'dist', '.jco-cache'), { recursive: true, force: true });
    const c = await ChatClient.open(host.url);
    const chat = ((await c.command({ type: 'create_chat', name: 'after the cache went' })) as Frame & { chat: { id: string } }).chat;
    for (let i = 0; i < 30; i++) expect((await c.command({ type: 'send_message', chat_id: chat.id, content: `message ${i}` })).type).toBe('message_added');
    expect(((await c.command({ type: 'get_branch', chat_id: chat.id })) as Frame & { messages: unknown[] }).messages).toHaveLength(30);
    await c.close();
    expect(host.log().match(/moved the actor to a fresh component instance/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    expectNoFatal(host);
    await host.stop();
  }, HEAVY);
});

describe('secrets', () => {
  it('never writes the API key into the store', async () => {
    const host = await startHost({ env: env() });
    const c = await ChatClient.open(host.url);
    await c.command({ type: 'create_chat', name: 'secret check' });
    await c.command({ type: 'send_message', content: 'hello' });
    await c.command({ type: 'generate_llm_response' });
    await c.until((f) => f.type === 'generation_finished' || f.type === 'generation_failed');
    await c.close();
    await host.stop();
    const store = join(host.data, 'store');
    const files = filesUnder(store);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(readFileSync(join(store, file), 'utf8'), file).not.toContain(TEST_API_KEY);
    expect(host.log()).not.toContain(TEST_API_KEY);
  });
});
