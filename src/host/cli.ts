/**
 * `theater-chat run actor.toml`: runs the actor the way Theater c50b1871 would, on Node.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { initStateBytes, loadManifest } from './manifest.js';
import { TheaterServer } from './theater-server.js';
import { fsck } from './fsck.js';
import { lockDataFolder } from './data-lock.js';
import { ensureAccessKey, reachableHost } from './access-key.js';

export { transpiledFor } from './transpile.js';
export { ActorHost } from './actor-host.js';
export { TheaterServer } from './theater-server.js';
export { fsck } from './fsck.js';
export { initStateBytes } from './manifest.js';
export { HOST_PROCESS_ENV } from './process-env.js';

const USAGE = `usage: theater-chat run <actor.toml> [--port N] [--host ADDR] [--data DIR] [--allow-origin URL]... [--allow-host NAME]... [--tls-cert PEM --tls-key PEM]
       theater-chat fsck [store-id] [--data DIR]   check every message against its id and every chat's branch

  --port          HTTP port (init state "port"; env THEATER_CHAT_PORT; 0 = any free port)
  --host          bind address (init state "host"; env THEATER_CHAT_HOST; default 127.0.0.1)
  --data          THEATER_HOME: the store lives in <data>/store (default: $THEATER_HOME, else ./data beside the manifest)
  --allow-origin  an extra browser origin allowed to open /ws (repeatable)
  --allow-host    a name this server answers to besides loopback names and IP addresses (repeatable;
                  init state "allowed_hosts"). Any other Host header is refused.
  --tls-cert/--tls-key  serve HTTPS with this PEM certificate and key (init state "tls")

  Beyond loopback every browser logs in with the access key: THEATER_CHAT_ACCESS_KEY, else
  access-key.txt in the actor's filesystem folder (made, mode 0600, at the first start without one).`;

function log(line: string): void {
  process.stderr.write(`${new Date().toISOString()} ${line}\n`);
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      'allow-origin': { type: 'string', multiple: true },
      'allow-host': { type: 'string', multiple: true },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (positionals[0] === 'fsck') {
    const home = values.data ?? process.env.THEATER_HOME ?? join(process.cwd(), 'data');
    const report = await fsck(join(home, 'store'), positionals[1] ?? 'theater-chat');
    for (const p of report.problems) process.stderr.write(`problem: ${p}\n`);
    process.stdout.write(`${report.messages} messages and ${report.chats} chats checked, ${report.problems.length} problems\n`);
    return report.problems.length === 0 ? 0 : 1;
  }
  if (values.help || positionals[0] !== 'run' || !positionals[1]) {
    process.stderr.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const loaded = loadManifest(positionals[1]);
  const overrides: Record<string, unknown> = {};
  const port = values.port ?? process.env.THEATER_CHAT_PORT;
  if (port !== undefined) {
    if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) throw new Error(`--port must be a number from 0 to 65535, not "${port}"`);
    overrides.port = Number(port);
  }
  const host = values.host ?? process.env.THEATER_CHAT_HOST;
  if (host !== undefined) overrides.host = host;
  const origins = values['allow-origin'] ?? [];
  // The actor checks Origin on HTTP changes; the host checks it at the WebSocket upgrade. One list for both.
  if (origins.length > 0) overrides.allowed_origins = [...((loaded.initState?.allowed_origins as string[] | undefined) ?? []), ...origins];
  const hosts = values['allow-host'] ?? [];
  if (hosts.length > 0) overrides.allowed_hosts = [...((loaded.initState?.allowed_hosts as string[] | undefined) ?? []), ...hosts];
  if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined)) throw new Error('--tls-cert and --tls-key go together');
  if (values['tls-cert'] && values['tls-key']) overrides.tls = { cert_path: resolve(values['tls-cert']), key_path: resolve(values['tls-key']) };
  const bindHost = String(overrides.host ?? loaded.initState?.host ?? '127.0.0.1');
  const access = ensureAccessKey(bindHost, loaded.filesystemBase, process.env);
  const home = values.data ?? process.env.THEATER_HOME ?? join(loaded.baseDir, 'data');
  mkdirSync(join(home, 'store'), { recursive: true });
  lockDataFolder(home);

  // One theater-server: every actor started here, and every child they spawn, shares its handlers' state.
  const server = new TheaterServer({
    storeRoot: join(home, 'store'),
    log,
    spawnDelayMs: Math.max(0, Number(process.env.THEATER_CHAT_SPAWN_DELAY_MS) || 0),
    recycleEvery: process.env.THEATER_CHAT_RECYCLE_CALLS ? Math.max(10, Number(process.env.THEATER_CHAT_RECYCLE_CALLS) || Number.POSITIVE_INFINITY) : undefined,
    memoryLogEveryMs: process.env.THEATER_CHAT_MEMORY_LOG ? Math.max(1, Number(process.env.THEATER_CHAT_MEMORY_LOG) || 10) * 1000 : undefined,
  });
  const actor = server.launch({
    component: loaded.componentPath,
    initState: initStateBytes(loaded.initState, overrides),
    filesystemBase: loaded.filesystemBase,
    allowedEnv: loaded.allowedEnv,
    allowedOrigins: origins.length > 0 ? origins : undefined,
    manifestDir: loaded.baseDir,
  });
  const stopped = new Promise<number>((resolve) => {
    actor.on('fatal', (reason) => {
      log(`FATAL: actor ${actor.id} stopped: ${reason} (on Theater this stops the actor for good)`);
      void server.shutdown().then(() => resolve(1));
    });
    actor.on('shutdown', () => {
      log(`actor ${actor.id} asked to shut down`);
      void server.shutdown().then(() => resolve(0));
    });
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => void server.shutdown().then(() => resolve(0)));
    }
  });
  log(`starting ${loaded.manifest.name} ${loaded.manifest.version} as actor ${actor.id} (THEATER_HOME=${home})`);
  await actor.start();
  const servers = server.framework.listening(actor);
  if (servers.length === 0) {
    log('the actor started no HTTP server; see its log above (is the port in use?)');
    await server.shutdown();
    return 1;
  }
  for (const { host: h, port: p, tls } of servers) {
    const scheme = tls ? 'https' : 'http';
    const shown = h.includes(':') ? `[${h}]` : h;
    const scope = h === '127.0.0.1' || h === 'localhost' || h === '::1' ? 'this machine only' : 'reachable from the network';
    process.stdout.write(`listening ${scheme}://${shown}:${p}/ (${scope})\n`);
    if (access.kind === 'generated') {
      // Once, like Jupyter: the key is in the file from now on, and the page redirects away from this URL.
      process.stdout.write(`log in (new access key, kept in ${access.path}): ${scheme}://${reachableHost(h)}:${p}/login?key=${access.key}\n`);
    } else if (access.kind !== 'loopback') {
      process.stdout.write(`every browser logs in with the access key (${access.kind === 'env' ? 'THEATER_CHAT_ACCESS_KEY' : access.path})\n`);
    }
  }
  return stopped;
}
export { checkTheater, c50Signatures, manifestComponent, THEATER_COMMIT } from './conformance.js';
