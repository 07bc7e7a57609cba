// Issue 16's write workload: many people typing at once, each in a chat of their own, through the
// component on the Node host. Beside the time it prints what one append costs the host: calls by
// name, files written, frames sent, and what c50's event chain would keep.
import { mkdirSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

/** b - a for every count of the tally. */
function spent(a, b) {
  const calls = {};
  for (const [name, c] of Object.entries(b.calls)) {
    const was = a.calls[name] ?? { calls: 0, argBytes: 0, resultBytes: 0, ms: 0 };
    if (c.calls > was.calls) calls[name] = { calls: c.calls - was.calls, argBytes: c.argBytes - was.argBytes, resultBytes: c.resultBytes - was.resultBytes, ms: c.ms - was.ms };
  }
  const exports = {};
  for (const [name, e] of Object.entries(b.exports)) {
    const was = a.exports[name] ?? { calls: 0, ms: 0 };
    if (e.calls > was.calls) exports[name] = { calls: e.calls - was.calls, ms: e.ms - was.ms };
  }
  const gaps = {};
  for (const [name, g] of Object.entries(b.gaps)) {
    const was = a.gaps[name] ?? { calls: 0, ms: 0 };
    if (g.calls > was.calls) gaps[name] = { calls: g.calls - was.calls, ms: g.ms - was.ms };
  }
  return { calls, exports, gaps, storeFiles: b.storeFiles - a.storeFiles, storeBytes: b.storeBytes - a.storeBytes, labelsInPlace: b.labelsInPlace - a.labelsInPlace, frames: b.frames - a.frames, frameBytes: b.frameBytes - a.frameBytes };
}

/** Everyone sends `perClient` messages into their own chat, one after another, all at once; the round trip of each. */
async function sendAll(people, perClient) {
  const times = [];
  const started = performance.now();
  await Promise.all(
    people.map(async (p, i) => {
      for (let n = 0; n < perClient; n++) {
        const t = performance.now();
        const reply = await p.command({ type: 'send_message', content: `writer ${i} says ${n}` });
        if (reply.type !== 'message_added') throw new Error(JSON.stringify(reply));
        times.push(performance.now() - t);
      }
    }),
  );
  return { times, seconds: (performance.now() - started) / 1000 };
}

/** A chat each, or (shared) one chat everyone switches to and watches. */
async function createChats(people, shared) {
  if (shared) {
    const created = await people[0].command({ type: 'create_chat', name: 'everyone' });
    if (created.type !== 'chat_created') throw new Error(JSON.stringify(created));
    for (const p of people.slice(1)) await p.command({ type: 'switch_chat', chat_id: created.chat.id });
    return;
  }
  for (const [i, p] of people.entries()) {
    const created = await p.command({ type: 'create_chat', name: `writer ${i}` });
    if (created.type !== 'chat_created') throw new Error(JSON.stringify(created));
  }
}

/** The same workload on the core natively (in-memory store, plain WebSocket server): the reference. */
async function nativeWrites({ startNativeServer, socketClient }, clients, perClient, shared) {
  const server = await startNativeServer();
  const people = await Promise.all(Array.from({ length: clients }, () => socketClient(server.url, server.token)));
  await createChats(people, shared);
  await sendAll(people, WARM_UP_PER_CLIENT);
  const run = await sendAll(people, perClient);
  for (const p of people) p.close();
  await server.close();
  return run;
}

/**
 * Messages each client sends before the timed ones, on the component and natively alike. A fresh
 * instance's first sends run code that has not been compiled well yet (V8 tiers up the engine's
 * wasm and the host's glue as they get hot): the first 100–300 of 1,000 waited up to 150 ms, the
 * rest at most 60 ms, so the p99 measured the start, not the load. The bench prints that start too.
 */
const WARM_UP_PER_CLIENT = 10;

/**
 * What creating one file costs in `dir` now, as the store creates its content files (a temporary
 * file, then a rename): on the development machine's ext4 it ranged from 15 to 600 µs within one
 * day, and it is most of the store's share of an append, so the bench prints it beside the times.
 */
function fileCreateMicros(dir, count = 300) {
  mkdirSync(dir, { recursive: true });
  const bytes = 'x'.repeat(400);
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    writeFileSync(join(dir, `${i}.tmp`), bytes);
    renameSync(join(dir, `${i}.tmp`), join(dir, String(i)));
  }
  return ((performance.now() - started) * 1000) / count;
}

