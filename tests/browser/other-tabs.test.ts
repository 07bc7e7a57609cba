/**
 * What happens in other tabs shows here: which chats are being answered (the list's dot, whoever
 * asked and whichever chat is open), a reply that ended unseen, a chat deleted mid-reply, another
 * tab's failure (retried by the pages showing that chat only), and a refusal because another tab's
 * reply has just started. Desktop size, dark mode.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ChatClient } from '../helpers/chat-client.js';
import { atClaude, browserSuite, REPLY, SETTLE, holdServerFrames, newChat, renameOpenChat, sendAndWait } from '../helpers/ui-page.js';

const suite = browserSuite();
const darkDesktop = () => suite.open({ dark: true });

/** Everything the page sends to the server from now on (it reloads to route its socket). */
async function watchSent(page: Page): Promise<string[]> {
  const sent: string[] = [];
  await page.routeWebSocket(/\/ws$/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((m) => (sent.push(String(m)), server.send(m)));
    server.onMessage((m) => ws.send(m));
  });
  await page.reload();
  return sent;
}

/** Lets Claude answer the held request about `words`, once it has arrived there (a reply is asked for a moment after it starts). */
async function releaseAtClaude(words: string): Promise<void> {
  await atClaude(suite.mock, words);
  suite.mock.release(words);
}

