import { it } from 'vitest';
import { shot } from '../helpers/browser.js';
import { browserSuite, newChat, sendAndWait } from '../helpers/ui-page.js';
const suite = browserSuite();
it('menu looks', async () => {
  for (const [w, h, dark, tag] of [[1280, 800, false, 'desk'], [1600, 900, false, 'wide'], [390, 844, true, 'phone']] as const) {
    const page = await suite.open({ width: w, height: h, dark });
    await newChat(page);
    await sendAndWait(page, 'hello');
    await page.getByRole('button', { name: 'Chat options' }).click();
    await page.getByRole('checkbox', { name: 'Web search' }).check();
    await page.waitForTimeout(500);
    await shot(page, `scratch-menu-${tag}`);
    await page.close();
  }
});
