/**
 * Issue 18 in Chromium: a long chat opens at its newest message and follows only a reader who is
 * there, one generation state in place (placeholder, Stop, "Stopped · Regenerate", one retry
 * line), a phone drawer that can be closed, and focus that stays where the person was.
 */
import { describe, expect, it } from 'vitest';
import { shot } from '../helpers/browser.js';
import { atClaude, browserSuite, REPLY, SETTLE, focusRingClipped, focused, gptConversation, importConversation, inView, newChat, revealedMessage, searchHits, sendAndWait, settledScroll } from '../helpers/ui-page.js';

const suite = browserSuite();
const { open } = suite;

/** 200 messages of uneven height (code, lists, long paragraphs), one word found only in the middle, another only near the start. */
function longChat(title: string): object {
  const contents: string[] = [];
  for (let i = 0; i < 200; i++) {
    if (i % 2 === 0) contents.push(i === 100 ? `message ${i}: tell me about the quetzalcoatl` : i === 4 ? `message ${i}: and the axolotl?` : `message ${i}: question number ${i / 2}`);
    else if (i % 6 === 1) contents.push(`message ${i}: here is code\n\n\`\`\`ts\n${Array.from({ length: 14 }, (_, k) => `const v${k} = ${k} * ${i};`).join('\n')}\n\`\`\``);
    else if (i % 6 === 3) contents.push(`message ${i}:\n\n${Array.from({ length: 9 }, (_, k) => `- point ${k} of a list that goes on for a while`).join('\n')}`);
    else contents.push(`message ${i}: ${'A long paragraph that wraps over several lines of the chat column. '.repeat(12)}`);
  }
  return gptConversation(title, contents);
}

const lastMessage = '.messages .message:last-of-type';

