/**
 * Issue 18, what was left: Ctrl+K opens a search palette over the page (the chat list stays as it
 * is), the desktop header on one row, import and connection messages people can read, "(fork)"
 * always shown, one import control, LaTeX rendered under the strict CSP, and every control named
 * with the focus where it should be after each flow of the "Done when".
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startMockClaude, type MockClaude } from '../../scripts/mock-claude/server.js';
import { expectNoFatal, startHost, type RunningHost } from '../helpers/host.js';
import { launch, shot } from '../helpers/browser.js';
import { TEST_API_KEY } from '../helpers/secrets.js';
import { SETTLE, gptConversation, importConversation, openPage, type OpenOptions } from '../helpers/ui-page.js';

let mock: MockClaude;
let host: RunningHost;
let browser: Browser;
const pages: Page[] = [];

async function open(options: OpenOptions & { url?: string } = {}): Promise<Page> {
  const page = await openPage(browser, options.url ?? host.url, options);
  pages.push(page);
  return page;
}

beforeAll(async () => {
  mock = await startMockClaude();
  host = await startHost({ env: { ANTHROPIC_API_KEY: TEST_API_KEY, ANTHROPIC_BASE_URL: mock.url } });
  browser = await launch();
});

afterAll(async () => {
  mock?.release();
  await browser?.close();
  await host?.stop();
  if (host) expectNoFatal(host);
  await mock?.close();
});

beforeEach(async () => {
  mock.release();
  while (pages.length) await pages.pop()!.close();
});

describe('LaTeX', () => {
  it('renders $…$ and $$…$$ as math under the strict CSP, leaves prices and hostile input inert', async () => {
    for (const dark of [false, true]) {
      const page = await open({ dark });
      const violations: string[] = [];
      page.on('console', (m) => /Content Security Policy|Refused to/.test(m.text()) && violations.push(m.text()));
      const reply = [
        'Euler: $e^{i\\pi} + 1 = 0$, and the sum is',
        '',
        '$$\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}$$',
        '',
        'Also \\(a^2 + b^2 = c^2\\) and',
        '\\[\\int_0^1 x\\,dx = \\tfrac12\\]',
        'This costs $5 and that costs $10 today.',
        'Hostile: $\\href{javascript:window.__xss=1}{click}$ and $x<img src=x onerror="window.__xss=2">$ and $\\htmlStyle{color:red}{y}$.',
        '',
        '`$not math$` in code.',
      ].join('\n');
      const name = `Math chat${dark ? ' dark' : ''}`;
      await importConversation(page, gptConversation(name, ['show me some maths', reply]), name);
      const md = page.locator('.message.assistant .markdown');
      await expect.poll(() => md.locator('math').count(), SETTLE).toBeGreaterThanOrEqual(5);
      expect(await md.locator('math[display="block"]').count()).toBe(2);
      expect(await md.locator('mfrac').count()).toBeGreaterThanOrEqual(1);
      expect(await md.locator('msup').count()).toBeGreaterThanOrEqual(2);
      const text = await md.innerText();
      expect(text, 'no raw TeX on screen').not.toMatch(/\\frac|\\sum|\\pi|\\int|\$\$|\\\(|\\\[/);
      expect(text).toContain('This costs $5 and that costs $10 today.');
      expect(await md.locator('code').filter({ hasText: '$not math$' }).count()).toBe(1);
      // Drawn, with a size: not an empty element the browser cannot lay out.
      const box = await md.locator('math[display="block"]').first().boundingBox();
      expect(box!.height).toBeGreaterThan(20);
      expect(box!.width).toBeGreaterThan(60);
      // Nothing active got through.
      expect(await md.locator('img, a[href^="javascript"], [style], [onerror]').count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
      expect(violations).toEqual([]);
      await shot(page, `latex${dark ? '-dark' : ''}`);
    }
  });
});
