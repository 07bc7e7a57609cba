/**
 * What one Theater c50 server shares between its actors, on the Node host (src/host/theater-server.ts):
 * the supervisor channel, the http-framework registry and its shutdown monitor, stop-child,
 * message-server routing, spawn before load, the chain account, and stop/start inside one server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TheaterServer } from '../../src/host/theater-server.js';
import type { ActorHost } from '../../src/host/actor-host.js';
import { serdeJson } from '../../src/host/chain-account.js';
import { initStateBytes } from '../../src/host/manifest.js';
import { FIXTURES } from '../fixtures/build-fixtures.js';
import { CHILD_ACTOR, SERVER_ACTOR, buildServerFixtures } from '../fixtures/server-fixtures.js';
import { ROOT, tempDir } from '../helpers/host.js';

// The built host, whose worker is compiled JavaScript (run `node scripts/build.mjs --if-stale` first).
const { TheaterServer: Server, ActorHost: Host } = (await import(join(ROOT, 'dist/host/cli.js'))) as typeof import('../../src/host/cli.js');

let dir: string;
const lines: string[] = [];
const servers: TheaterServer[] = [];

beforeAll(async () => {
  await buildServerFixtures();
  dir = tempDir();
  mkdirSync(join(dir, 'store'), { recursive: true });
}, 300_000);

afterAll(async () => {
  for (const server of servers) await server.shutdown();
});

function newServer(options: { spawnDelayMs?: number; memoryLogEveryMs?: number } = {}): TheaterServer {
  const server = new Server({ storeRoot: join(dir, 'store'), log: (l) => lines.push(l), ...options });
  servers.push(server);
  return server;
}

/** A manifest for a fixture with this init state. */
const childManifest = (name: string, init: object) => manifest(name, init, CHILD_ACTOR);
function manifest(name: string, init: object, component = SERVER_ACTOR): string {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'init.json'), JSON.stringify(init));
  const path = join(folder, 'actor.toml');
  writeFileSync(path, `name = "${name}"\nversion = "0.0.1"\ncomponent = ${JSON.stringify(component)}\ninit_state = "init.json"\n`);
  return path;
}

function urlOf(server: TheaterServer, actor: ActorHost): string {
  const [first] = server.framework.listening(actor);
  if (!first) throw new Error(`actor ${actor.id} serves nothing`);
  return `http://127.0.0.1:${first.port}`;
}

async function get(base: string, path: string): Promise<string> {
  const res = await fetch(base + path);
  return `${res.status} ${await res.text()}`;
}

type Heard = { event: string; id?: string; data?: string | null; channel?: string; type?: string };
const heard = async (base: string): Promise<Heard[]> => JSON.parse((await get(base, '/heard')).slice(4)) as Heard[];

/** The limit only bounds how long a hang takes to be reported: a child's compile took over 20 s once, beside two suites and a build. */
async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const spawnPath = (m: string, init?: object) => `/spawn?manifest=${encodeURIComponent(m)}${init ? `&init=${encodeURIComponent(JSON.stringify(init))}` : ''}`;

describe('one supervisor channel per server (crates/theater-handler-supervisor/src/lib.rs:50-76, 645-661)', () => {
  it("sends a child's exit to the first supervising actor, not to its parent; after that one stops, nowhere", async () => {
    const server = newServer();
    const first = await server.startActor(manifest('first', {}));
    const second = await server.startActor(manifest('second', {}));
    const [a, b] = [urlOf(server, first), urlOf(server, second)];
    const child = (await get(b, spawnPath(childManifest('exits', { exit: 'bye' })))).slice(4);
    const exit = await until('the exit at the first actor', async () => (await heard(a)).find((h) => h.event === 'child-exit'));
    expect(exit).toEqual({ event: 'child-exit', id: child, data: 'bye' });
    expect(await heard(b)).toEqual([]);
    expect(lines.join('\n')).toContain('has no receiver (cloned instance)');

    // The first actor's stop also stops every HTTP server (its http-framework handler's shutdown monitor),
    // so from here the second actor is watched through its chain account: which exports were called.
    expect(second.chainByExport.has('supervisorHandlers.handleChildExit')).toBe(false);
    await server.stopActor(first.id);
    expect(server.framework.listening()).toEqual([]);
    // What the second actor's call to supervisor.spawn does, made from here since its server is down.
    const late = await second.supervisor.spawn(childManifest('exits', { exit: 'again' }), undefined);
    await until('the child to be gone', async () => (server.actor(late) ? undefined : true));
    await new Promise((r) => setTimeout(r, 300));
    expect(second.chainByExport.has('supervisorHandlers.handleChildExit')).toBe(false);
  });
});

