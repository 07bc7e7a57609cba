/**
 * The real UI in Debian's Chromium, against the real host, component and mock Claude API:
 * what a person does, and what they must never suffer (lost branches, running scripts).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startMockClaude, type MockClaude } from '../../scripts/mock-claude/server.js';
import { expectNoFatal, ROOT, startHost, tempDir, type RunningHost } from '../helpers/host.js';
import { launch, shot } from '../helpers/browser.js';
import { TEST_API_KEY } from '../helpers/secrets.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';
import { openPalette, REPLY, revealedMessage, sendAndWait, SETTLE } from '../helpers/ui-page.js';

let mock: MockClaude;
let host: RunningHost;
let browser: Browser;
const pages: Page[] = [];

const env = () => ({ ANTHROPIC_API_KEY: TEST_API_KEY, ANTHROPIC_BASE_URL: mock.url });

async function open(width = 1200, options: { url?: string; clock?: boolean } = {}): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 800 } });
  page.setDefaultTimeout(SETTLE.timeout);
  page.on('dialog', (d) => void d.dismiss());
  // The page's own timers (the generation timeout) run on a clock the test can move forward.
  if (options.clock) await page.clock.install();
  await page.addInitScript(() => {
    (window as unknown as { __alerts: number }).__alerts = 0;
    window.alert = () => void ((window as unknown as { __alerts: number }).__alerts += 1);
  });
  await page.goto(options.url ?? host.url);
  await page.locator('.sidebar button.primary').waitFor({ state: 'attached' });
  pages.push(page);
  return page;
}

async function newChat(page: Page): Promise<void> {
  // The page opens the most recent chat first; wait until that has settled, then make a new one.
  await page.waitForFunction(() => document.querySelector('.chat-item.current') || document.querySelector('.empty'));
  const before = await page.locator('.chat-item').count();
  await page.getByRole('button', { name: '+ New chat' }).click();
  await expect.poll(() => page.locator('.chat-item').count(), SETTLE).toBe(before + 1);
  await expect.poll(() => page.locator('.chat-item.current .chat-name').textContent(), SETTLE).toBe('New chat');
  await expect.poll(() => page.locator('.message').count(), SETTLE).toBe(0);
}

/** The app as actor.toml starts it, with changes to its init state (in a copy: the real files stay). */
function appWithInit(changes: Record<string, unknown>): string {
  const dir = tempDir();
  for (const file of ['actor.toml', 'generator.toml']) writeFileSync(join(dir, file), readFileSync(join(ROOT, file)));
  mkdirSync(join(dir, 'assets'));
  const init = JSON.parse(readFileSync(join(ROOT, 'assets/init.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'assets/init.json'), JSON.stringify({ ...init, ...changes }));
  mkdirSync(join(dir, 'dist'));
  for (const component of ['chat.wasm', 'generator.wasm']) symlinkSync(join(ROOT, 'dist', component), join(dir, 'dist', component));
  return join(dir, 'actor.toml');
}

beforeAll(async () => {
  mock = await startMockClaude();
  host = await startHost({ env: env() });
  browser = await launch();
});

afterAll(async () => {
  mock?.release();
  await browser?.close();
  expectNoFatal(host);
  await host?.stop();
  await mock?.close();
});

beforeEach(async () => {
  while (pages.length) await pages.pop()!.close();
});

describe('the chat UI', () => {
  it('creates a chat, sends, and shows the reply as Markdown with highlighted, copyable code', async () => {
    const page = await open();
    await newChat(page);
    await sendAndWait(page, 'Please show me some markdown');
    const reply = page.locator('.message.assistant').last();
    await expect.poll(() => reply.locator('.markdown strong').textContent(), SETTLE).toBe('bold');
    expect(await reply.locator('.code .hljs-keyword').first().textContent()).toBe('const');
    expect(await reply.locator('.copy-code').count()).toBe(1);
    // A task list tells done from to do.
    expect(await reply.getByRole('img', { name: 'done' }).count()).toBe(1);
    expect(await reply.getByRole('img', { name: 'to do' }).count()).toBe(1);
    expect(await reply.locator('li', { hasText: 'shipped' }).textContent()).toContain('☐');
    expect(await reply.locator('.meta').textContent()).toMatch(/in · \d+ out · \$/);
    expect(await page.locator('.totals').textContent()).toMatch(/\$0\.\d+/);
    // The chat took its name from the first message.
    await expect.poll(() => page.locator('.chat-item.current .chat-name').textContent(), SETTLE).toBe('Please show me some markdown');
    await shot(page, 'reply-markdown');
  });

  it('edits a message into a branch, moves between siblings, and finds the same branch after a reload', async () => {
    const page = await open();
    await newChat(page);
    await sendAndWait(page, 'original question');
    const user = page.locator('.message.user').first();
    await user.getByRole('button', { name: 'Edit' }).click();
    const editor = page.locator('.editor textarea');
    await editor.fill('edited question');
    await page.getByRole('button', { name: 'Save and send' }).click();
    await expect.poll(() => page.locator('.message.assistant').last().textContent(), REPLY).toContain('edited question');
    const versions = page.locator('.message.user .siblings').first();
    await expect.poll(() => versions.getAttribute('aria-label'), SETTLE).toBe('Version 2 of 2');
    await versions.getByRole('button', { name: 'Previous version' }).click();
    await expect.poll(() => page.locator('.message.user .user-text').first().textContent(), SETTLE).toBe('original question');
    await expect.poll(() => page.locator('.message.assistant').last().textContent(), REPLY).toContain('original question');
    await shot(page, 'branch-back-to-first');
    await page.reload();
    await expect.poll(() => page.locator('.message.user .user-text').first().textContent(), SETTLE).toBe('original question');
    expect(await page.locator('.message.user .siblings').first().getAttribute('aria-label')).toBe('Version 1 of 2');
    // Keyboard: Alt+→ goes to the other version.
    await page.locator('body').press('Alt+ArrowRight');
    await expect.poll(() => page.locator('.message.user .user-text').first().textContent(), SETTLE).toBe('edited question');
    // Not from inside a text field, where Alt+← moves by a word: the key is left to the text, and a
    // draft being written stays open. (The app's listener runs first; this one sees what it did.)
    await page.evaluate(() => {
      const w = window as unknown as { __altTaken: boolean[] };
      w.__altTaken = [];
      window.addEventListener('keydown', (e) => e.altKey && e.key.startsWith('Arrow') && w.__altTaken.push(e.defaultPrevented));
    });
    await page.locator('.message.user').first().getByRole('button', { name: 'Edit' }).click();
    await editor.fill('a draft being written');
    await editor.press('Alt+ArrowLeft');
    await page.locator('#composer-input').press('Alt+ArrowLeft');
    expect(await page.evaluate(() => (window as unknown as { __altTaken: boolean[] }).__altTaken)).toEqual([false, false]);
    expect(await editor.inputValue()).toBe('a draft being written');
    await editor.press('Escape');
    expect(await page.locator('.message.user .siblings').first().getAttribute('aria-label')).toBe('Version 2 of 2');
    // The branch map shows both branches and jumps to one.
    await page.getByRole('button', { name: 'Branches' }).click();
    const nodes = page.locator('.tree-node');
    await expect.poll(() => nodes.count(), SETTLE).toBe(4);
    await page.locator('.tree-node.user', { hasText: 'original question' }).click();
    await expect.poll(() => page.locator('.message.user .user-text').first().textContent(), SETTLE).toBe('original question');
    await shot(page, 'branch-map');
  });

  it('regenerates a reply into a sibling and forks a chat from a message', async () => {
    const page = await open();
    await newChat(page);
    await sendAndWait(page, 'tell me something');
    await page.locator('.message.assistant').last().getByRole('button', { name: 'Regenerate' }).click();
    await expect.poll(() => page.locator('.message.assistant .siblings').first().getAttribute('aria-label'), REPLY).toBe('Version 2 of 2');
    await page.locator('.message.user').first().getByRole('button', { name: 'Fork' }).click();
    await expect.poll(() => page.locator('.chat-item.current .chat-name').textContent(), SETTLE).toMatch(/\(fork\)$/);
    // The sidebar can show the new chat a moment before its branch arrives.
    await expect.poll(() => page.locator('.message').count(), SETTLE).toBe(1);
  });

  it('renames in place and deletes with confirmation', async () => {
    const page = await open();
    await newChat(page);
    const item = page.locator('.chat-item.current');
    await item.getByRole('button', { name: /^Rename / }).click();
    await page.locator('.chat-item input.rename').fill('Renamed chat');
    await page.keyboard.press('Enter');
    await expect.poll(() => item.locator('.chat-name').textContent(), SETTLE).toBe('Renamed chat');
    await page.locator('.chat-item', { hasText: 'Renamed chat' }).getByRole('button', { name: 'Delete Renamed chat' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.textContent(), SETTLE).toContain('Renamed chat');
    await shot(page, 'delete-confirmation');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => page.locator('.chat-item', { hasText: 'Renamed chat' }).count(), SETTLE).toBe(0);
  });

  it('keeps two tabs on the same chat in sync', async () => {
    const a = await open();
    await newChat(a);
    await sendAndWait(a, 'first from tab A');
    const b = await open();
    await b.locator('.chat-item', { hasText: 'first from tab A' }).locator('.chat-open').click();
    await expect.poll(() => b.locator('.message').count(), SETTLE).toBe(2);
    await sendAndWait(a, 'second from tab A');
    await expect.poll(() => b.locator('.message.user').last().textContent(), REPLY).toContain('second from tab A');
    await expect.poll(() => b.locator('.message.assistant').count(), REPLY).toBe(2);
    await shot(b, 'second-tab-in-sync');
  });

  it('shows an error inline, keeps the message, and Retry gets the reply', async () => {
    const page = await open();
    await newChat(page);
    mock.queueFaults([{ status: 400, message: 'mock says: this request was refused' }]);
    await sendAndWait(page, 'this will fail once');
    const error = page.locator('.message.error');
    await expect.poll(() => error.textContent(), SETTLE).toContain('mock says: this request was refused');
    expect(await page.locator('.message.user .user-text').last().textContent()).toBe('this will fail once');
    await shot(page, 'error-inline');
    await error.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => page.locator('.message.assistant').count(), REPLY).toBe(1);
    expect(await page.locator('.message.assistant').textContent()).toContain('this will fail once');
  });

  it('retries by itself after the wait the API asked for', async () => {
    const page = await open();
    await newChat(page);
    // The countdown shows for about a second: record every text it shows, so a slow poll cannot miss it.
    await page.evaluate(() => {
      const seen: string[] = ((window as unknown as { __retrying: string[] }).__retrying = []);
      new MutationObserver(() => {
        const text = document.querySelector('.retrying')?.textContent;
        if (text && seen.at(-1) !== text) seen.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    mock.queueFaults([{ status: 529, retry_after: 1 }]);
    await page.locator('#composer-input').fill('overloaded at first');
    await page.keyboard.press('Enter');
    // Two generations: the refused one and the retry.
    await expect.poll(() => page.locator('.message.assistant').count(), { timeout: 2 * REPLY.timeout }).toBe(1);
    const shown = await page.evaluate(() => (window as unknown as { __retrying: string[] }).__retrying);
    expect(shown.join(' | ')).toMatch(/Retrying in \d s \(attempt 2 of 3\)/);
    expect(await page.locator('.message.error').count()).toBe(0);
  });

  it('renders hostile content and chat names inert', async () => {
    const page = await open();
    await newChat(page);
    const payloads = [
      '<img src=x onerror="window.__xss=1;alert(1)">',
      '<script>window.__xss=2</script>',
      '[click](javascript:window.__xss=3)',
      '<svg onload="window.__xss=4"></svg>',
      '<a href="javascript:alert(5)">x</a><iframe src="javascript:alert(6)"></iframe>',
    ];
    for (const p of payloads) await sendAndWait(page, p);
    const item = page.locator('.chat-item.current');
    await item.getByRole('button', { name: /^Rename / }).click();
    await page.locator('.chat-item input.rename').fill('<img src=x onerror="window.__xss=7">');
    await page.keyboard.press('Enter');
    // The sidebar shows a name only once the actor has stored it (no optimistic update).
    await expect.poll(() => item.locator('.chat-name').textContent(), SETTLE).toBe('<img src=x onerror="window.__xss=7">');
    await page.reload();
    await page.locator('.message.assistant').nth(payloads.length - 1).waitFor();
    // An onerror handler would have run once its image failed: wait until every image has settled.
    await page.waitForFunction(() => document.readyState === 'complete' && [...document.images].every((i) => i.complete));
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.evaluate(() => (window as unknown as { __alerts: number }).__alerts)).toBe(0);
    expect(await page.locator('.markdown script, .markdown iframe, .markdown [onerror], .markdown [onload]').count()).toBe(0);
    expect(await page.locator('.markdown a[href^="javascript:"]').count()).toBe(0);
    expect(await page.locator('.chat-item.current .chat-name').textContent()).toBe('<img src=x onerror="window.__xss=7">');
    await shot(page, 'xss-inert');
  });

  it('keeps every typed character: Shift+Enter is a new line, a backslash is a backslash, ↑ edits, Esc cancels', async () => {
    const page = await open();
    await newChat(page);
    const box = page.locator('#composer-input');
    await box.click();
    await page.keyboard.type('a\\b');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('second line');
    expect(await box.inputValue()).toBe('a\\b\nsecond line');
    await page.keyboard.press('Enter');
    await page.locator('.message.assistant').first().waitFor(REPLY);
    expect(await page.locator('.message.user .user-text').textContent()).toBe('a\\b\nsecond line');
    await box.click();
    await page.keyboard.press('ArrowUp');
    await page.locator('.editor textarea').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.editor').count(), SETTLE).toBe(0);
    await page.keyboard.press('Control+k');
    // Ctrl+K opens the search palette (issue 18) with its box focused, not a filter in the chat list.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id), SETTLE).toBe('search-input');
  });

  it('announces generating and reply complete politely, and labels every control', async () => {
    const page = await open();
    await newChat(page);
    const live = page.locator('[aria-live="polite"]');
    // Claude holds the request until released: "generating" lasts as long as the test needs.
    await page.locator('#composer-input').fill('[[hold]] slow one');
    await page.keyboard.press('Enter');
    await expect.poll(() => live.textContent(), SETTLE).toBe('Generating a reply');
    expect(await page.locator('.generating').textContent()).toMatch(/Claude is writing… \d+ s/);
    await mock.until(() => mock.inFlight().includes('[[hold]] slow one'), 'the held request');
    expect(mock.release('slow one')).toBe(1);
    await expect.poll(() => live.textContent(), REPLY).toBe('Reply complete');
    const unlabeled = await page.evaluate(() =>
      [...document.querySelectorAll('button, input, select, textarea')].filter((el) => {
        const e = el as HTMLElement;
        const label = e.getAttribute('aria-label') || e.textContent?.trim() || (e.id && document.querySelector(`label[for="${e.id}"]`)) || e.closest('label');
        return !label;
      }).length,
    );
    expect(unlabeled).toBe(0);
  });

  it('finds a word on a branch that is not selected (Ctrl+K) and opens it there', async () => {
    const page = await open();
    await newChat(page);
    await sendAndWait(page, 'tell me about zanzibar spices');
    await page.locator('.message.user').first().getByRole('button', { name: 'Edit' }).click();
    await page.locator('.editor textarea').fill('tell me about iceland instead');
    await page.getByRole('button', { name: 'Save and send' }).click();
    await expect.poll(() => page.locator('.message.assistant').last().textContent(), REPLY).toContain('iceland');
    await openPalette(page);
    await page.keyboard.type('zanzibar');
    // The chat is also found by its name (taken from that first message): the message is the result with a snippet.
    const result = page.locator('.result:has(.result-snippet)').first();
    await expect.poll(() => result.textContent(), SETTLE).toContain('other branch');
    expect(await result.locator('mark').first().textContent()).toMatch(/zanzibar/i);
    await shot(page, 'search-results');
    await result.click();
    await expect.poll(() => page.locator('.message.user .user-text').first().textContent(), SETTLE).toBe('tell me about zanzibar spices');
    expect(await (await revealedMessage(page)).textContent()).toContain('zanzibar');
  });

  it('offers the chat as JSON and Markdown downloads, and imports a file', async () => {
    const page = await open();
    await newChat(page);
    await sendAndWait(page, 'carry this conversation');
    // The exports sit in the header's ⋯ menu (issue 18: the header keeps to one row).
    await page.getByRole('button', { name: 'Chat options' }).click();
    const href = await page.getByRole('link', { name: 'Export JSON' }).getAttribute('href');
    const file = await (await fetch(`${host.url}${href}`)).text();
    expect(JSON.parse(file).format).toBe('theater-chat.chat');
    await page.locator('.sidebar input[type=file]').setInputFiles({ name: 'chat.json', mimeType: 'application/json', buffer: Buffer.from(file) });
    await expect.poll(() => page.locator('.chat-item.current .chat-name').textContent(), SETTLE).toMatch(/\(imported\)$/);
    expect(await page.locator('.message').count()).toBe(2);
  });

  it('fits a 375 px wide phone without sideways scrolling', async () => {
    const page = await open(375);
    await page.getByRole('button', { name: 'Show chats' }).click();
    await newChat(page);
    await sendAndWait(page, 'Please show me some markdown on a phone');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(page, 'phone');
  });
});

describe('reconnection', () => {
  it('reconnects after the server restarts and shows what changed meanwhile', async () => {
    // The page keeps its origin (a port this test holds) while the host behind it stops and starts
    // again on a port of its own: waiting to take the old port back could lose it to anyone.
    const proxy = await startTcpProxy(host.port);
    try {
      const page = await open(1200, { url: proxy.url });
      await newChat(page);
      await sendAndWait(page, 'before the restart');
      const data = host.data;
      proxy.target(undefined);
      await host.stop();
      await expect.poll(() => page.locator('.status').textContent(), SETTLE).toMatch(/Reconnecting/);
      await shot(page, 'reconnecting');
      host = await startHost({ data, env: env() });
      proxy.target(host.port);
      // The page retries with a back-off of up to 8 s.
      await expect.poll(() => page.locator('.status').count(), REPLY).toBe(0);
      await sendAndWait(page, 'after the restart');
      expect(await page.locator('.message.user').count()).toBe(2);
    } finally {
      await proxy.close();
    }
  });
});

describe('the generation timeout', () => {
  it('stops a generation that runs past generation_timeout_ms, says so, keeps the message, and Retry gets the reply', async () => {
    // The page's timer, armed from the welcome's generation_timeout_ms, is the only thing that can
    // end this generation: the actor has no clock and Claude holds the request until released.
    const short = await startHost({ manifest: appWithInit({ generation_timeout_ms: 20_000 }), env: env() });
    try {
      const page = await open(1200, { url: short.url, clock: true });
      await newChat(page);
      mock.queueFaults([{ hold: true }]);
      await page.locator('#composer-input').fill('wait for me');
      await page.keyboard.press('Enter');
      await mock.until(() => mock.inFlight().includes('wait for me'), 'the held request');
      await expect.poll(() => page.locator('.generating').count(), SETTLE).toBe(1);
      expect(await page.locator('.message.error').count()).toBe(0);
      // Twenty seconds pass on the page's clock (as with a laptop lid closed): not the 180 s default.
      await page.clock.fastForward('00:20');
      const error = page.locator('.message.error');
      await expect.poll(async () => (await error.allTextContents()).join(' | '), REPLY).toContain('no reply within 20 s: stopped');
      expect(mock.inFlight()).toContain('wait for me');
      expect(await page.locator('.message.user .user-text').last().textContent()).toBe('wait for me');
      expect(await page.locator('.generating').count()).toBe(0);
      await shot(page, 'generation-timeout');
      expect(mock.release('wait for me')).toBe(1);
      await error.getByRole('button', { name: 'Retry' }).click();
      await expect.poll(() => page.locator('.message.assistant').count(), REPLY).toBe(1);
      expect(await page.locator('.message.assistant').textContent()).toContain('wait for me');
      expectNoFatal(short);
    } finally {
      await short.stop();
    }
  });
});