const OPEN_CHANNEL = 'theater:simple/message-server-host#openChannel';

/**
 * A warm instance: the chat actor starts its first generator actor at its own start, and until
 * that child has compiled (seconds, on both cores) and answered, every call tries to open a
 * channel to it, some waiting 75–160 ms for its answer. Ready once a call tries no more.
 */
async function generatorReady(actor, client) {
  const opens = async () => (await actor.tally()).calls[OPEN_CHANNEL]?.calls ?? 0;
  for (let tries = 0; tries < 600; tries++) {
    const before = await opens();
    await client.command({ type: 'ping' });
    if (before > 0 && (await opens()) === before) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the generator actor never answered');
}

/**
 * `clients` connections, each creating its own chat and sending `perClient` messages one after
 * another, all connections at once. `existing` chats are made first, so the list is that long.
 */
export async function writeBenchmark({ root, report, chatClient, native, clients = 20, perClient = 50, existing = 0, shared = false, print = console.log }) {
  const { ActorHost, initStateBytes } = await import(join(root, 'dist/host/cli.js'));
  const scratch = mkdtempSync(join(tmpdir(), 'bench-writes-'));
  const actor = new ActorHost({
    component: join(root, 'dist/chat.wasm'),
    initState: initStateBytes({ port: 0 }, {}),
    storeRoot: join(scratch, 'store'),
    allowedEnv: [],
    log: process.env.BENCH_LOG ? (line) => console.error(line) : () => undefined,
    tallyHostCalls: true,
  });
  await actor.start();
  const { host, port } = actor.framework.listening()[0];
  const url = `http://${host}:${port}`;
  const people = await Promise.all(Array.from({ length: clients }, () => chatClient(url)));
  for (let i = 0; i < existing; i++) await people[0].command({ type: 'create_chat', name: `older ${i}` });
  await createChats(people, shared);
  await generatorReady(actor, people[0]);
  const warmUp = await sendAll(people, WARM_UP_PER_CLIENT);
  const createMicros = fileCreateMicros(join(scratch, 'probe'));
  const before = await actor.tally();
  // A copy: the account updates its entry in place.
  const chainBefore = { ...(actor.chainByExport.get('httpHandlers.handleWebsocketMessage') ?? { calls: 0, bytes: 0 }) };
  const recyclesBefore = actor.recycling.recycles;
  // Linear memory never shrinks: what it grew by is the most a run of appends left behind.
  const memoryBefore = actor.recycling.memoryBytes;
  const { times, seconds } = await sendAll(people, perClient);
  const cost = spent(before, await actor.tally());
  const chainAfter = actor.chainByExport.get('httpHandlers.handleWebsocketMessage');
  const recycles = actor.recycling.recycles - recyclesBefore;
  const grown = actor.recycling.memoryBytes - memoryBefore;
  for (const p of people) p.close();
  await actor.stop();
  // The servers belong to the theater-server, not to one actor (theater-server.ts stops them): a bench that made its own stops them too.
  await actor.framework.stopAll();

  const appends = clients * perClient;
  const per = (n) => (n / appends).toFixed(1);
  const label = `${clients} clients × ${perClient} send_message, ${shared ? 'one chat all watch' : 'own chats'}${existing ? `, ${existing} other chats` : ''}`;
  const [rate, p99] = shared ? [200, 200] : [400, 100];
  report(`${label}: messages/s`, (appends / seconds).toFixed(0), `≥ ${rate}`, appends / seconds >= rate);
  report(`${label}: p50 / p99`, `${median(times).toFixed(0)} ms / ${percentile(times, 0.99).toFixed(0)} ms`, `p99 ≤ ${p99} ms`, percentile(times, 0.99) <= p99);
  report(
    `  the instance's first ${clients * WARM_UP_PER_CLIENT} messages, before these: messages/s, p50 / p99`,
    `${(warmUp.times.length / warmUp.seconds).toFixed(0)}, ${median(warmUp.times).toFixed(0)} ms / ${percentile(warmUp.times, 0.99).toFixed(0)} ms`,
    '',
    true,
  );
  if (native) {
    const ref = await nativeWrites(native, clients, perClient, shared);
    report(`${label}: core natively (reference)`, `${(appends / ref.seconds).toFixed(0)} messages/s, p99 ${percentile(ref.times, 0.99).toFixed(1)} ms`, '', true);
    report(`${label}: messages/s component / native`, (ref.seconds / seconds).toFixed(2), '', true);
  }
  report(`${label}: fresh instances during the run`, String(recycles), '0', recycles === 0);
  // Only meaningful without a fresh instance in between (its memory starts lower). It counts garbage
  // too: SpiderMonkey collects only after ~100 MiB of it (docs/perf-notes.md), and grows in 1–2 MiB steps.
  if (recycles === 0) report(`${label}: guest linear memory grown per append, garbage included`, `${(grown / appends).toFixed(0)} B (${(grown / 2 ** 20).toFixed(1)} MiB in all)`, '≤ 1 KiB', grown / appends <= 1024);
  const calls = Object.values(cost.calls).reduce((n, c) => n + c.calls, 0);
  report(`  per append: host calls`, per(calls), '', true);
  report(`  per append: store files created / bytes; labels rewritten in place`, `${per(cost.storeFiles)} / ${per(cost.storeBytes)} B; ${per(cost.labelsInPlace)}`, '', true);
  report(`  the disk now: creating one file in the store's folder`, `${createMicros.toFixed(0)} µs`, '', true);
  report(`  per append: frames sent / bytes`, `${per(cost.frames)} / ${per(cost.frameBytes)} B`, '', true);
  report(`  per append: c50 chain (handle-websocket-message)`, `${per(chainAfter.bytes - chainBefore.bytes)} B`, '', true);
  // Where an append's time goes inside the worker: the export call, minus what its imports took, is the guest's own work.
  const exportMs = Object.values(cost.exports).reduce((n, e) => n + e.ms, 0);
  const importMs = Object.values(cost.calls).reduce((n, c) => n + c.ms, 0);
  const ms = (n) => (n / appends).toFixed(2);
  report(`  per append: ms in the component (guest / host imports)`, `${ms(exportMs)} (${ms(exportMs - importMs)} / ${ms(importMs)})`, '', true);
  print(`\nper append, host calls by name (${label}):`);
  for (const [name, c] of Object.entries(cost.calls).sort((a, b) => b[1].calls - a[1].calls)) {
    print(`  ${name.padEnd(58)} ${per(c.calls).padStart(6)} calls  ${per(c.argBytes).padStart(8)} B in  ${per(c.resultBytes).padStart(8)} B out  ${ms(c.ms).padStart(7)} ms`);
  }
  for (const [name, e] of Object.entries(cost.exports)) print(`  export ${name.padEnd(51)} ${per(e.calls).padStart(6)} calls  ${ms(e.ms).padStart(7)} ms`);
  print(`\nper append, the guest's own time between host calls (the largest gaps):`);
  for (const [name, g] of Object.entries(cost.gaps).sort((a, b) => b[1].ms - a[1].ms).slice(0, 14)) {
    print(`  ${name.padEnd(72)} ${per(g.calls).padStart(6)} ×  ${ms(g.ms).padStart(7)} ms`);
  }
  return { appends, seconds, times, cost, recycles };
}