describe('scrolling', () => {
  it('opens a 200-message chat at its newest message: after import, after a reload, after switching back', async () => {
    const page = await open();
    await importConversation(page, longChat('Long chat'), 'Long chat');
    await expect.poll(() => page.locator('.message').count(), SETTLE).toBe(200);
    let at = await settledScroll(page);
    expect(at.gap, 'distance from the bottom after opening the imported chat').toBeLessThanOrEqual(2);
    expect(await page.locator(lastMessage).textContent()).toContain('message 199');
    expect(await inView(page, lastMessage)).toBe(true);

    await page.reload();
    await expect.poll(() => page.locator('.message').count(), SETTLE).toBe(200);
    at = await settledScroll(page);
    expect(at.gap, 'distance from the bottom after a reload').toBeLessThanOrEqual(2);
    expect(await inView(page, lastMessage)).toBe(true);

    await newChat(page);
    await page.locator('.chat-item', { hasText: 'Long chat' }).locator('.chat-open').click();
    await expect.poll(() => page.locator('.message').count(), SETTLE).toBe(200);
    at = await settledScroll(page);
    expect(at.gap, 'distance from the bottom after switching back').toBeLessThanOrEqual(2);
    expect(await inView(page, lastMessage)).toBe(true);
    await shot(page, 'long-chat-opens-at-newest');
  });

  it('follows new messages only when the reader is at the bottom, offers ↓ Latest otherwise, and a search hit in the middle stays in view', async () => {
    const page = await open();
    await importConversation(page, longChat('Follow chat'), 'Follow chat');
    await expect.poll(() => page.locator('.message').count(), SETTLE).toBe(200);
    await settledScroll(page);
    const latest = page.getByRole('button', { name: /latest/i });
    expect(await latest.count(), 'no ↓ Latest while at the newest message').toBe(0);

    // At the bottom: a reply arriving is followed.
    await sendAndWait(page, 'one more at the bottom');
    await expect.poll(async () => (await settledScroll(page)).gap, SETTLE).toBeLessThanOrEqual(2);
    expect(await inView(page, lastMessage)).toBe(true);

    // Scrolled up to read: a new message does not move the view, and ↓ Latest appears.
    const box = (await page.locator('.messages').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -4000);
    const reading = await settledScroll(page);
    expect(reading.gap).toBeGreaterThan(1000);
    await expect.poll(() => latest.isVisible(), SETTLE).toBe(true);
    const other = await open();
    await other.locator('.chat-item', { hasText: 'Follow chat' }).locator('.chat-open').click();
    await expect.poll(() => other.locator('.message').count(), SETTLE).toBe(202);
    await sendAndWait(other, 'sent from another tab');
    await expect.poll(() => page.locator('.message.assistant').last().textContent(), REPLY).toContain('sent from another tab');
    const after = await settledScroll(page);
    expect(Math.abs(after.scrollTop - reading.scrollTop), 'the view stayed where the reader was').toBeLessThanOrEqual(2);
    expect(await latest.isVisible()).toBe(true);
    await shot(page, 'latest-button');
    await latest.click();
    await expect.poll(async () => (await settledScroll(page)).gap, SETTLE).toBeLessThanOrEqual(2);
    expect(await latest.count()).toBe(0);
    expect((await focused(page)).tag, 'focus does not fall to the page when ↓ Latest goes').not.toBe('body');

    // A search hit in the middle is shown, and stays shown.
    await (await searchHits(page, 'quetzalcoatl')).first().click();
    const shown = await revealedMessage(page);
    await settledScroll(page);
    expect(await shown.textContent()).toContain('quetzalcoatl');
    expect(await inView(page, `.message[data-id="${await shown.getAttribute('data-id')}"]`)).toBe(true);
    expect(await latest.isVisible()).toBe(true);
  });

  it('says when more messages match than the search shows', async () => {
    const page = await open();
    await importConversation(page, longChat('Many matches'), 'Many matches');
    await expect.poll(() => page.locator('.message').count(), SETTLE).toBe(200);
    const hits = await searchHits(page, 'question');
    await expect.poll(() => page.locator('.palette-status').textContent(), SETTLE).toMatch(/^The best \d+ shown; more match/);
    expect(await hits.count()).toBe(20);
    // A word in one message of each long chat these tests import: fewer than a page, all shown.
    await page.keyboard.press('Control+A');
    await page.keyboard.type('quetzalcoatl');
    await expect.poll(() => page.locator('.palette-status').textContent(), SETTLE).toMatch(/^\d found$/);
  });

  it('reveals a search hit near the start of a long chat it opens', async () => {
    const page = await open();
    await importConversation(page, longChat('Early hit chat'), 'Early hit chat');
    await expect.poll(() => page.locator('.message').count(), SETTLE).toBe(200);
    await newChat(page);
    // Other tests of this suite import long chats with the same word: the hit in this one.
    await (await searchHits(page, 'axolotl')).filter({ hasText: 'Early hit chat' }).first().click();
    const shown = await revealedMessage(page);
    expect(await shown.textContent()).toContain('message 4: and the axolotl?');
    await settledScroll(page);
    expect(await inView(page, `.message[data-id="${await shown.getAttribute('data-id')}"]`), 'the hit is on screen').toBe(true);
    expect(await page.locator('.message').count()).toBe(200);
  });
});

