/** Driving the real UI in Chromium: open a page, make chats, send, import, and wait for the view to settle. */
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import type { MockClaude } from '../../scripts/mock-claude/server.js';
import type { RunningHost } from './host.js';
import { claudeHost } from './claude-host.js';
import { launch } from './browser.js';
import type { Browser, Locator, Page } from 'playwright-core';

// Two cores shared with other work: bounds only decide how long a failing test takes to say so.
export const REPLY = { timeout: 60_000 };
export const SETTLE = { timeout: 20_000 };

export interface OpenOptions {
  width?: number;
  height?: number;
  dark?: boolean;
}

export async function openPage(browser: Browser, url: string, options: OpenOptions = {}): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: options.width ?? 1280, height: options.height ?? 800 }, colorScheme: options.dark ? 'dark' : 'light' });
  page.setDefaultTimeout(SETTLE.timeout);
  page.on('dialog', (d) => void d.dismiss());
  await page.goto(url);
  await page.locator('.sidebar button.primary').waitFor({ state: 'attached' });
  // The page opens the most recent chat first: let that settle before the test acts.
  await page.waitForFunction(() => document.querySelector('.chat-item.current') || document.querySelector('.empty'));
  return page;
}

export async function newChat(page: Page): Promise<void> {
  // On a phone the button is in the drawer.
  if (!(await page.getByRole('button', { name: '+ New chat' }).isVisible())) await page.getByRole('button', { name: 'Show chats' }).click();
  await page.getByRole('button', { name: '+ New chat' }).click();
  // "+ New chat" opens the empty chat already there, if there is one, or makes one.
  await expect.poll(() => page.locator('.chat-item.current .chat-name').textContent(), SETTLE).toBe('New chat');
  await expect.poll(() => page.locator('.message').count(), SETTLE).toBe(0);
}

/**
 * Sends a message as a person does and waits until its reply is complete: the reply is shown and
 * Stop has turned back into Send. A reply that is shown while its generation is still settling
 * would make the next send a refused "Claude is still writing".
 */
export async function sendAndWait(page: Page, text: string): Promise<void> {
  const replies = await page.locator('.message.assistant, .message.error').count();
  await page.locator('#composer-input').fill(text);
  await page.locator('#composer-input').press('Enter');
  try {
    await page.locator('.message.assistant, .message.error').nth(replies).waitFor(REPLY);
    await page.locator('.composer .stop').waitFor({ state: 'detached', ...REPLY });
  } catch (e) {
    throw new Error(`no complete reply to “${text}”: the page shows ${await pageState(page)}`, { cause: e });
  }
}

/** What a person would see of the app's state, for a failure message. */
export function pageState(page: Page): Promise<string> {
  return page
    .evaluate(() => {
      const text = (sel: string) => [...document.querySelectorAll(sel)].map((el) => el.textContent?.trim()).filter(Boolean).join(' | ');
      return JSON.stringify({
        messages: [...document.querySelectorAll('.message')].map((el) => el.className.replace('message ', '')),
        composer: (document.querySelector('#composer-input') as HTMLTextAreaElement | null)?.value,
        stop: Boolean(document.querySelector('.composer .stop')),
        hint: text('.composer-hint'),
        status: text('.status, .notice, [aria-live]'),
      });
    })
    .catch((e: unknown) => `nothing (${String(e)})`);
}

/** A ChatGPT export of one linear conversation (the import path makes a long chat in one command). */
export function gptConversation(title: string, contents: string[]): object {
  const mapping: Record<string, object> = {};
  contents.forEach((text, i) => {
    mapping[`n${i}`] = {
      id: `n${i}`,
      parent: i === 0 ? null : `n${i - 1}`,
      children: i + 1 < contents.length ? [`n${i + 1}`] : [],
      message: { author: { role: i % 2 === 0 ? 'user' : 'assistant' }, content: { parts: [text] }, create_time: 1_760_000_000 + i },
    };
  });
  return { title, create_time: 1_760_000_000, update_time: 1_760_000_000 + contents.length, mapping, current_node: `n${contents.length - 1}` };
}

