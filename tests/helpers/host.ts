/** Starts the real host (bin/theater-chat.js) on a free port with its own data folder. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import WebSocket from 'ws';
import { TEST_API_KEY } from './secrets.js';
import { HOST_PROCESS_ENV } from '../../src/host/process-env.js';

/** The project folder, found upwards (this file also runs bundled, from dist/, in npm run stress). */
function findRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    try {
      if ((JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name === 'theater-chat') return dir;
    } catch {
      // keep looking upwards
    }
  }
  throw new Error(`no theater-chat package.json above ${from}`);
}

export const ROOT = findRoot(import.meta.dirname);

export interface RunningHost {
  url: string;
  port: number;
  data: string;
  proc: ChildProcess;
  /** Everything the host wrote to stderr so far (its log). */
  log(): string;
  /** Everything the host printed to stdout so far (where it listens, the login URL). */
  output(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

export interface HostOptions {
  manifest?: string;
  data?: string;
  env?: Record<string, string>;
  args?: string[];
}

const madeHere: string[] = [];

export function tempDir(prefix = 'theater-chat-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  madeHere.push(dir);
  return dir;
}

/** Removes every folder tempDir made (tests/helpers/cleanup.ts runs it after each test file); KEEP_TEST_DATA=1 keeps them. */
export function removeTempDirs(): void {
  if (process.env.KEEP_TEST_DATA) return;
  for (const dir of madeHere.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * Waits until the chat's first generator has started, as a user would before the first reply is
 * quick (each health check is also a call that lets the actor find it started). Hosts of other
 * components, and chats without generators, are returned at once.
 */
async function generatorReady(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const health = (await fetch(`${url}/api/health`).then((r) => (r.ok ? r.json() : undefined), () => undefined)) as
      | { generators?: { ready: number; starting: number } }
      | undefined;
    const g = health?.generators;
    if (!g || g.ready > 0 || g.starting === 0) return;
    if (Date.now() > deadline) throw new Error(`no generator started within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A manifest for a fixture component, written into its own folder. */
export function writeManifest(component: string, initState: object, handlers = '', dir = tempDir()): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'init.json'), JSON.stringify(initState));
  const path = join(dir, 'actor.toml');
  writeFileSync(path, `name = "fixture"\nversion = "0.0.1"\ncomponent = ${JSON.stringify(component)}\ninit_state = "init.json"\n${handlers}`);
  return path;
}

export async function startHost(options: HostOptions = {}): Promise<RunningHost> {
  const data = options.data ?? tempDir();
  const proc = spawn(
    process.execPath,
    [join(ROOT, 'bin/theater-chat.js'), 'run', options.manifest ?? join(ROOT, 'actor.toml'), '--data', data, ...(options.args?.includes('--port') ? [] : ['--port', '0']), ...(options.args ?? [])],
    { env: { ...process.env, ...HOST_PROCESS_ENV, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  let stdout = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    proc.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      // Bound to a wildcard address, the host is still reached through 127.0.0.1.
      const m = /listening https?:\/\/(?:127\.0\.0\.1|0\.0\.0\.0|\[::\]):(\d+)\//.exec(stdout);
      if (m) resolve(Number(m[1]));
    });
    void exited.then((code) => reject(new Error(`host exited (${code}) before listening:\n${stderr}`)));
    setTimeout(() => reject(new Error(`host did not start in 120 s:\n${stderr}`)), 120_000).unref();
  });
  await generatorReady(`http://127.0.0.1:${port}`);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    data,
    proc,
    log: () => stderr,
    output: () => stdout,
    exited,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      return exited;
    },
  };
}

/**
 * Fails the test if the actor hit a fatal error (on Theater that would have stopped it) or the
 * API key reached the log. Call it after `host.stop()`, so a fatal error during shutdown counts
 * too. A caller that checks a host still running gets it killed before the throw: a failing check
 * must not leave a host process behind once the test run is over.
 */
export function expectNoFatal(host: RunningHost): void {
  const problem = host.log().includes('FATAL')
    ? `the actor hit a fatal error:\n${host.log()}`
    : host.log().includes(TEST_API_KEY)
      ? 'the API key appeared in the host log'
      : undefined;
  if (problem === undefined) return;
  if (host.proc.exitCode === null && host.proc.signalCode === null) host.proc.kill('SIGKILL');
  throw new Error(problem);
}

export interface SocketClient {
  ws: WebSocket;
  next(): Promise<Record<string, unknown>>;
  send(value: unknown): void;
  close(): Promise<void>;
}

export async function openSocket(url: string, headers: Record<string, string> = {}): Promise<SocketClient> {
  const ws = new WebSocket(url.replace(/^http/, 'ws') + '/ws', { headers });
  const queue: Record<string, unknown>[] = [];
  const waiters: ((v: Record<string, unknown>) => void)[] = [];
  ws.on('message', (data, isBinary) => {
    const frame = JSON.parse(isBinary ? Buffer.from(data as Buffer).toString('utf8') : String(data)) as Record<string, unknown>;
    const waiter = waiters.shift();
    if (waiter) waiter(frame);
    else queue.push(frame);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    next: () =>
      new Promise((resolve, reject) => {
        const queued = queue.shift();
        if (queued) return resolve(queued);
        // Only bounds how long a hang takes to be reported, on a machine whose cores may be busy.
        const timer = setTimeout(() => reject(new Error('no frame within 60 s')), 60_000);
        waiters.push((v) => {
          clearTimeout(timer);
          resolve(v);
        });
      }),
    send: (value) => ws.send(typeof value === 'string' ? value : JSON.stringify(value)),
    close: () =>
      new Promise((resolve) => {
        if (ws.readyState === ws.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close();
      }),
  };
}