describe('one generation state, in place', () => {
  it('shows the reply coming where it will appear, turns Send into Stop, refuses a second send, and Stop leaves "Stopped · Regenerate" at once', async () => {
    const page = await open();
    await newChat(page);
    await sendAndWait(page, 'first question');
    await sendAndWait(page, 'second question');
    const composer = page.locator('.composer');

    // Regenerating the first reply: the placeholder is where that reply is, not at the bottom.
    suite.mock.queueFaults([{ hold: true }]);
    await page.locator('.message.assistant').first().getByRole('button', { name: 'Regenerate' }).click();
    const placeholder = page.locator('.generating');
    await expect.poll(() => placeholder.count(), SETTLE).toBe(1);
    const firstUser = await page.locator('.message.user').first().getAttribute('data-id');
    expect(await placeholder.evaluate((el) => (el.previousElementSibling as HTMLElement | null)?.dataset.id)).toBe(firstUser);
    expect(await placeholder.textContent()).toMatch(/Claude is writing/);
    // Send is Stop while it runs; a second message is refused clearly and kept in the box.
    await expect.poll(() => composer.getByRole('button', { name: 'Stop' }).count(), SETTLE).toBe(1);
    expect(await composer.getByRole('button', { name: 'Send' }).count()).toBe(0);
    const users = await page.locator('.message.user').count();
    await page.locator('#composer-input').fill('sent while a reply runs');
    await page.locator('#composer-input').press('Enter');
    await expect.poll(() => composer.getByRole('status').textContent(), SETTLE).toMatch(/stop it|wait/i);
    expect(await page.locator('#composer-input').inputValue()).toBe('sent while a reply runs');
    expect(await page.locator('.message.user').count()).toBe(users);
    await shot(page, 'generating-in-place');

    // Stop: the note and its Regenerate appear at once, without a reload.
    await atClaude(suite.mock, 'first question', REPLY);
    await composer.getByRole('button', { name: 'Stop' }).click();
    const stopped = page.locator('.message', { hasText: 'Stopped' });
    await expect.poll(() => stopped.count(), SETTLE).toBe(1);
    expect(await placeholder.count()).toBe(0);
    expect(await stopped.getAttribute('role')).not.toBe('alert');
    expect(await stopped.evaluate((el) => (el.previousElementSibling as HTMLElement | null)?.dataset.id)).toBe(firstUser);
    expect(await composer.getByRole('button', { name: 'Send' }).count()).toBe(1);
    await shot(page, 'stopped-regenerate');
    suite.mock.release();
    await stopped.getByRole('button', { name: 'Regenerate' }).click();
    await expect.poll(() => page.locator('.message.assistant').first().textContent(), REPLY).toContain('first question');
    await expect.poll(() => page.locator('.message', { hasText: 'Stopped' }).count(), SETTLE).toBe(0);
    // The message sent while the reply ran was never sent behind the person's back.
    expect(suite.mock.log.filter((e) => e.event === 'received' && e.text.includes('sent while a reply runs'))).toHaveLength(0);
  });

  it('stops counting down to a retry once the reader asks something else, so that answer cannot take the view later', async () => {
    const page = await open();
    await newChat(page);
    const asked = suite.mock.log.filter((e) => e.event === 'received').length;
    suite.mock.queueFaults([{ status: 529, retry_after: 20 }]);
    await page.locator('#composer-input').fill('asked while Claude is overloaded');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.retrying').count(), REPLY).toBe(1);
    await sendAndWait(page, 'asked next, without waiting');
    expect(await page.locator('.retrying').count()).toBe(0);
    // The failure is still there to act on, with Retry instead of a countdown.
    await expect.poll(() => page.locator('.error-record').getByRole('button', { name: 'Retry' }).count(), SETTLE).toBe(1);
    expect(await page.locator('.message.assistant').last().textContent()).toContain('asked next, without waiting');
    // Claude was asked twice: the overloaded request, then the next question (which carries the first).
    expect(suite.mock.log.filter((e) => e.event === 'received').length - asked).toBe(2);
  });

  it('says what an automatic retry is doing in one plain line, with Cancel', async () => {
    const page = await open();
    await newChat(page);
    // Every state the error area shows, as it changes: a slow poll cannot miss one.
    await page.evaluate(() => {
      const seen: { text: string; retryButton: boolean; writing: boolean }[] = ((window as unknown as { __states: unknown[] }).__states = []);
      new MutationObserver(() => {
        const line = document.querySelector('.retrying');
        if (!line) return;
        const area = line.closest('.message') as HTMLElement;
        seen.push({
          text: area.innerText,
          retryButton: [...area.querySelectorAll('button')].some((b) => b.textContent === 'Retry'),
          writing: document.querySelector('.generating') !== null,
        });
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    suite.mock.queueFaults([{ status: 529, retry_after: 1 }]);
    await page.locator('#composer-input').fill('overloaded at first');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.message.assistant').count(), { timeout: 2 * REPLY.timeout }).toBe(1);
    const states = await page.evaluate(() => (window as unknown as { __states: { text: string; retryButton: boolean; writing: boolean }[] }).__states);
    expect(states.length).toBeGreaterThan(0);
    for (const s of states) {
      expect(s.text).toMatch(/overloaded/i);
      expect(s.text).toMatch(/Retrying in \d s \(attempt 2 of 3\)/);
      expect(s.text).toContain('Cancel');
      expect(s.text, 'no raw API text').not.toMatch(/overloaded_error|injected/);
      expect(s.text).not.toMatch(/The reply failed/);
      expect(s.retryButton, 'no Retry button while retrying by itself').toBe(false);
      expect(s.writing, 'not "writing" and "retrying in" at once').toBe(false);
    }
    expect(await page.locator('.message.error').count()).toBe(0);
  });
});

describe('phone drawer', () => {
  for (const size of [
    { width: 390, height: 844, dark: false },
    { width: 360, height: 640, dark: true },
  ]) {
    it(`opens and closes with a close button, a backdrop and Esc, with aria-expanded and focus (${size.width}×${size.height}${size.dark ? ', dark' : ''})`, async () => {
      const page = await open(size);
      const menu = page.getByRole('button', { name: 'Show chats' });
      expect(await menu.getAttribute('aria-expanded')).toBe('false');
      await menu.click();
      expect(await menu.getAttribute('aria-expanded')).toBe('true');
      await expect.poll(async () => (await focused(page)).inside, SETTLE).toMatch(/sidebar/);
      await shot(page, `drawer-open-${size.width}${size.dark ? '-dark' : ''}`);
      // Esc closes it and gives the focus back to the menu button.
      await page.keyboard.press('Escape');
      await expect.poll(() => page.locator('.sidebar').isVisible(), SETTLE).toBe(false);
      expect(await menu.getAttribute('aria-expanded')).toBe('false');
      // The focus comes back in the next frame, once the chat is no longer inert (a busy machine
      // showed the drawer hidden while the focus was still on its way).
      await expect.poll(async () => (await focused(page)).name, SETTLE).toBe('Show chats');
      // The close button.
      await menu.click();
      await page.locator('.sidebar').getByRole('button', { name: 'Close chats' }).click();
      await expect.poll(() => page.locator('.sidebar').isVisible(), SETTLE).toBe(false);
      await expect.poll(async () => (await focused(page)).name, SETTLE).toBe('Show chats');
      // A tap outside, on the backdrop.
      await menu.click();
      await expect.poll(() => page.locator('.sidebar').isVisible(), SETTLE).toBe(true);
      await page.mouse.click(size.width - 10, size.height / 2);
      await expect.poll(() => page.locator('.sidebar').isVisible(), SETTLE).toBe(false);
      expect(await menu.getAttribute('aria-expanded')).toBe('false');
    });
  }
});

describe('focus stays where the person is', () => {
  it('stays on ‹/› after a version switch, returns to Edit after Esc, and to the rename button after Esc', async () => {
    const page = await open();
    await newChat(page);
    await sendAndWait(page, 'original question');
    await page.locator('.message.user').first().getByRole('button', { name: 'Edit' }).click();
    await page.locator('.editor textarea').fill('edited question');
    await page.getByRole('button', { name: 'Save and send' }).click();
    const versions = page.locator('.message.user .siblings').first();
    await expect.poll(() => versions.getAttribute('aria-label'), REPLY).toBe('Version 2 of 2');
    await expect.poll(() => page.locator('.message.assistant').count(), REPLY).toBe(1);

    // Keyboard on ‹: Enter switches, and the focus is on ‹ of the version now shown.
    await versions.getByRole('button', { name: 'Previous version' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.message.user .user-text').first().textContent(), SETTLE).toBe('original question');
    await expect.poll(async () => (await focused(page)).name, SETTLE).toBe('Previous version');
    expect(await page.evaluate(() => document.activeElement?.closest('.message.user')?.querySelector('.user-text')?.textContent)).toBe('original question');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    expect((await focused(page)).name).toBe('Previous version');
    // And › back.
    await page.keyboard.press('Tab');
    expect((await focused(page)).name).toBe('Next version');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.message.user .user-text').first().textContent(), SETTLE).toBe('edited question');
    await expect.poll(async () => (await focused(page)).name, SETTLE).toBe('Next version');

    // Esc from an edit: back on Edit of that message.
    await page.locator('.message.user').first().getByRole('button', { name: 'Edit' }).click();
    await page.locator('.editor textarea').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.editor').count(), SETTLE).toBe(0);
    await expect.poll(async () => (await focused(page)).name, SETTLE).toBe('Edit');

    // Esc from a rename, in the list and in the header.
    const item = page.locator('.chat-item.current');
    await item.getByRole('button', { name: /^Rename / }).click();
    await page.locator('.chat-item input.rename').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(async () => (await focused(page)).name, SETTLE).toMatch(/^Rename /);
    await page.locator('.chat-header .title-button').click();
    await page.locator('.title-input').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.title-input').count(), SETTLE).toBe(0);
    await expect.poll(async () => (await focused(page)).inside, SETTLE).toMatch(/chat-header/);
    expect(await page.evaluate(() => document.activeElement?.classList.contains('title-button'))).toBe(true);
  });

  it('returns to the opener after a dialog, and Branches takes the focus and closes with Esc', async () => {
    const page = await open();
    await newChat(page);
    await sendAndWait(page, 'a message to branch from');

    await page.getByRole('button', { name: /^System prompt/ }).click();
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count(), SETTLE).toBe(0);
    await expect.poll(async () => (await focused(page)).name, SETTLE).toMatch(/^System prompt/);

    await page.getByRole('button', { name: /^System prompt/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(async () => (await focused(page)).name, SETTLE).toMatch(/^System prompt/);

    const item = page.locator('.chat-item.current');
    await item.getByRole('button', { name: /^Delete / }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(async () => (await focused(page)).name, SETTLE).toMatch(/^Delete /);

    const branches = page.getByRole('button', { name: 'Branches' });
    await branches.click();
    await expect.poll(async () => (await focused(page)).inside, SETTLE).toMatch(/tree/);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.tree').count(), SETTLE).toBe(0);
    await expect.poll(async () => (await focused(page)).name, SETTLE).toBe('Branches');
  });

  it('shows every message action’s focus ring whole', async () => {
    for (const dark of [false, true]) {
      const page = await open({ dark });
      await newChat(page);
      await sendAndWait(page, 'Please show me some markdown');
      const buttons = page.locator('.message button, .message a');
      const n = await buttons.count();
      expect(n).toBeGreaterThan(4);
      for (let i = 0; i < n; i++) {
        await buttons.nth(i).focus();
        // Keyboard focus (not a click) is what shows the ring.
        await page.keyboard.press('Shift+Tab');
        await page.keyboard.press('Tab');
        expect(await focusRingClipped(page)).toBeNull();
      }
    }
  });
});

describe('a phone layout', () => {
  const wide = [
    'show me a table',
    [
      'Here it is:',
      '',
      '| Name | Description | Another long column heading | Notes |',
      '| --- | --- | --- | --- |',
      '| Supercalifragilisticexpialidocious | Antidisestablishmentarianism considered | Pneumonoultramicroscopicsilicovolcanoconiosis | Floccinaucinihilipilification |',
      '| short | also short | still short | fine |',
    ].join('\n'),
  ];
  for (const size of [
    { width: 390, height: 844, dark: false },
    { width: 360, height: 640, dark: true },
  ]) {
    it(`keeps the header on one row with a ⋯ menu, 44 px targets, a one-line box, and tables that scroll sideways (${size.width}×${size.height}${size.dark ? ', dark' : ''})`, async () => {
      const page = await open(size);
      await page.getByRole('button', { name: 'Show chats' }).click();
      await importConversation(page, gptConversation(`Table chat ${size.width}`, wide), `Table chat ${size.width}`);
      await expect.poll(() => page.locator('.message').count(), SETTLE).toBe(2);
      // The import may leave the drawer open: close it as a person would.
      if (await page.locator('.sidebar').isVisible()) await page.keyboard.press('Escape');
      await expect.poll(() => page.locator('.sidebar').isVisible(), SETTLE).toBe(false);

      const header = (await page.locator('.chat-header').boundingBox())!;
      expect(header.height, 'the header is one row').toBeLessThanOrEqual(60);
      const tools = page.getByRole('button', { name: 'Chat options' });
      expect(await tools.getAttribute('aria-expanded')).toBe('false');
      expect(await page.getByRole('button', { name: 'Branches' }).isVisible()).toBe(false);
      await tools.click();
      expect(await tools.getAttribute('aria-expanded')).toBe('true');
      const panel = page.locator('#chat-tools');
      for (const name of [/^System prompt/, /^Branches$/]) expect(await panel.getByRole('button', { name }).isVisible()).toBe(true);
      expect(await panel.getByRole('combobox', { name: /^Model/ }).isVisible()).toBe(true);
      expect(await panel.getByRole('link', { name: 'Export JSON' }).isVisible()).toBe(true);
      expect(await panel.locator('.totals').textContent()).toMatch(/in · .* out/);
      await shot(page, `phone-tools-${size.width}${size.dark ? '-dark' : ''}`);
      await panel.getByRole('combobox', { name: /^Model/ }).focus();
      await page.keyboard.press('Escape');
      expect(await panel.isVisible()).toBe(false);
      await expect.poll(async () => (await focused(page)).name, SETTLE).toBe('Chat options');

      // Every control a finger may need is at least 44×44.
      const small = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('.chat-header button, .composer button, .message-bar button, .latest')]
          .filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')
          .map((el) => ({ name: el.getAttribute('aria-label') || el.textContent?.trim(), ...el.getBoundingClientRect().toJSON() }))
          .filter((r) => r.width < 44 || r.height < 44)
          .map((r) => `${r.name} ${Math.round(r.width)}×${Math.round(r.height)}`),
      );
      expect(small).toEqual([]);

      // The empty message box is one line: its placeholder does not wrap.
      const box = await page.locator('#composer-input').evaluate((el) => ({ height: el.clientHeight, scroll: el.scrollHeight, line: parseFloat(getComputedStyle(el).lineHeight) }));
      expect(box.scroll).toBeLessThanOrEqual(box.height + 1);
      expect(box.height).toBeLessThan(2 * box.line + 24);

      // The table scrolls sideways and its words stay whole; the page itself does not scroll sideways.
      const table = await page.locator('.message.assistant table').evaluate((el) => {
        const cell = [...el.querySelectorAll('td')].find((td) => td.textContent === 'Supercalifragilisticexpialidocious')!;
        const range = document.createRange();
        range.selectNodeContents(cell);
        return { scrolls: el.scrollWidth > el.clientWidth, lines: range.getClientRects().length };
      });
      expect(table.scrolls).toBe(true);
      expect(table.lines, 'a word broken over lines').toBe(1);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
      await shot(page, `phone-table-${size.width}${size.dark ? '-dark' : ''}`);
    });
  }
});

describe('the branch map', () => {
  it('indents only where the chat forks, says how many versions, and shows previews as plain text', async () => {
    const page = await open();
    const name = 'Map chat';
    await importConversation(page, gptConversation(name, ['first **bold** question', 'an answer with `code`', 'second question', 'second answer', 'third question', 'third answer']), name);
    await expect.poll(() => page.locator('.message').count(), SETTLE).toBe(6);
    // A fork at the second question: its edit is a second version.
    await page.locator('.message.user').nth(1).getByRole('button', { name: 'Edit' }).click();
    await page.locator('.editor textarea').fill('second question, edited');
    await page.getByRole('button', { name: 'Save and send' }).click();
    await expect.poll(() => page.locator('.message.assistant').last().textContent(), REPLY).toContain('second question, edited');
    await page.getByRole('button', { name: 'Branches' }).click();
    const rows = page.locator('.tree li');
    await expect.poll(() => rows.count(), SETTLE).toBe(8);
    const layout = await rows.evaluateAll((lis) => lis.map((li) => ({ indent: parseFloat(getComputedStyle(li).paddingInlineStart), text: li.textContent ?? '' })));
    // Before the fork: flat. After it: each branch indented once, however long it is.
    expect(layout.slice(0, 2).map((r) => r.indent)).toEqual([0, 0]);
    expect(layout[1]!.text).toContain('2 versions');
    const after = new Set(layout.slice(2).map((r) => r.indent));
    expect(after.size).toBe(1);
    expect([...after][0]).toBeGreaterThan(0);
    expect(layout[0]!.text).toContain('first bold question');
    expect(layout.map((r) => r.text).join(' ')).not.toMatch(/\*\*|`/);
    await shot(page, 'branch-map-forks');
  });
});
