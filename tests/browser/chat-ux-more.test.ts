/**
 * Issue 18, what was left: Ctrl+K opens a search palette over the page (the chat list stays as it
 * is), the desktop header on one row, import and connection messages people can read, "(fork)"
 * always shown, one import control, LaTeX rendered under the strict CSP, and every control named
 * with the focus where it should be after each flow of the "Done when".
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { shot } from '../helpers/browser.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';
import { browserSuite, REPLY, SETTLE, focused, openPalette, gptConversation, importConversation, newChat, revealedMessage, sendAndWait, textShown, unnamedControls } from '../helpers/ui-page.js';

const suite = browserSuite();
const { open } = suite;

const palette = (page: Page) => page.getByRole('dialog', { name: 'Search' });

/** The option the palette's input points at (aria-activedescendant), as a person hears it. */
function active(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const input = document.activeElement as HTMLElement | null;
    const id = input?.getAttribute('aria-activedescendant');
    const option = id ? document.getElementById(id) : null;
    return option?.getAttribute('aria-selected') === 'true' ? (option.textContent ?? '') : null;
  });
}

describe('Ctrl+K finds a message', () => {
  it('opens a palette over the page with plain-text snippets, moves with the arrow keys, opens with Enter, and gives the focus back on Esc', async () => {
    const page = await open({ dark: true });
    await importConversation(page, gptConversation('Palette alpha', ['what is **zephyrine** made of?', 'It is `zephyrine` glass, see [the notes](https://example.com/notes).']), 'Palette alpha');
    await importConversation(page, gptConversation('Palette beta', ['tell me about *zephyrine* lakes', 'They are deep.']), 'Palette beta');
    const list = await page.locator('.chat-item').allTextContents();

    // Esc from the palette: the focus is back in the message box it came from.
    await page.locator('#composer-input').focus();
    await page.keyboard.press('Control+k');
    await palette(page).waitFor();
    expect(await page.evaluate(() => document.activeElement?.closest('dialog')?.getAttribute('aria-label'))).toBe('Search');
    await page.keyboard.type('zeph');
    await page.keyboard.press('Escape');
    await expect.poll(() => palette(page).count(), SETTLE).toBe(0);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id), SETTLE).toBe('composer-input');

    await page.keyboard.press('Control+k');
    await palette(page).waitFor();
    const input = palette(page).getByRole('combobox');
    expect(await input.inputValue(), 'a fresh search each time').toBe('');
    await page.keyboard.type('zephyrine');
    const options = palette(page).getByRole('option');
    await expect.poll(() => options.count(), SETTLE).toBe(3);
    const texts = await options.allTextContents();
    // Snippets read as text: no Markdown marks, no link targets.
    expect(texts.join(' | ')).not.toMatch(/\*|`|\]\(|https:/);
    expect(texts.join(' | ')).toContain('what is zephyrine made of?');
    expect(texts.join(' | ')).toContain('It is zephyrine glass, see the notes.');
    expect(await palette(page).locator('mark').first().textContent()).toMatch(/^zephyrine$/i);
    // The chat list is left as it was, behind the palette.
    expect(await page.locator('.chat-item').allTextContents()).toEqual(list);
    expect(await page.getByText(/No chat name matches/).count()).toBe(0);
    await shot(page, 'search-palette-dark');

    // The arrow keys move through the results (the focus stays in the box); Enter opens the one chosen.
    expect(await active(page)).toBe(texts[0]);
    const target = texts.findIndex((t) => t.includes('lakes'));
    expect(target).toBeGreaterThanOrEqual(0);
    await page.keyboard.press('ArrowUp');
    expect(await active(page), 'ArrowUp from the first goes round to the last').toBe(texts.at(-1));
    await page.keyboard.press('ArrowDown');
    for (let i = 0; i < target; i++) await page.keyboard.press('ArrowDown');
    expect(await active(page)).toBe(texts[target]);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('combobox');
    await page.keyboard.press('Enter');
    await expect.poll(() => palette(page).count(), SETTLE).toBe(0);
    await expect.poll(() => page.locator('.chat-item.current .chat-name').textContent(), SETTLE).toBe('Palette beta');
    const shown = await revealedMessage(page);
    // The message as written (a person's message is shown as typed, marks and all).
    expect(await shown.textContent()).toContain('tell me about *zephyrine* lakes');
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('.message')?.textContent ?? ''), SETTLE).toContain('zephyrine* lakes');
    expect(await page.locator('.chat-item').count()).toBe(list.length);

    // Chats are found by name too.
    await openPalette(page);
    await page.keyboard.type('palette al');
    await expect.poll(() => palette(page).getByRole('option').first().textContent(), SETTLE).toContain('Palette alpha');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.chat-item.current .chat-name').textContent(), SETTLE).toBe('Palette alpha');
  });

  it('says "other branch" only while the branch is not the one shown', async () => {
    const page = await open();
    await newChat(page);
    await sendAndWait(page, 'tell me about zanzibar spices');
    await page.locator('.message.user').first().getByRole('button', { name: 'Edit' }).click();
    await page.locator('.editor textarea').fill('tell me about iceland instead');
    await page.getByRole('button', { name: 'Save and send' }).click();
    await expect.poll(() => page.locator('.message.assistant').last().textContent(), REPLY).toContain('iceland');

    await openPalette(page);
    await page.keyboard.type('zanzibar');
    // The chat itself is found by its name ("tell me about zanzibar spices"); the message after it.
    const first = palette(page).getByRole('option').filter({ has: page.locator('.result-snippet') }).first();
    await expect.poll(() => first.textContent(), SETTLE).toContain('other branch');
    await first.click();
    await expect.poll(() => page.locator('.message.user .user-text').first().textContent(), SETTLE).toBe('tell me about zanzibar spices');

    await openPalette(page);
    await page.keyboard.type('zanzibar');
    await expect.poll(() => first.textContent(), SETTLE).toContain('zanzibar');
    expect(await first.textContent(), 'the branch is the one shown now').not.toContain('other branch');
  });
});

describe('smaller ones', () => {
  it('keeps the desktop header on one row with the title and the model label whole (1280×800)', async () => {
    const page = await open();
    const title = 'Planning the spring vegetable garden';
    await importConversation(page, gptConversation(title, ['what goes in first?', 'Peas, then lettuce.']), title);
    await page.locator('.chat-header .model select').selectOption('claude-sonnet-5');
    await expect.poll(() => page.locator('.chat-header .model select').inputValue(), SETTLE).toBe('claude-sonnet-5');
    const header = () =>
      page.evaluate(() => {
        const head = document.querySelector<HTMLElement>('.chat-header')!;
        const shown = [...head.querySelectorAll<HTMLElement>('button, select, a, .totals')].filter((el) => el.getClientRects().length > 0);
        const tops = shown.map((el) => el.getBoundingClientRect().top + el.getBoundingClientRect().height / 2);
        const select = head.querySelector<HTMLSelectElement>('select')!;
        // The select's text against the room it has (its padding and arrow taken off).
        const probe = document.createElement('span');
        probe.textContent = select.selectedOptions[0]!.textContent;
        probe.style.font = getComputedStyle(select).font;
        probe.style.position = 'absolute';
        document.body.append(probe);
        const textWidth = probe.getBoundingClientRect().width;
        probe.remove();
        const s = getComputedStyle(select);
        const room = select.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight) - 16;
        return {
          rows: Math.max(...tops) - Math.min(...tops),
          height: head.getBoundingClientRect().height,
          modelClipped: textWidth > room + 1,
          modelText: probe.textContent,
        };
      });
    const wide = await header();
    expect(wide.rows, 'controls on one row').toBeLessThan(8);
    expect(wide.height).toBeLessThanOrEqual(60);
    expect(await textShown(page, '.chat-header .title-button', title), 'the whole title on screen').toBe(true);
    expect(wide.modelClipped, `model label "${wide.modelText}" cut`).toBe(false);
    await shot(page, 'desktop-header');
    // What folded away is one click off, and Esc gives the focus back to ⋯.
    const more = page.getByRole('button', { name: 'Chat options' });
    await more.click();
    expect(await more.getAttribute('aria-expanded')).toBe('true');
    expect(await page.locator('#chat-tools .totals').textContent()).toMatch(/in · .* out/);
    await page.getByRole('link', { name: 'Export JSON' }).focus();
    await shot(page, 'desktop-header-more');
    await page.keyboard.press('Escape');
    expect(await page.getByRole('link', { name: 'Export JSON' }).isVisible()).toBe(false);
    await expect.poll(async () => (await focused(page)).name, SETTLE).toBe('Chat options');
    // The branch map open beside it: still one row, the model label still whole.
    await page.getByRole('button', { name: 'Branches' }).click();
    await page.locator('.tree').waitFor();
    const narrow = await header();
    expect(narrow.rows).toBeLessThan(8);
    expect(narrow.height).toBeLessThanOrEqual(60);
    expect(narrow.modelClipped).toBe(false);
    await shot(page, 'desktop-header-with-branches');
  });

  it('says in plain words why a file could not be imported, and offers one import control', async () => {
    const page = await open();
    expect(await page.getByRole('button', { name: /import/i }).count(), 'the file input is not a second import button').toBe(1);
    for (const [name, body] of [
      ['notes.json', JSON.stringify({ hello: 'world', format: 3 })],
      ['broken.json', '{ this is not json'],
    ] as const) {
      await page.locator('.sidebar input[type=file]').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(body) });
      const alert = page.getByRole('alert');
      await expect.poll(() => alert.count(), SETTLE).toBe(1);
      const text = await alert.innerText();
      expect(text).toContain(`“${name}” could not be imported`);
      expect(text).toMatch(/theater-chat export or a ChatGPT conversations\.json/);
      // Validation text (field paths, schema words) is for the curious only, behind Details.
      expect(text).not.toMatch(/Invalid|expected|format:|chat\.|undefined|JSON at position/);
      await shot(page, `import-refused-${name.split('.')[0]}`);
      await alert.getByRole('button', { name: 'Dismiss' }).click();
    }
  });

  it('takes "Not connected" away once the connection is back', async () => {
    const proxy = await startTcpProxy(suite.host.port);
    try {
      const page = await open({ url: proxy.url });
      await newChat(page);
      proxy.target(undefined);
      await expect.poll(() => page.locator('.status').textContent(), SETTLE).toMatch(/Reconnecting/);
      await page.locator('#composer-input').fill('sent while cut off');
      await page.keyboard.press('Enter');
      const alert = page.getByRole('alert');
      await expect.poll(() => alert.count(), SETTLE).toBe(1);
      expect(await alert.innerText()).toMatch(/not connected/i);
      expect(await page.locator('#composer-input').inputValue(), 'the message is kept').toBe('sent while cut off');
      proxy.target(suite.host.port);
      await expect.poll(() => page.locator('.status').count(), REPLY).toBe(0);
      await expect.poll(() => page.getByText(/not connected/i).count(), SETTLE).toBe(0);
    } finally {
      await proxy.close();
    }
  });

  it('never hides "(fork)" behind the truncation of a long name', async () => {
    for (const size of [{}, { width: 390, height: 844 }]) {
      const page = await open(size);
      const long = `A very long chat name about ${'many different things '.repeat(4)}${size.width ?? 1280}`;
      if (size.width) await page.getByRole('button', { name: 'Show chats' }).click();
      await importConversation(page, gptConversation(long, ['first question', 'first answer']), long);
      if (await page.locator('.sidebar').isVisible() && size.width) await page.keyboard.press('Escape');
      await page.locator('.message.user').first().getByRole('button', { name: 'Fork' }).click();
      await expect.poll(() => page.locator('.chat-header .title-button').textContent(), SETTLE).toMatch(/\(fork\)$/);
      expect(await textShown(page, '.chat-header .title-button', '(fork)'), 'in the header').toBe(true);
      if (size.width) await page.getByRole('button', { name: 'Show chats' }).click();
      expect(await textShown(page, '.chat-item.current .chat-open', '(fork)'), 'in the chat list').toBe(true);
      await shot(page, `fork-suffix-${size.width ?? 1280}`);
    }
  });
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

describe('accessibility', () => {
  it('names every control and puts the focus where expected after each flow of "Done when"', async () => {
    for (const size of [{ width: 1280, height: 800 }, { width: 390, height: 844, dark: true }]) {
      const page = await open(size);
      const phone = size.width < 720;
      const name = `A11y chat ${size.width}`;

      // Open a chat.
      if (phone) await page.getByRole('button', { name: 'Show chats' }).click();
      await importConversation(page, gptConversation(name, ['first question', 'first answer']), name);
      if (phone && (await page.locator('.sidebar').isVisible())) await page.keyboard.press('Escape');
      await page.locator('.message').nth(1).waitFor();
      expect(await unnamedControls(page), 'after opening a chat').toEqual([]);

      // Stop a reply, then regenerate it.
      suite.mock.queueFaults([{ hold: true }]);
      await page.locator('#composer-input').fill('a reply to stop');
      await page.keyboard.press('Enter');
      const stop = page.locator('.composer').getByRole('button', { name: 'Stop' });
      await stop.waitFor();
      expect(await unnamedControls(page), 'while a reply is written').toEqual([]);
      await stop.click();
      const regenerate = page.locator('.stopped-note').getByRole('button', { name: 'Regenerate' });
      await regenerate.waitFor();
      await expect.poll(() => page.evaluate(() => document.activeElement?.id), SETTLE).toBe('composer-input');
      expect(await unnamedControls(page), 'after Stop').toEqual([]);
      suite.mock.release();
      await regenerate.focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('.message.assistant').count(), REPLY).toBe(2);
      await expect.poll(() => page.evaluate(() => document.activeElement?.id), SETTLE).toBe('composer-input');
      expect(await unnamedControls(page), 'after Regenerate').toEqual([]);

      // Switch versions with the keyboard.
      await page.locator('.message.user').last().getByRole('button', { name: 'Edit' }).click();
      await page.locator('.editor textarea').fill('a reply, edited');
      await page.keyboard.press('Enter');
      const versions = page.locator('.message.user .siblings').last();
      await expect.poll(() => versions.getAttribute('aria-label'), REPLY).toBe('Version 2 of 2');
      await expect.poll(() => page.locator('.generating').count(), REPLY).toBe(0);
      await versions.getByRole('button', { name: 'Previous version' }).focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => versions.getAttribute('aria-label'), SETTLE).toBe('Version 1 of 2');
      await expect.poll(async () => (await focused(page)).name, SETTLE).toBe('Previous version');
      expect(await unnamedControls(page), 'after a version switch').toEqual([]);

      // Find with Ctrl+K and the arrow keys.
      await page.keyboard.press('Control+k');
      await palette(page).waitFor();
      await page.keyboard.type('first question');
      await expect.poll(() => palette(page).locator('[role="option"]:has(.result-snippet)').count(), SETTLE).toBeGreaterThan(0);
      expect(await unnamedControls(page), 'in the palette').toEqual([]);
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('Enter');
      await expect.poll(() => palette(page).count(), SETTLE).toBe(0);
      await expect.poll(() => page.evaluate(() => document.activeElement?.closest('.message')?.getAttribute('aria-label') ?? null), SETTLE).toBe('You');
      expect(await unnamedControls(page), 'after opening a search result').toEqual([]);

      // Open and close the drawer (a phone), or the branch map (a desktop).
      if (phone) {
        await page.getByRole('button', { name: 'Show chats' }).click();
        await expect.poll(async () => (await focused(page)).inside, SETTLE).toMatch(/sidebar/);
        expect(await unnamedControls(page), 'with the drawer open').toEqual([]);
        await page.keyboard.press('Escape');
        await expect.poll(async () => (await focused(page)).name, SETTLE).toBe('Show chats');
      } else {
        await page.getByRole('button', { name: 'Branches' }).click();
        await expect.poll(async () => (await focused(page)).inside, SETTLE).toMatch(/tree/);
        expect(await unnamedControls(page), 'with the branch map open').toEqual([]);
        await page.keyboard.press('Escape');
        await expect.poll(async () => (await focused(page)).name, SETTLE).toBe('Branches');
      }
      expect(await unnamedControls(page), 'at the end').toEqual([]);
    }
  });
});
