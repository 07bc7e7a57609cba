#!/usr/bin/env node
// `npm run bench`: figures measured in one run on this machine, printed next to their goals.
// Ratios compare two things measured back to back, which survives a noisy 2-core machine better
// than absolute times do.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';
import WebSocket from 'ws';
import { writeBenchmark } from './bench/writes.mjs';
import { pingBenchmark } from './bench/ping.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Every scratch folder of the run (stores of up to 270 MB, the browser's profile) lands in one,
// removed on exit: os.tmpdir() follows TMPDIR, here and in the processes this script starts.
const scratch = mkdtempSync(join(tmpdir(), 'theater-chat-bench-'));
process.env.TMPDIR = scratch;
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
const rows = [];
const report = (name, value, goal, ok) => rows.push({ name, value, goal, ok });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

async function bundle(entry, name) {
  const file = join(root, 'dist/build', `${name}.mjs`);
  await build({ input: join(root, entry), platform: 'node', external: [/^[^./]/], output: { file, format: 'esm' }, logLevel: 'warn' });
  return import(file);
}

const { HOST_PROCESS_ENV: hostEnv } = await import(join(root, 'dist/host/cli.js'));

function startHost(data, manifest = join(root, 'actor.toml')) {
  const started = performance.now();
  const proc = spawn(process.execPath, [join(root, 'bin/theater-chat.js'), 'run', manifest, '--port', '0', '--data', data], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...hostEnv },
  });
  let out = '';
  let err = '';
  proc.stderr.on('data', (d) => (err += d));
  const url = new Promise((resolve, reject) => {
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /listening (http:\/\/[^/]+)\//.exec(out);
      if (m) resolve(m[1]);
    });
    proc.once('exit', (code) => reject(new Error(`host exited ${code}: ${err}`)));
  });
  return { proc, started, url, stop: () => new Promise((r) => (proc.once('exit', r), proc.kill('SIGTERM'))) };
}

