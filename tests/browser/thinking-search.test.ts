/**
 * Issue 15, replies that are more than text: thinking folded under the reply, "Searched the web"
 * steps in order, citation marks that lead to numbered sources, hostile titles and URLs kept inert,
 * the chat's settings in its ⋯ menu; named controls and tap sizes on a phone in dark mode.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { shot } from '../helpers/browser.js';
import { browserSuite, REPLY, SETTLE, focused, inView, newChat, sendAndWait, unnamedControls } from '../helpers/ui-page.js';

const suite = browserSuite();

const optionsButton = (page: Page) => page.getByRole('button', { name: 'Chat options' });

async function withOptions(page: Page, act: () => Promise<void>): Promise<void> {
  if ((await optionsButton(page).getAttribute('aria-expanded')) !== 'true') await optionsButton(page).click();
  await act();
  await optionsButton(page).click();
}

async function thinkingOn(page: Page, effort: 'low' | 'medium' | 'high'): Promise<void> {
  await withOptions(page, () => page.getByRole('combobox', { name: 'Thinking' }).selectOption(effort).then(() => undefined));
}

async function searchOn(page: Page, max: number): Promise<void> {
  await withOptions(page, async () => {
    await page.getByRole('checkbox', { name: 'Web search' }).check();
    const box = page.getByRole('spinbutton', { name: 'Searches per reply, at most' });
    await box.fill(String(max));
    await box.press('Tab');
    await expect.poll(() => box.inputValue(), SETTLE).toBe(String(max));
  });
}

/** The last request the mock answered, as the app sent it. */
const lastRequest = () => suite.mock.requests.filter((r) => r.path === '/v1/messages').at(-1)?.body as { tools?: { name: string; max_uses?: number }[]; thinking?: { type: string } };

/** Dialogs opened by anything on the page (a script that ran would open one). */
function dialogs(page: Page): string[] {
  const seen: string[] = [];
  page.on('dialog', (d) => seen.push(d.message()));
  return seen;
}

describe('thinking', () => {
  it('folds the thinking under the reply, opens it from the keyboard, copies it, and keeps it after a reload', async () => {
    const page = await suite.open();
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: suite.host.url });
    await newChat(page);
    await thinkingOn(page, 'medium');
    await sendAndWait(page, 'think about seven, with a redacted part');
    expect(lastRequest().thinking?.type, 'the chat asked for thinking').toBeDefined();
    const reply = page.locator('.message.assistant').last();
    const summary = reply.locator('.thinking summary');
    expect(await summary.textContent()).toMatch(/^Thought for [\d.]+k? tokens$/);
    expect(await reply.locator('.thinking-text').isVisible(), 'folded at first').toBe(false);
    expect(await reply.locator('.redacted').textContent()).toBe('Some of the thinking is hidden (redacted by safety systems).');
    // The thinking comes before the answer, as it came.
    const before = await reply.evaluate((el) => {
      const thinking = el.querySelector('.thinking')!;
      const answer = el.querySelector('.markdown, .plain')!;
      return Boolean(thinking.compareDocumentPosition(answer) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    expect(before).toBe(true);

    await summary.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => reply.locator('.thinking-text').isVisible(), SETTLE).toBe(true);
    const thought = (await reply.locator('.thinking-text').textContent())!;
    expect(thought).toContain('Mock thinking about');
    await reply.getByRole('button', { name: 'Copy thinking' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText()), SETTLE).toBe(thought);
    await shot(page, 'reply-thinking-open');

    await optionsButton(page).click();
    expect(await page.locator('.totals').textContent()).toMatch(/\(\d[\d.]*k? thinking\)/);
    await page.reload();
    await page.locator('.message.assistant .thinking summary').waitFor(SETTLE);
    expect(await page.locator('.message.assistant .thinking details').getAttribute('open')).toBeNull();
  });

  it('offers thinking only where the model has it, and says why not', async () => {
    const page = await suite.open();
    await newChat(page);
    await optionsButton(page).click();
    const thinking = page.getByRole('combobox', { name: 'Thinking' });
    expect(await thinking.isDisabled()).toBe(false);
    await page.getByRole('combobox', { name: 'Model' }).selectOption('claude-mock-unpriced');
    await expect.poll(() => thinking.isDisabled(), SETTLE).toBe(true);
    const why = await thinking.evaluate((el) => document.getElementById(el.getAttribute('aria-describedby') ?? '')?.textContent);
    expect(why).toBe('Mock model without a price does not offer extended thinking: choose another model to use it.');
    await page.getByRole('combobox', { name: 'Model' }).selectOption('claude-opus-5');
    await expect.poll(() => thinking.isDisabled(), SETTLE).toBe(false);
  });
});