export async function importConversation(page: Page, conversation: object, title: string): Promise<void> {
  await page.locator('.sidebar input[type=file]').setInputFiles({ name: 'conversations.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify([conversation])) });
  await expect.poll(() => page.locator('.chat-item.current .chat-name').textContent(), SETTLE).toContain(title);
}

/**
 * Waits until the message list has stopped moving (its scroll position and size unchanged for 10
 * frames in a row: counted in frames, not milliseconds) and says where it stands.
 */
export function settledScroll(page: Page): Promise<{ gap: number; scrollTop: number }> {
  return page.evaluate(
    () =>
      new Promise<{ gap: number; scrollTop: number }>((resolve) => {
        const el = document.querySelector<HTMLElement>('.messages')!;
        let last = '';
        let stable = 0;
        const tick = () => {
          const now = `${el.scrollTop}/${el.scrollHeight}/${el.clientHeight}`;
          stable = now === last ? stable + 1 : 0;
          last = now;
          if (stable >= 10) resolve({ gap: el.scrollHeight - el.scrollTop - el.clientHeight, scrollTop: el.scrollTop });
          else requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
  );
}

/** Whether the element is inside the scrolling message list's visible part. */
export function inView(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    const box = document.querySelector('.messages')?.getBoundingClientRect();
    if (!el || !box) return false;
    const r = el.getBoundingClientRect();
    return r.bottom > box.top + 4 && r.top < box.bottom - 4;
  }, selector);
}

/** What has the focus, as a person would describe it: its role-ish tag and its name. */
export function focused(page: Page): Promise<{ tag: string; name: string; inside: string | null }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const name = el?.getAttribute('aria-label') || el?.textContent?.trim() || '';
    const region = el?.closest('[data-id], .sidebar, .tree, .chat-header, .composer, dialog');
    return { tag: el?.tagName.toLowerCase() ?? 'none', name, inside: region ? region.className || region.tagName.toLowerCase() : null };
  });
}

/**
 * Whether the focused element's focus ring (outline plus offset) is cut by an ancestor that clips
 * what overflows it (overflow other than visible, or paint containment).
 */
export function focusRingClipped(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return 'nothing focused';
    const style = getComputedStyle(el);
    const ring = (parseFloat(style.outlineWidth) || 0) + Math.max(0, parseFloat(style.outlineOffset) || 0);
    if (style.outlineStyle === 'none' || ring === 0) return 'no focus ring';
    const r = el.getBoundingClientRect();
    const outer = { left: r.left - ring, top: r.top - ring, right: r.right + ring, bottom: r.bottom + ring };
    for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
      const s = getComputedStyle(a);
      const clips = s.overflowX !== 'visible' || s.overflowY !== 'visible' || /paint|strict|content/.test(s.contain) || s.contentVisibility === 'auto';
      if (!clips) continue;
      const b = a.getBoundingClientRect();
      // Clipping is at the padding box; a scroller clips only across the axis it cannot scroll along here.
      const left = b.left + a.clientLeft;
      const top = b.top + a.clientTop;
      const right = left + a.clientWidth;
      const bottom = top + a.clientHeight;
      if (outer.left < left - 0.5 || outer.right > right + 0.5 || outer.top < top - 0.5 || outer.bottom > bottom + 0.5) {
        // A ring cut only because the element is scrolled partly out of view is not the defect.
        if (r.top < top || r.bottom > bottom) continue;
        return `${a.className || a.tagName} cuts the ring of ${el.getAttribute('aria-label') || el.textContent}`;
      }
    }
    return null;
  });
}

/** Roles a person operates: each must have a name a screen reader can say. */
const CONTROL_ROLES = 'button|link|textbox|searchbox|combobox|listbox|option|checkbox|radio|switch|slider|spinbutton|tab|menuitem';

/**
 * Controls with no accessible name, read from the page's accessibility tree (Playwright's aria
 * snapshot: `- button "Send"` has a name, `- button` has none). What is hidden from assistive
 * technology (aria-hidden, inert under a modal, display:none) is not in the snapshot.
 */
export async function unnamedControls(page: Page): Promise<string[]> {
  const snapshot = await page.locator('body').ariaSnapshot();
  const unnamed = new RegExp(`^\\s*- (${CONTROL_ROLES})(?=$|[\\s:\\[])(?!\\s+")`);
  return snapshot.split('\n').filter((line) => unnamed.test(line));
}

/**
 * Whether `text` inside the element is actually on screen: not cut off by an ellipsis or by an
 * ancestor that clips (the glyphs of truncated text are laid out past the clipping edge).
 */