async function coldStart() {
  const host = startHost(mkdtempSync(join(tmpdir(), 'bench-cold-')));
  const url = await host.url;
  for (;;) {
    const res = await fetch(`${url}/api/health`).catch(() => undefined);
    if (res?.status === 200) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  const ms = performance.now() - host.started;
  await host.stop();
  report('cold start: process start → first 200 from /api/health', `${(ms / 1000).toFixed(2)} s`, '≤ 3 s', ms <= 3000);
}

/** A WebSocket chat client for the benchmarks: hello first, one command at a time. */
async function chatClient(url) {
  const html = await (await fetch(`${url}/`)).text();
  const token = /name="theater-chat-session" content="([0-9a-f]+)"/.exec(html)[1];
  return socketClient(`${url.replace('http', 'ws')}/ws`, token);
}

async function socketClient(wsUrl, token) {
  const ws = new WebSocket(wsUrl);
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
  const waiting = new Map();
  const watchers = new Set();
  let n = 0;
  ws.on('message', (data, isBinary) => {
    const frame = JSON.parse(isBinary ? Buffer.from(data).toString('utf8') : String(data));
    for (const watch of watchers) watch(frame);
    const w = waiting.get(frame.request_id);
    if (w) (waiting.delete(frame.request_id), w(frame));
  });
  /** Resolves with the next frame of this type, event or reply. */
  const next = (type) =>
    new Promise((resolve) => {
      const watch = (frame) => frame.type === type && (watchers.delete(watch), resolve(frame));
      watchers.add(watch);
    });
  const command = (c) => new Promise((r) => {
    const id = `b${++n}`;
    waiting.set(id, r);
    ws.send(JSON.stringify({ ...c, request_id: id }));
  });
  await command({ type: 'hello', token });
  return { command, next, close: () => ws.close() };
}

async function timed(fn) {
  const t = performance.now();
  const result = await fn();
  return [performance.now() - t, result];
}

async function chatBenchmarks() {
  const { buildChatFixture, nativeBranchTimes } = await bundle('scripts/bench/chat.ts', 'bench-chat');
  const built = performance.now();
  const fixture = await buildChatFixture();
  const buildSeconds = (performance.now() - built) / 1000;
  const { ActorHost, initStateBytes } = await import(join(root, 'dist/host/cli.js'));
  const actor = new ActorHost({
    component: join(root, 'dist/chat.wasm'),
    initState: initStateBytes({ port: 0 }, {}),
    storeRoot: fixture.storeRoot,
    allowedEnv: [],
    log: () => undefined,
  });
  await actor.start();
  const { host, port } = actor.framework.listening()[0];
  const client = await chatClient(`http://${host}:${port}`);

  // Append: the same number of sends at both depths, interleaved so noise falls on both.
  const shallow = [];
  const deep = [];
  const stateBytes = {};
  for (let round = 0; round < 10; round++) {
    for (const [chat, into] of [[fixture.chats.shallow, shallow], [fixture.chats.deep, deep]]) {
      for (let i = 0; i < 20; i++) {
        const [ms, reply] = await timed(() => client.command({ type: 'send_message', chat_id: chat, content: `bench ${round}.${i}` }));
        if (reply.type !== 'message_added') throw new Error(JSON.stringify(reply));
        into.push(ms);
      }
      stateBytes[chat] = actor.lastStateBytes;
    }
  }
  const appendRatio = median(deep) / median(shallow);
  report(`store for these figures built natively (10 + 1,000 + 10,000 messages)`, `${buildSeconds.toFixed(1)} s`, '', true);
  report('append at depth 10, median (component)', `${median(shallow).toFixed(2)} ms`, '', true);
  report('append at depth 10,000, median (component)', `${median(deep).toFixed(2)} ms`, '', true);
  report('append ratio depth 10,000 / depth 10', appendRatio.toFixed(2), '≤ 1.2', appendRatio <= 1.2);
  const small = stateBytes[fixture.chats.shallow];
  const large = stateBytes[fixture.chats.deep];
  report('actor state per call, chat of 10 / of 10,000 messages', `${small} B / ${large} B`, '≤ 4 KiB, flat', small <= 4096 && large <= 4096 && Math.abs(large - small) <= 64);

  // A 1,000-message branch in one reply.
  const component = [];
  for (let i = 0; i < 15; i++) {
    const [ms, reply] = await timed(() => client.command({ type: 'get_branch', chat_id: fixture.chats.k1000 }));
    if (reply.messages.length !== 1000) throw new Error(`branch has ${reply.messages.length} messages`);
    component.push(ms);
  }
  const native = await nativeBranchTimes(fixture.storeRoot, fixture.chats.k1000, 15);
  const branchRatio = median(component) / median(native);
  report('whole branch of 1,000 messages: first read after start (nothing cached)', `${component[0].toFixed(1)} ms`, '≤ 100 ms', component[0] <= 100);
  report('whole branch of 1,000 messages, one reply: component', `${median(component).toFixed(1)} ms`, '≤ 50 ms', median(component) <= 50);
  report('whole branch of 1,000 messages: core natively (same store)', `${median(native).toFixed(1)} ms`, '', true);
  report('branch ratio component / native', branchRatio.toFixed(2), '≤ 3', branchRatio <= 3);
  // Search over every message (10,000+ in the deep chat), through the component.
  // Half the queries hit nearly every message ("lorem"), half are rare words: both matter to people.
  const words = ['lorem ipsum', 'message 9999', 'deep 4321', 'shallow', 'k1000 512', 'bench', 'message', 'ipsum 77'];
  const [firstSearchMs, first] = await timed(() => client.command({ type: 'search', query: 'lorem' }));
  if (first.type !== 'search_results') throw new Error(JSON.stringify(first).slice(0, 200));
  const queries = [];
  for (let i = 0; i < 20; i++) queries.push((await timed(() => client.command({ type: 'search', query: `${words[i % words.length]} ${i}` })))[0]);
  report('search: first query after start (loads the index from the store)', `${firstSearchMs.toFixed(0)} ms`, '', true);
  report('search over 11,010 messages, median query (component)', `${median(queries).toFixed(1)} ms`, '≤ 50 ms', median(queries) <= 50);
  client.close();
  await actor.stop();
  const { appendCost } = await bundle('scripts/bench/chat.ts', 'bench-chat');
  const cost = await appendCost();
  report('search index update per append, natively: append with / without it', `${cost.withIndex.toFixed(2)} ms / ${cost.without.toFixed(2)} ms`, '', true);
}

async function uiBenchmark() {
  const { buildUiFixture } = await bundle('scripts/bench/chat.ts', 'bench-chat');
  const fixture = await buildUiFixture();
  const { ActorHost, initStateBytes } = await import(join(root, 'dist/host/cli.js'));
  const actor = new ActorHost({ component: join(root, 'dist/chat.wasm'), initState: initStateBytes({ port: 0 }, {}), storeRoot: fixture.storeRoot, allowedEnv: [], log: () => undefined });
  await actor.start();
  const { host, port } = actor.framework.listening()[0];
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const times = [];
  let worstFrame = 0;
  for (let run = 0; run < 3; run++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`http://${host}:${port}/#chat=${fixture.chatId}`);
    // From navigation start to the whole branch in the page, the last reply rendered as Markdown.
    await page.waitForFunction(() => document.querySelectorAll('.message').length === 1000 && document.querySelector('.message:last-of-type .markdown .code'), null, { timeout: 30_000 });
    times.push(await page.evaluate(() => performance.now()));
    // Scroll to the top in screenfuls and keep the longest frame.
    const frame = await page.evaluate(async () => {
      const el = document.querySelector('.messages');
      let worst = 0;
      let last = performance.now();
      while (el.scrollTop > 0) {
        el.scrollTop = Math.max(0, el.scrollTop - el.clientHeight);
        await new Promise((r) => requestAnimationFrame(r));
        const now = performance.now();
        worst = Math.max(worst, now - last);
        last = now;
      }
      return worst;
    });
    worstFrame = Math.max(worstFrame, frame);
    await page.close();
  }
  await browser.close();
  await actor.stop();
  report('UI: open a branch of 1,000 messages (navigation → all shown), median of 3', `${median(times).toFixed(0)} ms`, '< 1 s', median(times) < 1000);
  report('UI: longest frame while scrolling it to the top', `${worstFrame.toFixed(0)} ms`, '', true);
}