describe('web search', () => {
  it('shows the search steps in order, and a citation mark leads to its numbered source', async () => {
    const page = await suite.open({ dark: true });
    await newChat(page);
    await searchOn(page, 3);
    await sendAndWait(page, 'search for a quiet theater');
    expect(lastRequest().tools?.find((t) => t.name === 'web_search')?.max_uses, 'the chat’s cap went with the request').toBe(3);
    const reply = page.locator('.message.assistant').last();
    const step = reply.locator('.search-step');
    expect(await step.locator('summary').textContent()).toMatch(/^Searched the web: .+ · 3 results$/);
    // The step comes before the text that cites it.
    expect(await reply.evaluate((el) => Boolean(el.querySelector('.search-step')!.compareDocumentPosition(el.querySelector('.cite')!) & Node.DOCUMENT_POSITION_FOLLOWING))).toBe(true);
    await step.locator('summary').click();
    const results = step.locator('.search-results a');
    expect(await results.count()).toBe(3);
    for (const link of await results.all()) {
      expect(await link.getAttribute('rel')).toBe('noopener noreferrer nofollow');
      expect(await link.getAttribute('target')).toBe('_blank');
      expect(await link.getAttribute('href')).toMatch(/^https:\/\/example\.com\//);
    }
    expect(await reply.locator('.sources li').allTextContents()).toEqual([
      expect.stringMatching(/^Mock result 1 for .* — example\.com$/),
      expect.stringMatching(/^Mock result 2 for .* — example\.com$/),
      expect.stringMatching(/^Mock result 3 for .* — example\.com$/),
    ]);
    expect(await reply.locator('.cite a').allTextContents()).toEqual(['[1]', '[2]', '[3]']);

    // Scrolled away, then the mark from the keyboard: the source it names is in view and has the focus.
    const hash = await page.evaluate(() => location.hash);
    await page.locator('.messages').evaluate((el) => (el.scrollTop = 0));
    await reply.getByRole('link', { name: 'Source 2' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(page)).name, SETTLE).toMatch(/^Mock result 2 for/);
    const id = await page.evaluate(() => document.activeElement!.id);
    expect(await inView(page, `#${id}`)).toBe(true);
    expect(await page.evaluate(() => location.hash), 'the address still names the chat').toBe(hash);
    await shot(page, 'reply-search-citations-dark');

    await optionsButton(page).click();
    expect(await page.locator('.totals').textContent()).toContain('1 search');
  });

  it('keeps hostile titles, URLs and cited passages inert: no unsafe link, no element made from them, no script run', async () => {
    const page = await suite.open();
    const seen = dialogs(page);
    await newChat(page);
    await searchOn(page, 2);
    await sendAndWait(page, 'search for hostile pages');
    const reply = page.locator('.message.assistant').last();
    await reply.locator('.search-step summary').click();
    // Titles shown as they are, as text.
    expect(await reply.locator('.sources').textContent()).toContain('<img src=x onerror=alert(1)>');
    expect(await reply.locator('.sources').textContent()).toContain('"><script>alert(2)</script>');
    // None of the URLs is a web address: no link at all, the titles stay text.
    expect(await reply.locator('.sources a, .search-results a').count()).toBe(0);
    const unsafe = await page.evaluate(() => {
      const found: string[] = [];
      for (const a of document.querySelectorAll<HTMLAnchorElement>('a[href]')) {
        const raw = a.getAttribute('href')!;
        if (!/^(https?:|\/|#)/i.test(raw.trim()) || !/^https?:$/.test(new URL(a.href).protocol)) found.push(raw);
      }
      for (const el of document.querySelectorAll('.messages *')) {
        if (/^(script|iframe|object|embed|svg)$/i.test(el.tagName) && !el.closest('.svg-icon')) found.push(`<${el.tagName}>`);
        for (const attr of el.attributes) if (/^on/i.test(attr.name)) found.push(`${el.tagName} ${attr.name}`);
      }
      if (document.querySelector('img[src="x"]')) found.push('img src=x');
      return found;
    });
    expect(unsafe).toEqual([]);
    await page.waitForTimeout(300);
    expect(seen).toEqual([]);
    await shot(page, 'reply-search-hostile');
  });
});

describe('on a phone, dark', () => {
  it('names every new control and gives each a finger-sized target, with nothing wider than the screen', async () => {
    const page = await suite.open({ width: 390, height: 844, dark: true });
    await newChat(page);
    await thinkingOn(page, 'low');
    await searchOn(page, 1);
    await sendAndWait(page, 'think and search for tapas');
    const reply = page.locator('.message.assistant').last();
    await reply.locator('.thinking summary').waitFor(REPLY);
    expect(await unnamedControls(page)).toEqual([]);
    const small = async (selector: string) =>
      page.locator(selector).evaluateAll((els) =>
        els
          .map((el) => ({ el, r: el.getBoundingClientRect() }))
          .filter(({ r }) => r.width > 0 && (r.height < 44 || r.width < 44))
          .map(({ el, r }) => `${el.textContent?.trim() || el.getAttribute('aria-label')} ${Math.round(r.width)}×${Math.round(r.height)}`),
      );
    expect(await small('.thinking summary, .search-step summary, .composer .attach')).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, 'reply-thinking-search-phone-dark');
    await optionsButton(page).click();
    expect(await unnamedControls(page)).toEqual([]);
    expect(await small('.features select, .features input[type=number], .features label.check')).toEqual([]);
    await shot(page, 'chat-options-phone-dark');
  });
});