describe('one http-framework registry per server (crates/theater-handler-http-framework/src/lib.rs:97-135, 1034-1100)', () => {
  it("stops the parent's server when a child importing http-framework exits", async () => {
    const server = newServer();
    const parent = await server.startActor(manifest('parent', {}));
    const base = urlOf(server, parent);
    expect(await get(base, '/ping')).toBe('200 pong');
    const child = (await get(base, spawnPath(manifest('exits', { serve: false, exit: 'done' })))).slice(4);
    await until('the child to stop', async () => (server.actor(child) ? undefined : true));
    await until('the server to stop', async () => ((await fetch(base + '/ping').then(() => false, () => true)) ? true : undefined));
    expect(parent.stopped).toBeUndefined();
    expect(lines.join('\n')).toContain('stops every HTTP server of this host');
  });

  it('numbers servers across actors from one counter', async () => {
    const server = newServer();
    await server.startActor(manifest('one', {}));
    const two = await server.startActor(manifest('two', {}));
    expect(server.framework.getServerInfo(2n).port).toBe(server.framework.listening(two)[0]!.port);
  });
});

describe('stop-child as c50 (theater_runtime.rs:988-1009, 792-960)', () => {
  it('is Ok for an unknown id, Err for a malformed one, and reports the external stop to the receiver', async () => {
    const server = newServer();
    const parent = await server.startActor(manifest('stopper', {}));
    const base = urlOf(server, parent);
    expect(await get(base, '/stop-child/6f1c2f0e-0000-4000-8000-000000000000')).toBe('200 ok');
    expect(await get(base, '/stop-child/not-an-id')).toMatch(/^500 Invalid child ID/);
    const child = (await get(base, spawnPath(childManifest('lives', {})))).slice(4);
    await until('the child to start', async () => (server.actor(child)?.handlersStarted ? true : undefined));
    expect(await get(base, `/stop-child/${child}`)).toBe('200 ok');
    expect(server.actor(child)).toBeUndefined();
    await until('the external stop', async () => (await heard(base)).find((h) => h.event === 'child-external-stop' && h.id === child));
    // c50 never removes a child from its parent's set.
    expect(JSON.parse((await get(base, '/children')).slice(4))).toContain(child);
  });
});

