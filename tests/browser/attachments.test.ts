/**
 * Issue 15, files in the browser: a pasted screenshot, a PDF from the picker, files dropped on the
 * chat; what the server refuses said per file with its limit; one stored copy of the same image in
 * two chats; a hostile file name that stays text; every new control named and reachable by keyboard.
 */
import { describe, expect, it } from 'vitest';
import type { FileChooser, Page } from 'playwright-core';
import { shot } from '../helpers/browser.js';
import { browserSuite, REPLY, SETTLE, focused, newChat, sendAndWait, unnamedControls } from '../helpers/ui-page.js';
import { attachByPicker, dropFiles, pasteFiles, pendingChips, pdf, png } from '../helpers/test-files.js';

const suite = browserSuite();

const screenshot = (name = 'image.png', w = 640, h = 480) => ({ name, mimeType: 'image/png', buffer: png(w, h) });

/** Where each image of the last user message is served from, and whether it has been drawn. */
const sentImages = (page: Page) =>
  page
    .locator('.message.user')
    .last()
    .locator('.message-files img')
    .evaluateAll((imgs) => imgs.map((img) => ({ src: (img as HTMLImageElement).getAttribute('src'), drawn: (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth })));

/** Dialogs opened by anything on the page (a script that ran would open one). */
function dialogs(page: Page): string[] {
  const seen: string[] = [];
  page.on('dialog', (d) => seen.push(d.message()));
  return seen;
}

describe('attaching files', () => {
  it('shows a pasted screenshot as a thumbnail in the sent message, and again after a reload', async () => {
    const page = await suite.open();
    await newChat(page);
    await pasteFiles(page, [screenshot()]);
    expect(await pendingChips(page, 1)).toEqual([expect.stringContaining('PNG · 640×480')]);
    // The thumbnail in the box is the stored file, served back.
    await expect.poll(() => page.locator('.pending-files img').evaluate((img) => (img as HTMLImageElement).naturalWidth), SETTLE).toBe(640);
    await sendAndWait(page, 'what is in this picture?');
    expect(await page.locator('.pending-files').count(), 'the box is empty again').toBe(0);
    await expect.poll(async () => (await sentImages(page))[0]?.drawn, SETTLE).toBe(640);
    expect(await page.locator('.message.assistant').last().textContent()).toContain('640×480');
    await shot(page, 'attachment-pasted-image');

    await page.reload();
    await page.locator('.message.user .message-files img').waitFor(SETTLE);
    await expect.poll(async () => (await sentImages(page))[0]?.drawn, SETTLE).toBe(640);
    // The thumbnail opens the full image, from the keyboard too: a link with a name.
    const link = page.getByRole('link', { name: /image\.png, PNG · 640×480 .*opens the full image/ });
    expect(await link.getAttribute('target')).toBe('_blank');
  });

  it('attaches a PDF by the picker and shows it as a chip with its pages that downloads under its name', async () => {
    const page = await suite.open();
    await newChat(page);
    await attachByPicker(page, [{ name: 'report.pdf', mimeType: 'application/pdf', buffer: pdf(3) }]);
    expect(await pendingChips(page, 1)).toEqual([expect.stringMatching(/report\.pdf.*PDF · 3 pages/)]);
    await sendAndWait(page, 'summarise the report');
    const chip = page.locator('.message.user').last().getByRole('link', { name: /report\.pdf, PDF · 3 pages/ });
    expect(await chip.getAttribute('download')).toBe('report.pdf');
    const href = (await chip.getAttribute('href'))!;
    expect(href).toMatch(/^\/api\/blobs\/b[a-z2-7]+\?name=report\.pdf$/);
    const served = await page.evaluate(async (url) => {
      const r = await fetch(url);
      return { status: r.status, type: r.headers.get('content-type'), disposition: r.headers.get('content-disposition') };
    }, href);
    expect(served).toEqual({ status: 200, type: 'application/pdf', disposition: expect.stringMatching(/^attachment; filename="report/) });
    await shot(page, 'attachment-pdf-chip');
  });

  it('attaches files dropped on the chat', async () => {
    const page = await suite.open();
    await newChat(page);
    await dropFiles(page, [screenshot('dropped.png', 32, 32), { name: 'notes.md', mimeType: 'text/markdown', buffer: Buffer.from('# Notes\n\nhello\n') }]);
    const chips = await pendingChips(page, 2);
    expect(chips[0]).toContain('dropped.png');
    expect(chips[1]).toMatch(/notes\.md.*Text/);
    expect((await focused(page)).tag, 'the message box is ready for the words that go with them').toBe('textarea');
  });

  it('refuses an unsupported file and an oversize image, each with the limit in words, and sends neither', async () => {
    const page = await suite.open();
    await newChat(page);
    // 1500×1500 of noise: about 6.7 MB, over the API's 5 MB for an image.
    await attachByPicker(page, [
      { name: 'archive.zip', mimeType: 'application/zip', buffer: Buffer.from('PK\u0003\u0004 not really') },
      { name: 'huge.png', mimeType: 'image/png', buffer: png(1500, 1500, [0, 0, 0], true) },
    ]);
    const chips = await pendingChips(page, 2);
    expect(chips[0]).toMatch(/archive\.zip.*Not attached: .*images \(PNG, JPEG, GIF, WebP\), PDFs, or text/);
    expect(chips[1]).toMatch(/huge\.png.*Not attached: .*\b5 MB\b/);
    expect(await page.locator('.pending-files .file-chip.refused').count()).toBe(2);
    // Nothing can be sent with only refused files.
    expect(await page.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
    await shot(page, 'attachment-refused');
    // Words go without them, and the refused chips are gone with the message.
    await sendAndWait(page, 'only words then');
    expect(await page.locator('.message.user .message-files').count()).toBe(0);
    expect(await page.locator('.pending-files').count()).toBe(0);
  });

  it('stores the same image once, sent in two chats', async () => {
    const page = await suite.open();
    const image = screenshot('same.png', 48, 48);
    await newChat(page);
    await pasteFiles(page, [image]);
    await pendingChips(page, 1);
    await sendAndWait(page, 'first chat');
    const first = (await sentImages(page))[0]!.src;
    await newChat(page);
    await attachByPicker(page, [image]);
    await pendingChips(page, 1);
    await sendAndWait(page, 'second chat');
    const second = (await sentImages(page))[0]!.src;
    expect(second).toBe(first);
    const bodies = await page.evaluate(async (url) => [...new Uint8Array(await (await fetch(url)).arrayBuffer())].length, first!);
    expect(bodies).toBe(image.buffer.length);
  });

  it('keeps a hostile file name as text: no element made from it, no script run', async () => {
    const page = await suite.open();
    const seen = dialogs(page);
    const name = '<img src=x onerror=alert(1)>.png';
    await newChat(page);
    await attachByPicker(page, [screenshot(name, 20, 20)]);
    expect((await pendingChips(page, 1))[0]).toContain(name);
    await sendAndWait(page, 'a file with a strange name');
    await page.reload();
    await page.locator('.message.user .message-files img').waitFor(SETTLE);
    expect(await page.getByRole('link', { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, PNG`) }).count()).toBe(1);
    expect(await page.locator('img[src="x"], [onerror]').count()).toBe(0);
    expect(seen).toEqual([]);
  });

  it('names every new control and works from the keyboard: attach, remove, and the focus after', async () => {
    const page = await suite.open();
    // Listening from the start: the browser is told to hand the picker over before any key is pressed.
    const choosers: FileChooser[] = [];
    page.on('filechooser', (c) => choosers.push(c));
    await newChat(page);
    await page.locator('#composer-input').focus();
    await page.keyboard.press('Shift+Tab');
    expect((await focused(page)).name).toBe('Attach files');
    await page.keyboard.press('Enter');
    await expect.poll(() => choosers.length, SETTLE).toBe(1);
    await choosers[0]!.setFiles([screenshot('one.png', 10, 10), screenshot('two.png', 12, 12)]);
    await pendingChips(page, 2);
    expect(await unnamedControls(page)).toEqual([]);
    // Removing a file moves the focus to the next one's ×, then to the message box.
    await page.getByRole('button', { name: 'Remove one.png' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(page)).name, SETTLE).toBe('Remove two.png');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(page)).tag, SETTLE).toBe('textarea');
    expect(await page.locator('.pending-files').count()).toBe(0);
    await pasteFiles(page, [screenshot('kept.png', 30, 20)]);
    await pendingChips(page, 1);
    await sendAndWait(page, 'named things');
    expect(await unnamedControls(page)).toEqual([]);
    await expect.poll(() => page.locator('.message.assistant').count(), REPLY).toBe(1);
  });
});
