/**
 * Issue 13's "tests that fail on today's design": the real chat component (dist/chat.wasm, the
 * repository's actor.toml and generator.toml) in one Node host that shares handler state between
 * actors as c50's theater-server does (src/host/theater-server.ts). A reply must survive:
 *  (a) a request to the chat's own server after it (a generator importing http-framework stops every server when it exits);
 *  (b) the chat actor stopped and started again inside the same running host (the supervisor receiver stays with the first instance);
 *  (c) another supervising actor started first (it takes the only supervisor receiver).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ActorHost } from '../../src/host/actor-host.js';
import type { TheaterServer } from '../../src/host/theater-server.js';
import { startMockClaude, type MockClaude } from '../../scripts/mock-claude/server.js';
import { ChatClient } from '../helpers/chat-client.js';
import { ROOT, tempDir } from '../helpers/host.js';
import { TEST_API_KEY } from '../helpers/secrets.js';
import { SERVER_ACTOR, buildServerFixtures } from '../fixtures/server-fixtures.js';
import type { Frame } from '../scenarios/driver.js';

// The built host, whose worker is compiled JavaScript (run `node scripts/build.mjs --if-stale` first).
const { TheaterServer: Server } = (await import(join(ROOT, 'dist/host/cli.js'))) as typeof import('../../src/host/cli.js');

let mock: MockClaude;
let server: TheaterServer | undefined;
const log: string[] = [];
const isEnd = (f: Frame) => f.type === 'generation_finished' || f.type === 'generation_failed';

beforeAll(async () => {
  await buildServerFixtures();
  mock = await startMockClaude();
  // The environment handler hands the actor the host process's variables.
  process.env.ANTHROPIC_API_KEY = TEST_API_KEY;
  process.env.ANTHROPIC_BASE_URL = mock.url;
}, 300_000);

afterEach(async () => {
  await server?.shutdown();
  server = undefined;
});

afterAll(async () => {
  await mock.close();
});

function newServer(spawnDelayMs = 0): TheaterServer {
  const data = tempDir();
  mkdirSync(join(data, 'store'), { recursive: true });
  server = new Server({ storeRoot: join(data, 'store'), log: (l) => log.push(l), spawnDelayMs });
  return server;
}

/** `theater start actor.toml` (the repository's manifest, on any free port) inside the running server. */
async function startChat(s: TheaterServer): Promise<{ chat: ActorHost; url: string }> {
  const chat = await s.startActor(join(ROOT, 'actor.toml'), { port: 0 });
  const [listening] = s.framework.listening(chat);
  if (!listening) throw new Error(`the chat actor serves nothing:\n${log.join('\n')}`);
  return { chat, url: `http://127.0.0.1:${listening.port}` };
}

/** Sends a message, asks for a reply and returns the frame that ended the generation. */
async function reply(url: string, content: string): Promise<Frame> {
  const client = await ChatClient.open(url);
  try {
    await client.command({ type: 'create_chat', name: 'c50' });
    await client.command({ type: 'send_message', content });
    const started = await client.command({ type: 'generate_llm_response' });
    expect(started.type, JSON.stringify(started)).toBe('generation_started');
    const frames = await client.until(isEnd, 30_000).catch((e: Error) => {
      throw new Error(`${e.message}; the host's log ends:\n${log.slice(-8).join('\n')}`);
    });
    return frames.find(isEnd)!;
  } finally {
    await client.close();
  }
}