export function textShown(page: Page, selector: string, text: string): Promise<boolean> {
  return page.evaluate(
    ({ selector, text }) => {
      const root = document.querySelector(selector);
      if (!root) return false;
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent!.indexOf(text);
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + text.length);
        const r = range.getBoundingClientRect();
        if (r.width === 0) return false;
        for (let a = node.parentElement; a && a !== document.documentElement; a = a.parentElement) {
          const s = getComputedStyle(a);
          if (s.overflowX === 'visible' && s.textOverflow !== 'ellipsis') continue;
          const b = a.getBoundingClientRect();
          if (r.left < b.left - 0.5 || r.right > b.right + 0.5) return false;
        }
        return true;
      }
      return false;
    },
    { selector, text },
  );
}

/**
 * Holds back the server's frames that `hold` picks (checked on each frame's JSON text) until the
 * test lets them go, in the order they came; the others pass. The page reloads, so that its socket
 * goes through the route.
 */
export async function holdServerFrames(page: Page, hold: (text: string) => boolean): Promise<{ count(): number; release(): void }> {
  const held: (() => void)[] = [];
  await page.routeWebSocket(/\/ws$/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((m) => server.send(m));
    server.onMessage((m) => {
      if (hold(typeof m === 'string' ? m : m.toString('utf8'))) held.push(() => ws.send(m));
      else ws.send(m);
    });
  });
  await page.reload();
  return { count: () => held.length, release: () => held.splice(0).forEach((send) => send()) };
}

/** Opens the search palette, types `words`, and waits for message hits: the hits. */
export async function searchHits(page: Page, words: string): Promise<Locator> {
  await openPalette(page);
  const hits = page.locator('.palette [role="option"]:has(.result-snippet)');
  await page.keyboard.type(words);
  await expect.poll(() => hits.count(), SETTLE).toBeGreaterThan(0);
  return hits;
}

/**
 * The message a search hit or a jump revealed. Its highlight lasts 2 s, which a loaded machine can
 * spend before the next check: the message is named by its id from the moment it is seen.
 */
export async function revealedMessage(page: Page): Promise<Locator> {
  let id: string | null = null;
  await expect.poll(async () => (id = await page.evaluate(() => document.querySelector('.message.revealed')?.getAttribute('data-id') ?? null)), SETTLE).not.toBeNull();
  return page.locator(`.message[data-id="${id}"]`);
}

/**
 * Ctrl+K, then wait until the palette's box has the focus: keys typed before that go to whatever
 * had it (a loaded machine showed it, the box got the last letters only).
 */
export async function openPalette(page: Page): Promise<void> {
  await page.keyboard.press('Control+k');
  await expect.poll(() => page.evaluate(() => document.activeElement?.id), SETTLE).toBe('search-input');
}

/** Waits until mock Claude has a request, not yet answered, whose last user message contains `words`. */
export function atClaude(mock: MockClaude, words: string, wait = SETTLE): Promise<void> {
  return mock.until(() => mock.inFlight().some((t) => t.includes(words)), `request about "${words}"`, wait.timeout);
}

export interface BrowserSuite {
  mock: MockClaude;
  host: RunningHost;
  browser: Browser;
  /** A page of the app (or of `url`), closed before the next test. */
  open(options?: OpenOptions & { url?: string }): Promise<Page>;
}

/**
 * The setup every UI test file shares: one mock Claude, one host talking to it, one Chromium; the
 * mock's held requests let go and the pages closed between tests; the host checked for fatal errors.
 */
export function browserSuite(): BrowserSuite {
  const claude = claudeHost();
  const pages: Page[] = [];
  const suite = {
    get mock() {
      return claude.mock;
    },
    get host() {
      return claude.host;
    },
    async open(options: OpenOptions & { url?: string } = {}) {
      const page = await openPage(suite.browser, options.url ?? suite.host.url, options);
      pages.push(page);
      return page;
    },
  } as BrowserSuite;
  beforeAll(async () => {
    suite.browser = await launch();
  });
  // Registered after claudeHost's, so it runs before the host stops.
  afterAll(async () => {
    await suite.browser?.close();
  });
  beforeEach(async () => {
    suite.mock.release();
    while (pages.length) await pages.pop()!.close();
  });
  return suite;
}

/** Renames the chat the page shows through the REST API (as another client would), then waits until the page shows the news. */
export async function renameOpenChat(page: Page, hostUrl: string, name: string): Promise<void> {
  const id = await page.evaluate(() => /#chat=(.+)$/.exec(location.hash)![1]!);
  const renamed = await fetch(`${hostUrl}/api/chats/${id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
  expect(renamed.status).toBe(200);
  await expect.poll(() => page.locator('.chat-item.current .chat-name').textContent(), SETTLE).toBe(name);
}
