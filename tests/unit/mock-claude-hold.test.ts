/**
 * The mock's held requests and event log: the component and browser tests prove overlap and
 * "answered meanwhile" with them, so they must tell the truth themselves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockClaude, type MockClaude } from '../../scripts/mock-claude/server.js';

let mock: MockClaude;
beforeAll(async () => {
  mock = await startMockClaude();
});
afterAll(() => mock.close());

const ask = (content: string) =>
  fetch(`${mock.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'k', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model: 'claude-sonnet-5', max_tokens: 5, messages: [{ role: 'user', content }] }),
  });

describe('mock Claude: held requests and the request log', () => {
  it('keeps a [[hold]] request unanswered while others are answered, until it is released', async () => {
    let answered = false;
    const slow = ask('[[hold]] wait for me').then(async (r) => {
      answered = true;
      return (await r.json()) as { content: { text: string }[] };
    });
    await mock.until((log) => log.some((e) => e.event === 'received' && e.text.includes('wait for me')), 'held request');
    // Another request overtakes it: the hold is per request, not a stall of the mock.
    expect((await ask('quick')).status).toBe(200);
    expect(mock.inFlight()).toEqual(['[[hold]] wait for me']);
    expect(answered).toBe(false);
    expect(mock.release('no such text')).toBe(0);
    expect(mock.release('wait for me')).toBe(1);
    expect((await slow).content[0]!.text).toBe('Mock reply #1 to: “wait for me”');
    await mock.until((log) => log.some((e) => e.event === 'answered' && e.text.includes('wait for me')), 'answer to the held request');
    expect(mock.inFlight()).toEqual([]);
    const order = mock.log.map((e) => `${e.event} ${e.text}`);
    expect(order).toEqual(['received [[hold]] wait for me', 'received quick', 'answered quick', 'answered [[hold]] wait for me']);
  });

  it('holds a queued hold fault once, and logs a dropped connection as closed', async () => {
    mock.queueFaults([{ hold: true }, { drop: true }]);
    const first = ask('held by the queue');
    await mock.until((log) => log.some((e) => e.event === 'received' && e.text === 'held by the queue'), 'queued hold');
    await expect(ask('dropped')).rejects.toThrow();
    await mock.until((log) => log.some((e) => e.event === 'closed' && e.text === 'dropped'), 'closed entry');
    expect(mock.inFlight()).toEqual(['held by the queue']);
    mock.release();
    expect((await first).status).toBe(200);
    // The same text again is not held: the fault was for one request.
    expect((await ask('held by the queue')).status).toBe(200);
  });

  it('says what it waited for when the condition never holds', async () => {
    await expect(mock.until(() => false, 'miracle', 50)).rejects.toThrow(/no miracle within 50 ms/);
  });
});