async function generationBenchmark() {
  const { startMockClaude } = await bundle('scripts/mock-claude/server.ts', 'bench-mock');
  const mock = await startMockClaude();
  process.env.ANTHROPIC_API_KEY = 'bench-key-for-the-mock';
  process.env.ANTHROPIC_BASE_URL = mock.url;
  const { ActorHost, initStateBytes } = await import(join(root, 'dist/host/cli.js'));
  const actor = new ActorHost({
    component: join(root, 'dist/chat.wasm'),
    initState: initStateBytes({ port: 0 }, {}),
    storeRoot: join(mkdtempSync(join(tmpdir(), 'bench-gen-')), 'store'),
    filesystemBase: join(root, 'assets'),
    allowedEnv: ['ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL'],
    manifestDir: root,
    log: () => undefined,
  });
  await actor.start();
  const { host, port } = actor.framework.listening()[0];
  const url = `http://${host}:${port}`;
  const a = await chatClient(url);
  const b = await chatClient(url);
  const chat = await b.command({ type: 'create_chat', name: 'busy tab' });
  for (let i = 0; i < 20; i++) await b.command({ type: 'send_message', content: `history ${i}` });
  const mix = [{ type: 'list_chats' }, { type: 'get_branch', chat_id: chat.chat.id }, { type: 'send_message', chat_id: chat.chat.id, content: 'while busy' }, { type: 'ping' }];
  const sample = async (ms) => {
    const out = [];
    const end = performance.now() + ms;
    for (let i = 0; performance.now() < end; i++) out.push((await timed(() => b.command(mix[i % mix.length])))[0]);
    return out;
  };
  await sample(1000);
  const idle = await sample(4000);
  await a.command({ type: 'create_chat', name: 'slow' });
  await a.command({ type: 'send_message', content: '[[delay:5000]] a long answer' });
  const started = await a.command({ type: 'generate_llm_response' });
  if (started.type !== 'generation_started') throw new Error(JSON.stringify(started));
  const busy = await sample(4000);
  a.close();
  b.close();
  await actor.stop();
  await mock.close();
  const fmt = (xs) => `median ${median(xs).toFixed(1)} ms, p99 ${percentile(xs, 0.99).toFixed(1)} ms (${xs.length} commands)`;
  report('other commands, no generation running', fmt(idle), '', true);
  report('other commands while a 5 s generation runs (child actor)', fmt(busy), 'p99 ≤ 100 ms', percentile(busy, 0.99) <= 100);
}

/**
 * What c50's event chain keeps per operation (issue 13: it is never trimmed), from the host's chain
 * account of the chat actor (and of its generator for a reply): export params and results as
 * c50 records them (src/host/chain-account.ts).
 */