describe('replies on a host that shares handler state as c50 does', () => {
  it('(a) the chat still serves after a reply', async () => {
    const s = newServer();
    const { url } = await startChat(s);
    expect((await reply(url, 'hello')).type).toBe('generation_finished');
    // Let the generator's exit, if any, run its course.
    await new Promise((r) => setTimeout(r, 1000));
    const page = await fetch(`${url}/`).then((r) => r.status, (e: Error) => `no answer: ${e.message}`);
    expect(page, log.slice(-5).join('\n')).toBe(200);
  });

  it('(b) replies after the chat actor is stopped and started again in the same host', async () => {
    const s = newServer();
    const first = await startChat(s);
    await s.stopActor(first.chat.id);
    const again = await startChat(s);
    expect((await reply(again.url, 'after a restart')).type).toBe('generation_finished');
  });

  it('(c) replies while another supervising actor was started first', async () => {
    const s = newServer();
    const folder = tempDir();
    writeFileSync(join(folder, 'init.json'), JSON.stringify({}));
    const other = join(folder, 'actor.toml');
    writeFileSync(other, `name = "other-supervisor"\nversion = "0.0.1"\ncomponent = ${JSON.stringify(SERVER_ACTOR)}\ninit_state = "init.json"\n`);
    await s.startActor(other);
    const { url } = await startChat(s);
    expect((await reply(url, 'second supervisor')).type).toBe('generation_finished');
  });

  it('(d) as a new user: send, get the reply, send again at once, get the second reply', async () => {
    const s = newServer();
    const { chat, url } = await startChat(s);
    const client = await ChatClient.open(url);
    await client.command({ type: 'create_chat', name: 'new user' });
    for (const content of ['first question', 'second question, right away']) {
      await client.command({ type: 'send_message', content });
      expect((await client.command({ type: 'generate_llm_response' })).type).toBe('generation_started');
      const end = (await client.until(isEnd, 30_000)).find(isEnd)!;
      expect(end.type, JSON.stringify(end)).toBe('generation_finished');
    }
    const branch = (await client.command({ type: 'get_branch' })) as Frame & { messages: { role: string }[] };
    expect(branch.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    // c50 keeps the state twice per call, for the actor's life: with this connection and the idle generators it stays small.
    expect(s.childrenOf(chat.id).length).toBeGreaterThanOrEqual(2);
    expect(chat.lastStateBytes).toBeLessThanOrEqual(256);
    await client.close();
  });

  it('(e) a reply asked for while the generator still compiles waits for it, then arrives', async () => {
    // c50 compiles a spawned component for seconds before it can take a channel (theater-c50.md §14).
    const s = newServer(3000);
    const { url } = await startChat(s);
    expect((await reply(url, 'right after the start')).type).toBe('generation_finished');
  });

  it('(f) a stuck generator is retired on a timeout without blocking the chat, and the next reply goes to another', async () => {
    const s = newServer();
    const { chat, url } = await startChat(s);
    const client = await ChatClient.open(url);
    await client.command({ type: 'create_chat', name: 'stuck' });
    const sent = (await client.command({ type: 'send_message', content: '[[hold]] never answered' })) as Frame & { message: { id: string } };
    await client.command({ type: 'generate_llm_response' });
    await mock.until(() => mock.inFlight().some((t) => t.includes('never answered')), 'the stuck request at Claude');
    // The generator started with the chat took the job.
    const [stuck] = s.childrenOf(chat.id);
    // Answered while the generator is still inside its call: the chat does not wait for it.
    const cancelled = await client.command({ type: 'cancel_generation', reason: 'timeout' });
    expect(cancelled).toMatchObject({ type: 'generation_failed', error: { code: 'timeout' } });
    expect(mock.inFlight().some((t) => t.includes('never answered'))).toBe(true);
    await client.command({ type: 'edit_message', message_id: sent.message.id, content: 'answer this one' });
    await client.command({ type: 'generate_llm_response' });
    const end = (await client.until(isEnd, 30_000)).find(isEnd)!;
    expect(end.type, JSON.stringify(end)).toBe('generation_finished');
    // The stuck one was still stuck all along; once Claude lets it go, it leaves.
    expect(mock.inFlight().some((t) => t.includes('never answered'))).toBe(true);
    mock.release('never answered');
    await expect.poll(() => !s.actor(stuck!) || s.actor(stuck!)!.stopped !== undefined, { timeout: 30_000 }).toBe(true);
    await client.close();
  });
});