describe('what other tabs do shows here', () => {
  it('shows a reply as ended when its chat is opened, even if the word that it ended never came', async () => {
    const page = await darkDesktop();
    const finished = await holdServerFrames(page, (text) => text.includes('"type":"generation_finished"'));
    await newChat(page);
    const box = page.locator('#composer-input');
    await box.fill('a question answered while away [[hold]]');
    await box.press('Enter');
    await page.locator('.composer .stop').waitFor(SETTLE);
    const away = await page.evaluate(() => /#chat=(.+)$/.exec(location.hash)![1]!);
    await atClaude(suite.mock, 'answered while away');
    // Elsewhere: a new chat. Then the reply is written; the frame saying so is held back.
    await page.getByRole('button', { name: '+ New chat' }).click();
    await expect.poll(() => page.evaluate(() => /#chat=(.+)$/.exec(location.hash)![1]!), SETTLE).not.toBe(away);
    suite.mock.release('answered while away');
    const stored = async () => ((await (await fetch(`${suite.host.url}/api/chats/${away}/messages`)).json()) as { messages: { role: string }[] }).messages.map((m) => m.role);
    await expect.poll(stored, REPLY).toEqual(['user', 'assistant']);
    await expect.poll(() => finished.count(), REPLY).toBe(1);
    await page.locator(`.chat-item:has(.dot) .chat-open`).first().click();
    await expect.poll(() => page.locator('.message.assistant').count(), SETTLE).toBe(1);
    await expect.poll(() => page.locator('.composer .stop').count(), SETTLE).toBe(0);
    expect(await page.locator('.chat-item .dot').count(), 'no chat marked as generating').toBe(0);
  });

  /**
   * A chat with one answered question, left for a new chat; another tab (a plain client) then
   * works in the chat left behind.
   */
  async function leaveForAnotherTab(page: Page, question: string) {
    await newChat(page);
    await sendAndWait(page, question);
    const left = await page.evaluate(() => /#chat=(.+)$/.exec(location.hash)![1]!);
    const questionId = (await page.locator('.message.user').first().getAttribute('data-id'))!;
    await page.getByRole('button', { name: '+ New chat' }).click();
    await expect.poll(() => page.evaluate(() => /#chat=(.+)$/.exec(location.hash)![1]!), SETTLE).not.toBe(left);
    const other = await ChatClient.open(suite.host.url);
    await other.command({ type: 'switch_chat', chat_id: left });
    return { other, left, regenerate: () => other.command({ type: 'generate_llm_response', chat_id: left, parent_id: questionId }) };
  }

  it('marks in the list a chat being answered elsewhere, and unmarks it when the reply ends, without opening it', async () => {
    const page = await darkDesktop();
    const { other, regenerate } = await leaveForAnotherTab(page, 'a question another tab asks again');
    const dotted = page.locator('.chat-item:has(.dot)');
    expect(await dotted.count()).toBe(0);
    // The other tab asks for a new reply; Claude holds it.
    suite.mock.queueFaults([{ hold: true }]);
    expect(await regenerate()).toMatchObject({ type: 'generation_started' });
    await expect.poll(() => dotted.count(), SETTLE).toBe(1);
    expect(await dotted.getAttribute('class'), 'the chat being answered, not the one open').not.toContain('current');
    await releaseAtClaude('another tab asks again');
    await expect.poll(() => dotted.count(), REPLY).toBe(0);
    await other.close();
  });

  it('keeps a draft with its chat, and says so when the open chat is deleted in another tab', async () => {
    const page = await darkDesktop();
    await newChat(page);
    await sendAndWait(page, 'the first chat');
    await renameOpenChat(page, suite.host.url, 'Draft one');
    const first = await page.evaluate(() => /#chat=(.+)$/.exec(location.hash)![1]!);
    const box = page.locator('#composer-input');
    await box.fill('half a thought for the first chat');
    await newChat(page);
    expect(await box.inputValue(), 'a draft does not follow into another chat').toBe('');
    await box.fill('another draft');
    await page.locator('.chat-item', { hasText: 'Draft one' }).locator('.chat-open').click();
    await expect.poll(() => box.inputValue(), SETTLE).toBe('half a thought for the first chat');
    // Deleted elsewhere while open here: a word about it, and the draft does not move along.
    expect((await fetch(`${suite.host.url}/api/chats/${first}`, { method: 'DELETE' })).status).toBe(200);
    await expect.poll(() => page.locator('.notice.info').filter({ hasText: '“Draft one” was deleted in another tab or window' }).count(), SETTLE).toBe(1);
    await expect.poll(() => box.inputValue(), SETTLE).not.toBe('half a thought for the first chat');
  });

  it('stops waiting for the reply of a chat deleted while it was being written', async () => {
    const page = await darkDesktop();
    const sent = await watchSent(page);
    const { other, left, regenerate } = await leaveForAnotherTab(page, 'a question in a chat about to go');
    suite.mock.queueFaults([{ hold: true }]);
    expect(await regenerate()).toMatchObject({ type: 'generation_started' });
    await expect.poll(() => page.locator('.chat-item:has(.dot)').count(), SETTLE).toBe(1);
    // While a reply is coming the page pings every 3 s, so that the actor hands it over.
    await expect.poll(() => sent.filter((m) => m.includes('"type":"ping"')).length, SETTLE).toBeGreaterThan(0);
    expect((await fetch(`${suite.host.url}/api/chats/${left}`, { method: 'DELETE' })).status).toBe(200);
    await expect.poll(() => page.locator('.chat-item').filter({ hasText: 'a question in a chat about to go' }).count(), SETTLE).toBe(0);
    // Nothing more is said about that reply: the deletion itself ends the wait, and the pings.
    const pings = sent.filter((m) => m.includes('"type":"ping"')).length;
    await page.waitForTimeout(4000);
    expect(sent.filter((m) => m.includes('"type":"ping"')).length, 'no ping after the chat was deleted').toBe(pings);
    await releaseAtClaude('a chat about to go');
    await other.close();
  });

  it("leaves the automatic retry of another chat's failed reply to the pages showing that chat", async () => {
    const page = await darkDesktop();
    const sent = await watchSent(page);
    const { other, left, regenerate } = await leaveForAnotherTab(page, 'a question whose next reply fails elsewhere');
    const asked = () => suite.mock.requests.filter((r) => JSON.stringify(r.body ?? '').includes('whose next reply fails elsewhere')).length;
    const before = asked();
    // The other tab asks; Claude is overloaded and says to try again in 1 s. That tab does not retry.
    suite.mock.queueFaults([{ status: 529, retry_after: 1 }]);
    expect(await regenerate()).toMatchObject({ type: 'generation_started' });
    await other.until((f) => f.type === 'generation_failed' && f.chat_id === left);
    await expect.poll(() => page.locator('.chat-item .dot').count(), SETTLE).toBe(0);
    // Well past the 1 s: a page that retried would have sent it by now.
    await page.waitForTimeout(3000);
    expect(sent.filter((m) => m.includes('"type":"retry"')), 'no retry from this page').toEqual([]);
    expect(asked() - before, 'Claude asked once, by the tab that asked').toBe(1);
    await other.close();
  });

  it("keeps Stop when its own request is refused because another tab's reply to that message has just started", async () => {
    const page = await darkDesktop();
    let holding = false;
    const frames = await holdServerFrames(page, (text) => holding && (text.includes('"type":"generation_started"') || text.includes('"code":"conflict"')));
    await newChat(page);
    await sendAndWait(page, 'the question two tabs answer');
    const chatId = await page.evaluate(() => /#chat=(.+)$/.exec(location.hash)![1]!);
    const question = (await page.locator('.message.user').first().getAttribute('data-id'))!;
    // Another tab asks for a new reply to that question, and Claude holds it.
    const other = await ChatClient.open(suite.host.url);
    await other.command({ type: 'switch_chat', chat_id: chatId });
    holding = true;
    suite.mock.queueFaults([{ hold: true }]);
    expect(await other.command({ type: 'generate_llm_response', chat_id: chatId, parent_id: question })).toMatchObject({ type: 'generation_started' });
    await expect.poll(() => frames.count(), SETTLE).toBe(1);
    // This page, not told yet, asks for the same: refused. It hears of the other reply first.
    await page.locator('.message.assistant').first().getByRole('button', { name: 'Regenerate' }).click();
    await expect.poll(() => frames.count(), SETTLE).toBe(2);
    holding = false;
    frames.release();
    await renameOpenChat(page, suite.host.url, 'renamed after the refusal');
    expect(await page.locator('.composer .stop').count(), "the other tab's reply is still being written").toBe(1);
    await releaseAtClaude('the question two tabs answer');
    await expect.poll(() => page.locator('.composer .stop').count(), REPLY).toBe(0);
    await other.close();
  });
});
