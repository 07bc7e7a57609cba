/**
 * Issue 15, files and sending: Send waits for an upload under way and sends nothing when the file
 * is refused meanwhile; files alone go under their names; an edit keeps or drops them; and the
 * whole of it on a phone in dark mode.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { shot } from '../helpers/browser.js';
import { browserSuite, REPLY, SETTLE, focused, newChat, sendAndWait } from '../helpers/ui-page.js';
import { attachByPicker, pasteFiles, pendingChips, pdf, png } from '../helpers/test-files.js';

const suite = browserSuite();

const screenshot = (name = 'image.png', w = 640, h = 480) => ({ name, mimeType: 'image/png', buffer: png(w, h) });

const sentImages = (page: Page) => page.locator('.message.user').last().locator('.message-files img').count();

describe('sending files', () => {
  it('waits for an upload under way before sending, and sends nothing, keeping the words, when the server refuses it meanwhile', async () => {
    const page = await suite.open();
    await newChat(page);
    // The upload is held until the test lets it go, the way a slow connection would hold it.
    let letGo = () => {};
    const held = new Promise<void>((resolve) => (letGo = resolve));
    await page.route('**/api/blobs', async (route) => {
      await held;
      await route.continue();
    });
    await pasteFiles(page, [screenshot('slow.png', 50, 40)]);
    await expect.poll(() => page.locator('.pending-files .file-chip.uploading').textContent(), SETTLE).toContain('Uploading…');
    await page.locator('#composer-input').fill('sent once it is up');
    await page.locator('#composer-input').press('Enter');
    await expect.poll(() => page.locator('.composer-hint').textContent(), SETTLE).toBe('Sending once the files are uploaded…');
    expect(await page.locator('.message').count(), 'nothing sent yet').toBe(0);
    letGo();
    await page.locator('.message.assistant').first().waitFor(REPLY);
    expect(await page.locator('.message.user .user-text').textContent()).toBe('sent once it is up');
    expect(await sentImages(page)).toBe(1);

    // Now the server says no while the message waits for it: the refusal on the chip in plain
    // words, nothing sent, the words still in the box.
    let refuse = () => {};
    const refused = new Promise<void>((resolve) => (refuse = resolve));
    await page.unroute('**/api/blobs');
    await page.route('**/api/blobs', async (route) => {
      await refused;
      await route.fulfill({ status: 413, contentType: 'application/json', body: JSON.stringify({ error: { code: 'payload_too_large', message: '“refused.png” is 38.1 MB: Claude takes files up to 32 MB' } }) });
    });
    await pasteFiles(page, [screenshot('refused.png', 50, 40)]);
    await page.locator('#composer-input').fill('words that stay');
    await page.locator('#composer-input').press('Enter');
    await expect.poll(() => page.locator('.composer-hint').textContent(), SETTLE).toBe('Sending once the files are uploaded…');
    refuse();
    expect((await pendingChips(page, 1))[0]).toContain('Not attached: “refused.png” is 38.1 MB: Claude takes files up to 32 MB.');
    await expect.poll(() => page.locator('.composer-hint').textContent(), SETTLE).toBe('“refused.png” could not be attached (see above): nothing was sent.');
    expect(await page.locator('#composer-input').inputValue()).toBe('words that stay');
    expect(await page.locator('.message.user').count()).toBe(1);
    await shot(page, 'attachment-refused-while-sending');
  });

  it('sends files alone under their names, and an edit keeps or drops them', async () => {
    const page = await suite.open();
    await newChat(page);
    await attachByPicker(page, [screenshot('alone.png', 30, 30), { name: 'plan.txt', mimeType: 'text/plain', buffer: Buffer.from('step one\nstep two\n') }]);
    await pendingChips(page, 2);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('.message.assistant').first().waitFor(REPLY);
    expect(await page.locator('.message.user .user-text').textContent()).toBe('alone.png, plan.txt');
    expect(await page.locator('.chat-item.current .chat-name').textContent()).toBe('alone.png, plan.txt');

    // Editing the words only: the new version keeps both files.
    await page.locator('.message.user').getByRole('button', { name: 'Edit' }).click();
    expect(await page.locator('.edit-files li').count()).toBe(2);
    await page.locator('.editor textarea').fill('what are these?');
    await page.getByRole('button', { name: 'Save and send' }).click();
    await expect.poll(() => page.locator('.message.user .siblings').getAttribute('aria-label'), REPLY).toBe('Version 2 of 2');
    expect(await page.locator('.message.user .message-files li').count()).toBe(2);
    // Taking one off: the next version has only the other.
    await page.locator('.message.user').getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('button', { name: 'Remove alone.png from this version' }).click();
    expect((await focused(page)).tag, 'the focus goes back to the text').toBe('textarea');
    await page.getByRole('button', { name: 'Save and send' }).click();
    await expect.poll(() => page.locator('.message.user .siblings').getAttribute('aria-label'), REPLY).toBe('Version 3 of 3');
    expect(await page.locator('.message.user .message-files').textContent()).toContain('plan.txt');
    expect(await page.locator('.message.user .message-files li').count()).toBe(1);
  });

  it('fits a phone in dark mode: chips that wrap, finger-sized controls, nothing wider than the screen', async () => {
    const page = await suite.open({ width: 390, height: 844, dark: true });
    await newChat(page);
    await pasteFiles(page, [screenshot('a-rather-long-screenshot-name-from-the-phone.png', 1170, 2532)]);
    await attachByPicker(page, [{ name: 'minutes.pdf', mimeType: 'application/pdf', buffer: pdf(2) }]);
    await pendingChips(page, 2);
    const small = await page.locator('.composer .attach, .pending-files .remove').evaluateAll((els) =>
      els.map((el) => el.getBoundingClientRect()).filter((r) => r.width < 44 || r.height < 44).map((r) => `${Math.round(r.width)}×${Math.round(r.height)}`),
    );
    expect(small).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, 'attachment-pending-phone-dark');
    await sendAndWait(page, 'from my phone');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const thumb = (await page.locator('.message.user .message-files img').boundingBox())!;
    expect(thumb.width, 'a tall screenshot keeps its proportions').toBeLessThan(thumb.height);
    await shot(page, 'attachment-sent-phone-dark');
  });
});