describe('message-server (crates/theater-handler-message-server/src/lib.rs)', () => {
  it('routes send, request and channels by actor id, with c50 error strings', async () => {
    const server = newServer();
    const parent = await server.startActor(manifest('talker', {}));
    const base = urlOf(server, parent);
    const ghost = '6f1c2f0e-0000-4000-8000-000000000000';
    expect(await get(base, `/send/${ghost}?msg=x`)).toBe(`500 Actor not found: ${ghost}`);
    expect(await get(base, `/open/${ghost}?msg=x`)).toBe(`500 Error opening channel: Actor not found: ${ghost}`);
    expect(await get(base, '/chan/ch_0000000000000000?msg=x')).toBe('500 Channel not found: ch_0000000000000000');
    expect(await get(base, '/chan/nope?msg=x')).toBe("500 Failed to parse channel ID: Channel ID must start with 'ch_' prefix");

    const child = (await get(base, spawnPath(childManifest('listener', { exitOnClose: true })))).slice(4);
    await until('the child to start', async () => (server.actor(child)?.handlersStarted ? true : undefined));
    expect(await get(base, `/send/${child}?msg=hello`)).toBe('200 ok');
    expect(await get(base, `/request/${child}?msg=q`)).toBe('200 re:q');
    expect(await get(base, `/request/${child}?msg=none`)).toBe('500 channel closed');
    expect(await get(base, `/open/${child}?msg=reject`)).toBe('500 Channel request rejected by target actor');
    const opened = await get(base, `/open/${child}?msg=job`);
    expect(opened).toMatch(/^200 ch_[0-9a-f]{16}$/);
    const channel = opened.slice(4);
    expect(await get(base, `/chan/${channel}?msg=echo:42`)).toBe('200 ok');
    await until('the answer on the channel', async () => (await heard(base)).find((h) => h.event === 'channel-message' && h.data === 'answer:42'));
    expect(JSON.parse((await get(base, `/request/${child}?msg=heard`)).slice(4))).toEqual([
      'send:hello', 'request:q', 'request:none', 'channel-open:reject', 'channel-open:job', 'channel-message:echo:42',
    ]);
    expect(await get(base, `/close/${channel}`)).toBe('200 ok');
    // The child closes itself on handle-channel-close; its mailbox leaves the router with it.
    await until('the child to exit', async () => (server.actor(child) ? undefined : true));
    expect(server.router.registered(child)).toBe(false);
    expect(await get(base, `/chan/${channel}?msg=x`)).toBe(`500 Channel not found: ${channel}`);
  });

  it("spawn returns before the child is loaded: messages to it fail with 'Actor not found' until it is", async () => {
    const server = newServer({ spawnDelayMs: 1500 });
    const parent = await server.startActor(manifest('early', {}));
    const base = urlOf(server, parent);
    const child = (await get(base, spawnPath(childManifest('slow', {})))).slice(4);
    expect(await get(base, `/open/${child}?msg=x`)).toBe(`500 Error opening channel: Actor not found: ${child}`);
    const opened = await until('the child to register', async () => {
      const reply = await get(base, `/open/${child}?msg=x`);
      return reply.startsWith('200') ? reply : undefined;
    });
    expect(opened).toMatch(/^200 ch_/);
  });
});

describe('the chain account (crates/theater/src/actor/runtime.rs:915-950, chain/mod.rs:366-382)', () => {
  it('writes values as serde_json writes the lifted Rust values', () => {
    expect(serdeJson([1n, { method: 'GET', uri: '/', headers: [['a', 'b']], body: new Uint8Array([104, 105]) }])).toBe(
      '[1,{"method":"GET","uri":"/","headers":[["a","b"]],"body":[104,105]}]',
    );
    expect(serdeJson([{ ty: { tag: 'text' }, data: undefined, text: 'hé' }])).toBe('[{"ty":"Text","data":null,"text":"hé"}]');
    expect(serdeJson([{ ty: { tag: 'other', val: 'x' } }])).toBe('[{"ty":{"Other":"x"}}]');
    expect(serdeJson(['id', { errorType: 'operation-timeout', data: undefined }])).toBe('["id",{"error_type":"OperationTimeout","data":null}]');
  });

  it('grows by the bytes of the WasmCall and WasmResult events of each export call', async () => {
    const server = newServer({ memoryLogEveryMs: 200 });
    const receiver = await server.startActor(manifest('counted', {}));
    const sender = await server.startActor(manifest('counter', {}));
    const before = receiver.chainBytes;
    const entry = () => receiver.chainByExport.get('messageServerClient.handleSend');
    expect(await get(urlOf(server, sender), `/send/${receiver.id}?msg=hi`)).toBe('200 ok');
    await until('the handle-send call', async () => entry());
    const asNumbers = (text: string) => `[${[...new TextEncoder().encode(text)].join(',')}]`;
    const name = 'theater:simple/message-server-client.handle-send';
    const call = `{"category":"Wasm","WasmCall":{"function_name":"${name}","params":${asNumbers('[[104,105]]')}}}`;
    const result = `{"category":"Wasm","WasmResult":{"function_name":"${name}","result":[${asNumbers('fixture-state')},${asNumbers('null')}]}}`;
    // Each event also holds its SHA-1 hash, its parent's hash and its type "wasm".
    const expected = call.length + result.length + 2 * 44;
    expect(entry()).toEqual({ calls: 1, bytes: expected });
    expect(receiver.chainBytes - before).toBe(expected);
    await until('the memory log line', async () => (lines.some((l) => l.includes('chain account') && l.includes('httpHandlers.handleRequest')) ? true : undefined));
  });
});