async function chainBenchmark() {
  const { startMockClaude } = await bundle('scripts/mock-claude/server.ts', 'bench-mock');
  const { buildUiFixture } = await bundle('scripts/bench/chat.ts', 'bench-chat');
  const mock = await startMockClaude();
  process.env.ANTHROPIC_API_KEY = 'bench-key-for-the-mock';
  process.env.ANTHROPIC_BASE_URL = mock.url;
  const fixture = await buildUiFixture();
  const { TheaterServer } = await import(join(root, 'dist/host/cli.js'));
  const server = new TheaterServer({ storeRoot: fixture.storeRoot, log: () => undefined });
  const chat = await server.startActor(join(root, 'actor.toml'), { port: 0 });
  const { host, port } = server.framework.listening(chat)[0];
  const url = `http://${host}:${port}`;
  const spent = async (fn) => {
    const before = chat.chainBytes;
    await fn();
    return chat.chainBytes - before;
  };
  const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
  // Page loads in Chromium, with its real request headers; the HTTP part is what handle-request
  // added, the rest (hello, the chat list, the branch) travels over the WebSocket.
  const http = () => chat.chainByExport.get('httpHandlers.handleRequest')?.bytes ?? 0;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const context = await browser.newContext();
  const load = async () => {
    const page = await context.newPage();
    const [before, all] = [http(), chat.chainBytes];
    await page.goto(`${url}/#chat=${fixture.chatId}`);
    await page.waitForFunction(() => document.querySelectorAll('.message').length === 1000, null, { timeout: 30_000 });
    const result = { http: http() - before, all: chat.chainBytes - all };
    await page.close();
    return result;
  };
  const cold = await load();
  const warm = await load();
  await browser.close();
  report('chain per page load in Chromium, cold cache: HTTP (page + every asset)', kb(cold.http), '', true);
  report('chain per page load in Chromium, warm cache: HTTP', kb(warm.http), '≤ 8 KB', warm.http <= 8192);
  report('chain per page load in Chromium, warm cache: HTTP and WebSocket (hello, list, 1,000-message branch)', kb(warm.all), '', true);

  const client = await chatClient(url);
  const N = 20;
  const ping = (await spent(async () => {
    for (let i = 0; i < N; i++) await client.command({ type: 'ping' });
  })) / N;
  report('chain per ping', kb(ping), '', true);
  const created = await client.command({ type: 'create_chat', name: 'chain' });
  if (created.type !== 'chat_created') throw new Error(JSON.stringify(created));
  const content = 'How much does one message cost the chain? '.repeat(5);
  const send = await spent(() => client.command({ type: 'send_message', content }));
  const own = new TextEncoder().encode(content).length;
  report(`chain per send_message (message of ${own} B)`, `${kb(send)} = ${kb(send - own)} + the message`, '≤ 4 KB + the message', send - own <= 4096);
  const generators = () => server.childrenOf(chat.id).map((id) => server.actor(id)).filter(Boolean);
  const generatorBefore = generators().reduce((n, g) => n + g.chainBytes, 0);
  const reply = await spent(async () => {
    const finished = client.next('generation_finished');
    const started = await client.command({ type: 'generate_llm_response' });
    if (started.type !== 'generation_started') throw new Error(JSON.stringify(started));
    await finished;
  });
  const generatorSpent = generators().reduce((n, g) => n + g.chainBytes, 0) - generatorBefore;
  report('chain per reply: chat actor (the command and the answer on the channel)', kb(reply), '', true);
  report('chain per reply: its generator (the job carries the branch)', kb(generatorSpent), '', true);
  const branch = await spent(() => client.command({ type: 'get_branch', chat_id: fixture.chatId }));
  report('chain per read of a 1,000-message branch (WebSocket)', kb(branch), '', true);
  report('actor state after these (bytes per call, kept twice per call)', `${chat.lastStateBytes} B`, '≤ 256 B', chat.lastStateBytes <= 256);
  client.close();
  await server.shutdown();
  await mock.close();
}

function componentSize() {
  for (const name of ['chat.wasm', 'generator.wasm']) {
    const bytes = statSync(join(root, 'dist', name)).size;
    report(`component size (dist/${name})`, `${(bytes / 1e6).toFixed(2)} MB`, '', true);
  }
}

const only = process.argv[2];
if (!only || only === 'foundation') {
  await coldStart();
  await pingBenchmark({ root, report, startHost, bundle, env: { ...process.env, ...hostEnv } });
  componentSize();
}
if (!only || only === 'chat') await chatBenchmarks();
if (!only || only === 'writes') {
  const { startNativeServer } = await bundle('scripts/bench/native.ts', 'bench-native');
  // BENCH_PER_CLIENT=250 makes the 5,000 appends of the memory goal.
  const perClient = Number(process.env.BENCH_PER_CLIENT ?? 50);
  await writeBenchmark({ root, report, chatClient, perClient, native: { startNativeServer, socketClient } });
  await writeBenchmark({ root, report, chatClient, perClient, native: { startNativeServer, socketClient }, shared: true });
}
// The same writes with a longer chat list (BENCH_EXISTING=200): an append must not cost more for it.
if (only === 'writes' && process.env.BENCH_EXISTING) await writeBenchmark({ root, report, chatClient, existing: Number(process.env.BENCH_EXISTING) });
if (!only || only === 'generation') await generationBenchmark();
if (!only || only === 'ui') await uiBenchmark();
if (!only || only === 'chain') await chainBenchmark();

const width = Math.max(...rows.map((r) => r.name.length));
console.log(`\ntheater-chat benchmarks (${new Date().toISOString()}, node ${process.version})\n`);
for (const r of rows) console.log(`${r.ok ? ' ' : '✗'} ${r.name.padEnd(width)}  ${String(r.value).padEnd(28)} ${r.goal}`);
const failed = rows.filter((r) => !r.ok);
if (failed.length) {
  console.log(`\n${failed.length} figure(s) missed their goal`);
  process.exitCode = 1;
}
// The write phase runs an ActorHost in this process: its generator child (spawned at init, owned by
// a theater-server that this bench does not make) would keep the process alive after the figures.
process.exit();