describe('stop and start inside one running server, as `theater stop` then `theater start`', () => {
  it('starts the same manifest again after a stop; unknown ids stop Ok', async () => {
    const server = newServer();
    const path = manifest('again', {});
    const one = await server.startActor(path);
    expect(await get(urlOf(server, one), '/ping')).toBe('200 pong');
    await server.stopActor(one.id);
    await server.stopActor(one.id);
    const two = await server.startActor(path);
    expect(two.id).not.toBe(one.id);
    expect(await get(urlOf(server, two), '/ping')).toBe('200 pong');
  });
});

describe('request bodies', () => {
  it('reach the actor up to 100 MiB (server_instance.rs:845), not only up to axum’s 2 MiB default', async () => {
    const actor = new Host({ component: join(FIXTURES, 'probe.wasm'), initState: initStateBytes({ port: 0 }, {}), storeRoot: join(dir, 'store'), allowedEnv: [], log: () => undefined });
    servers.push(actor.server);
    await actor.start();
    const body = new Uint8Array(3 * 1024 * 1024).fill(7);
    const res = await fetch(`${urlOf(actor.server, actor)}/echo`, { method: 'POST', body });
    expect(res.headers.get('x-body')).toBe(String(body.length));
  });
});

describe('a component that fails to load', () => {
  /** A copy of the child actor in a folder of its own, transpiled, with the first of its transpiled files whose name ends so removed. */
  async function brokenCopy(name: string, removedEnding: string): Promise<{ folder: string; wasm: string; removed: string }> {
    const folder = join(dir, name);
    mkdirSync(folder, { recursive: true });
    const wasm = join(folder, 'child.wasm');
    copyFileSync(CHILD_ACTOR, wasm);
    const { transpiledFor } = (await import(join(ROOT, 'dist/host/cli.js'))) as typeof import('../../src/host/cli.js');
    const transpiled = await transpiledFor(wasm);
    const removed = readdirSync(transpiled.dir).filter((file) => file.endsWith(removedEnding)).at(-1);
    expect(removed).toBeDefined();
    rmSync(join(transpiled.dir, removed!));
    return { folder, wasm, removed: removed! };
  }

  it('leaves no thread behind: the process that tried can still exit by itself', async () => {
    // A copy whose transpiled core module is missing: it compiles, then its instantiation fails.
    const { folder, wasm } = await brokenCopy('broken', '.wasm');
    const script = `
      const { ActorHost } = await import(${JSON.stringify(join(ROOT, 'dist/host/cli.js'))});
      const actor = new ActorHost({ component: ${JSON.stringify(wasm)}, initState: undefined, storeRoot: ${JSON.stringify(join(dir, 'store'))}, allowedEnv: [], log: () => {} });
      await actor.start().then(() => console.log('started'), (e) => console.log('refused:', e.message));`;
    writeFileSync(join(folder, 'try-start.mjs'), script);
    const child = spawn(process.execPath, [join(folder, 'try-start.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await until('the load to be refused', async () => (out.includes('refused:') ? true : undefined));
    const quit = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 20_000))]);
    if (quit === 'still running') child.kill('SIGKILL');
    expect(out).toContain('could not be instantiated');
    expect(quit).toBe(0);
  });

  it('is refused, naming the file, when the data segments moved out of its core module are missing', async () => {
    // Without the file the instance would start with an empty memory and fail somewhere inside the engine.
    const { folder, wasm, removed } = await brokenCopy('no-data', '.data.deflate');
    const actor = new Host({ component: wasm, initState: undefined, storeRoot: join(folder, 'store'), allowedEnv: [], log: () => {} });
    await expect(actor.start()).rejects.toThrow(new RegExp(`${removed.replaceAll('.', '\\.')} beside it is missing`));
  });
});
