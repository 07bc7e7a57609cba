/**
 * The hardening drills, shared by the fast variants in `npm test` and the long ones in
 * `npm run stress`: garbage in, crashes mid-write, and many clients at once.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:net';
import WebSocket from 'ws';
import { ChatClient, sessionToken } from '../helpers/chat-client.js';
import { startHost, type RunningHost } from '../helpers/host.js';
import { filesUnder } from '../helpers/files.js';
import { fsck } from '../../src/host/fsck.js';
import type { Frame } from '../scenarios/driver.js';

/** Every file of the store, hashed with its path: equal digests mean a byte-identical store. */
export function storeDigest(data: string): string {
  const hash = createHash('sha256');
  const store = join(data, 'store');
  for (const path of filesUnder(store)) hash.update(path).update(readFileSync(join(store, path)));
  return hash.digest('hex');
}

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

/** A WebSocket frame a client could send by mistake or malice, and the error code it must get back. */
export interface BadFrame {
  frame: string | Buffer;
  code: 'bad_request' | 'invalid_json' | 'unknown_command' | 'payload_too_large';
}

/** Frames a client could send by mistake or malice; none is a valid command. */
export function badFrames(count: number): BadFrame[] {
  const makers: (() => BadFrame)[] = [
    // A binary frame: the protocol is JSON text.
    () => ({ frame: randomBytes(1 + Math.floor(Math.random() * 200)), code: 'bad_request' }),
    () => ({ frame: Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1]).toString('latin1'), code: 'invalid_json' }),
    () => ({ frame: '{"type":"send_message","content":"trunc', code: 'invalid_json' }),
    () => ({ frame: '['.repeat(2000 + Math.floor(Math.random() * 4000)), code: 'invalid_json' }),
    // Valid JSON, 3,000 levels deep, with no "type".
    () => ({ frame: `{"a":${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}}`, code: 'bad_request' }),
    () => ({ frame: JSON.stringify({ type: pick(['send_message', 'rename_chat', 'switch_chat', 'get_message']), content: 5, name: [], chat_id: {}, message_id: 7 }), code: 'bad_request' }),
    () => ({ frame: JSON.stringify({ type: `no_such_${Math.random()}` }), code: 'unknown_command' }),
    () => ({ frame: '{"__proto__":{"type":"list_chats","polluted":true}}', code: 'bad_request' }),
    () => ({ frame: '{"type":"constructor","constructor":{"prototype":{"x":1}}}', code: 'unknown_command' }),
    () => ({ frame: JSON.stringify({ type: 'send_message', content: 'x', chat_id: '../../etc' }), code: 'bad_request' }),
    () => ({ frame: JSON.stringify({ type: 'get_message', message_id: `bagu${'a'.repeat(Math.floor(Math.random() * 200))}` }), code: 'bad_request' }),
    () => ({ frame: JSON.stringify({ type: 'switch_chat', chat_id: '00000000-0000-4000-8000-00000000000' }), code: 'bad_request' }),
    () => ({ frame: JSON.stringify({ type: 'rename_chat', chat_id: '00000000-0000-4000-8000-000000000000', name: 'x'.repeat(5000) }), code: 'bad_request' }),
    () => ({ frame: 'x'.repeat(2 * 1024 * 1024 + 10), code: 'payload_too_large' }),
    () => ({ frame: JSON.stringify({ type: 'send_message', content: '', request_id: 'r'.repeat(300) }), code: 'bad_request' }),
    () => ({ frame: JSON.stringify([{ type: 'ping' }]), code: 'bad_request' }),
    () => ({ frame: 'null', code: 'bad_request' }),
  ];
  return Array.from({ length: count }, (_, i) => makers[i % makers.length]!());
}

const UNKNOWN_CHAT = '00000000-0000-4000-8000-000000000000';
const json = (text: string) => () => Buffer.from(text);
const noise = () => randomBytes(64);

/**
 * Malformed HTTP requests and what each must get: a status, and for the actor's own refusals
 * the error code in the body (404/405 for paths and methods with no route come from the
 * framework, with no body). None may change the store. The query and the traversal tail vary
 * the path without changing the answer (`/%2e%2e/` is resolved by the client, landing nowhere).
 */
interface BadRequest {
  method: string;
  path: string;
  body?: () => Buffer;
  headers?: Record<string, string>;
  status: number;
  code?: string;
}
const BAD_REQUESTS: BadRequest[] = [
  { method: 'POST', path: '/api/chats', body: noise, status: 400, code: 'invalid_json' },
  { method: 'POST', path: '/api/chats', body: json('{"name":5}'), status: 400, code: 'bad_request' },
  { method: 'POST', path: '/api/chats', body: json('{"content":""}'), status: 400, code: 'bad_request' },
  { method: 'POST', path: '/api/chats', body: json('[]'), status: 400, code: 'bad_request' },
  { method: 'POST', path: '/api/chats', body: json('{"__proto__":{"x":1}}'), status: 400, code: 'bad_request' },
  // c50 hands bodies of up to 100 MiB to the actor: the app refuses one over its own limit unread.
  { method: 'POST', path: '/api/chats', body: () => Buffer.alloc(3 * 1024 * 1024, 0x20), status: 413, code: 'payload_too_large' },
  // Well-formed, but from another origin: refused before anything is written.
  { method: 'POST', path: '/api/chats', body: json('{"name":"from elsewhere"}'), headers: { origin: 'https://evil.example' }, status: 403, code: 'forbidden' },
  { method: 'PUT', path: '/api/chats/x', body: noise, status: 400, code: 'bad_request' },
  { method: 'DELETE', path: '/api/chats/x', status: 400, code: 'bad_request' },
  { method: 'GET', path: '/api/chats/x/messages', status: 400, code: 'bad_request' },
  { method: 'POST', path: '/api/chats/x/messages', body: json('{"content":""}'), status: 400, code: 'bad_request' },
  { method: 'GET', path: '/api/messages/x', status: 400, code: 'bad_request' },
  { method: 'PUT', path: `/api/chats/${UNKNOWN_CHAT}`, body: noise, status: 400, code: 'invalid_json' },
  { method: 'PUT', path: `/api/chats/${UNKNOWN_CHAT}`, body: json('{"name":5}'), status: 400, code: 'bad_request' },
  { method: 'DELETE', path: `/api/chats/${UNKNOWN_CHAT}`, status: 404, code: 'not_found' },
  { method: 'GET', path: `/api/chats/${UNKNOWN_CHAT}/messages`, status: 404, code: 'not_found' },
  { method: 'POST', path: `/api/chats/${UNKNOWN_CHAT}/messages`, body: json('{"content":"x"}'), status: 404, code: 'not_found' },
  { method: 'POST', path: `/api/chats/${UNKNOWN_CHAT}/messages`, body: json('{"content":"x"}'), headers: { origin: 'https://evil.example' }, status: 403, code: 'forbidden' },
  { method: 'GET', path: '/assets/x', status: 404, code: 'not_found' },
  { method: 'PATCH', path: '/api/chats', body: noise, status: 405 },
  { method: 'OPTIONS', path: '/', status: 405 },
  { method: 'DELETE', path: '/api/health', status: 405 },
  { method: 'PUT', path: '/api/messages/x', body: noise, status: 405 },
  { method: 'POST', path: '/ws', body: noise, status: 404 },
  { method: 'GET', path: '/nope', status: 404 },
];

export interface RawOutcome {
  /** The TCP connection was accepted: false means nothing listens on the port any more. */
  connected: boolean;
  /** The host closed the connection (or reset it); false means it left it hanging. */
  closed: boolean;
  reply: string;
}

/** Sends bytes that are not a complete HTTP request, half-closes, and reports what the host did. */
export async function rawHttp(port: number, bytes: Buffer): Promise<RawOutcome> {
  return new Promise((resolve) => {
    let connected = false;
    let reply = '';
    const socket = connect(port, '127.0.0.1', () => {
      connected = true;
      socket.end(bytes);
    });
    socket.on('data', (d: Buffer) => (reply += d.toString('latin1')));
    // Closing on such bytes may reset the connection: that is the host's answer too.
    socket.on('error', () => undefined);
    // Not a timing claim: only a host that leaves the connection open gets here.
    const hang = setTimeout(() => (socket.destroy(), resolve({ connected, closed: false, reply })), 30_000);
    socket.on('close', () => (clearTimeout(hang), resolve({ connected, closed: true, reply })));
  });
}

export interface GarbageResult {
  http: number;
  frames: number;
  answeredFrames: number;
}

/**
 * Malformed HTTP requests and WebSocket frames. Throws at the first one that does not get its
 * own answer: the right status (and error code), an `error` frame with the right code, in
 * order, and nothing else; a reset, a refused connection or a request left unanswered fails too.
 */
export async function garbageDrill(host: RunningHost, httpCount: number, frameCount: number): Promise<GarbageResult> {
  try {
    return await garbageRounds(host, httpCount, frameCount);
  } catch (e) {
    // The caller's stop() comes after its checks; a failing drill must not leave the host running.
    host.proc.kill('SIGKILL');
    throw e;
  }
}

async function garbageRounds(host: RunningHost, httpCount: number, frameCount: number): Promise<GarbageResult> {
  for (let i = 0; i < httpCount; i++) {
    if (i % 10 === 9) {
      const truncated = i % 20 !== 19;
      const bytes = truncated ? Buffer.from(`POST /api/chats HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 500\r\n\r\n{"name":`) : randomBytes(300);
      const what = truncated ? 'a POST cut off mid-body' : '300 random bytes';
      const outcome = await rawHttp(host.port, bytes);
      if (!outcome.connected) throw new Error(`${what}: the host no longer accepts connections`);
      if (!outcome.closed) throw new Error(`${what}: the host left the connection open`);
      // Never a response that claims the request was handled.
      if (!/^(|HTTP\/1\.1 4\d\d [^]*)$/.test(outcome.reply)) throw new Error(`${what}: answered ${JSON.stringify(outcome.reply.slice(0, 80))}`);
      continue;
    }
    const req = pick(BAD_REQUESTS);
    const path = `${req.path}${pick(['', '?x=%ff', '/%2e%2e/%2e%2e/etc/passwd'])}`;
    // The traversal tail resolves away the route's last two segments: whatever is left, no route is there.
    const traversal = path.includes('/%2e%2e/');
    const status = traversal ? 404 : req.status;
    const code = traversal ? undefined : req.code;
    const what = `${req.method} ${path}`;
    let res: Response;
    try {
      res = await fetch(`${host.url}${path}`, { method: req.method, body: req.body ? new Uint8Array(req.body()) : undefined, headers: { 'content-type': 'application/json', ...req.headers } });
    } catch (e) {
      throw new Error(`${what}: no answer (${String((e as Error).cause ?? e)})`);
    }
    const text = await res.text();
    if (res.status !== status) throw new Error(`${what}: answered ${res.status}, not ${status}: ${text.slice(0, 200)}`);
    if (code !== undefined) {
      let got: unknown;
      try {
        got = (JSON.parse(text) as { error?: { code?: unknown } }).error?.code;
      } catch {
        got = undefined;
      }
      if (got !== code) throw new Error(`${what}: answered ${status} with ${text.slice(0, 200)}, not error code ${code}`);
    }
  }

  const frames = badFrames(frameCount);
  const ws = new WebSocket(`${host.url.replace('http', 'ws')}/ws`);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const replies: Frame[] = [];
  let wake: (() => void) | undefined;
  let closed = false;
  ws.on('message', (data, isBinary) => {
    replies.push(JSON.parse(isBinary ? Buffer.from(data as Buffer).toString('utf8') : String(data)) as Frame);
    wake?.();
  });
  ws.on('close', () => ((closed = true), wake?.()));
  /** The n-th frame to arrive; throws if the socket closes first or nothing arrives for 30 s (a hang, not a timing claim). */
  const nth = async (n: number, what: string): Promise<Frame> => {
    while (replies.length <= n) {
      if (closed) throw new Error(`the host closed the socket before answering ${what} (${replies.length - 1} of ${frameCount} frames answered)`);
      const before = replies.length;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 30_000).unref();
      });
      if (replies.length === before && !closed) throw new Error(`no answer to ${what} (${replies.length - 1} of ${frameCount} frames answered)`);
    }
    return replies[n]!;
  };
  try {
    ws.send(JSON.stringify({ type: 'hello', token: await sessionToken(host.url) }));
    for (const { frame } of frames) ws.send(frame, { binary: Buffer.isBuffer(frame) });
    const welcome = await nth(0, 'hello');
    if (welcome.type !== 'welcome') throw new Error(`hello answered ${JSON.stringify(welcome).slice(0, 200)}`);
    // Frames are answered in the order they were sent: the n-th reply belongs to the n-th frame.
    for (const [i, { frame, code }] of frames.entries()) {
      const what = `frame ${i} (${String(frame).slice(0, 40)}…)`;
      const reply = await nth(i + 1, what);
      if (reply.type !== 'error' || reply.code !== code) throw new Error(`${what} answered ${JSON.stringify(reply).slice(0, 200)}, not an error with code ${code}`);
    }
    // Nothing else came in between: the next frame is the answer to this ping.
    ws.send(JSON.stringify({ type: 'ping', request_id: 'after-garbage' }));
    const last = await nth(frames.length + 1, 'the closing ping');
    if (last.type !== 'pong' || last.request_id !== 'after-garbage') throw new Error(`expected the closing pong, got ${JSON.stringify(last).slice(0, 200)}`);
  } finally {
    ws.close();
  }
  return { http: httpCount, frames: frameCount, answeredFrames: frameCount };
}

export interface CrashRound {
  /** Messages the host confirmed (message_added) before it was killed. */
  acknowledged: number;
  /** Commands in flight when the kill came, left unanswered by it: at most one per client. */
  cut: number;
  missing: string[];
  problems: string[];
}

/**
 * Acknowledged writes a round needs before the kill: the guard that every round did real work.
 * Small, so a round stays close to two host starts long (the first generations in a fresh host
 * are slow under load, and the fast variant runs five rounds in npm test).
 */
export const CRASH_MIN_ACKNOWLEDGED = 3;

const cutByKill = (f: Frame) => f.type === 'error' && f.code === 'internal' && f.message === 'connection closed';

/**
 * Clients write and generate; the host is killed with SIGKILL after a random number of
 * acknowledged writes (at least CRASH_MIN_ACKNOWLEDGED), while the clients keep writing, then
 * checked. Any reply but the expected one fails the round, and so does a command left
 * unanswered, except the one each client had in flight when the kill came.
 */
export async function crashRound(data: string, env: Record<string, string>): Promise<CrashRound> {
  const host = await startHost({ data, env });
  const acknowledged: string[] = [];
  const target = CRASH_MIN_ACKNOWLEDGED + Math.floor(Math.random() * (CRASH_MIN_ACKNOWLEDGED + 1));
  let killed = false;
  let cut = 0;
  let reached!: () => void;
  const targetReached = new Promise<void>((resolve) => (reached = resolve));
  try {
    const clients = await Promise.all([0, 1, 2].map(() => ChatClient.open(host.url)));
    /** The reply of the expected type; undefined only for a command the kill cut off. */
    const ask = async (i: number, command: Record<string, unknown>, expected: string): Promise<Frame | undefined> => {
      if (killed) return undefined; // nothing is sent after the kill
      const reply = await clients[i]!.command(command, 60_000);
      if (reply.type === expected) return reply;
      if (killed && cutByKill(reply)) {
        cut++;
        return undefined;
      }
      throw new Error(`crash client ${i}: ${String(command.type)} answered ${JSON.stringify(reply).slice(0, 300)}, not ${expected}, ${killed ? 'after' : 'before'} the kill`);
    };
    const work = clients.map(async (_, i) => {
      if (!(await ask(i, { type: 'create_chat', name: `crash ${i}` }, 'chat_created'))) return;
      for (let n = 0; ; n++) {
        const sent = (await ask(i, { type: 'send_message', content: `message ${n} from client ${i}` }, 'message_added')) as (Frame & { message: { id: string } }) | undefined;
        if (!sent) return;
        acknowledged.push(sent.message.id);
        if (acknowledged.length >= target) reached();
        if (n % 3 === 0 && !(await ask(i, { type: 'generate_llm_response' }, 'generation_started'))) return;
      }
    });
    // The clients only stop on the kill: one that ends before it has failed, and fails the round.
    await Promise.race([targetReached, Promise.all(work)]);
    // Where the kill lands inside the clients' next commands varies; the round's work does not.
    await new Promise((r) => setTimeout(r, Math.random() * 20));
    killed = true;
    host.proc.kill('SIGKILL');
    await host.exited;
    await Promise.all(work);
    await Promise.all(clients.map((c) => c.close()));
  } finally {
    if (!killed) {
      killed = true;
      host.proc.kill('SIGKILL');
      await host.exited;
    }
  }
  if (acknowledged.length < target) throw new Error(`the round was killed after ${acknowledged.length} acknowledged writes, before its ${target}`);

  const report = await fsck(join(data, 'store'));
  const again = await startHost({ data, env });
  const missing: string[] = [];
  try {
    const checker = await ChatClient.open(again.url);
    for (const id of acknowledged) {
      const got = await checker.command({ type: 'get_message', message_id: id });
      if (got.type !== 'message') missing.push(id);
    }
    await checker.close();
  } finally {
    await again.stop();
  }
  const problems = [...report.problems];
  if (again.log().includes('FATAL')) problems.push(`the restarted host hit a fatal error:\n${again.log()}`);
  return { acknowledged: acknowledged.length, cut, missing, problems };
}

export interface LoadResult {
  commands: number;
  p50: number;
  p99: number;
  lost: number;
  duplicated: number;
  viewsIdentical: boolean;
  rssMb: number[];
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

/** Many clients on shared chats, reads and writes mixed; every write must arrive exactly once. */
export async function loadDrill(host: RunningHost, clientCount: number, perClient: number): Promise<LoadResult> {
  const clients = await Promise.all(Array.from({ length: clientCount }, () => ChatClient.open(host.url)));
  const shared = await Promise.all([0, 1].map(async (i) => ((await clients[0]!.command({ type: 'create_chat', name: `shared ${i}` })) as Frame & { chat: { id: string } }).chat.id));
  const latencies: number[] = [];
  const written = new Set<string>();
  const samples = [rssMb(host.proc.pid!)];
  let done = 0;
  await Promise.all(
    clients.map(async (c, i) => {
      for (let n = 0; n < perClient; n++) {
        const chat = shared[(i + n) % shared.length]!;
        const op = n % 4;
        const command =
          op === 0 || op === 2
            ? { type: 'send_message', chat_id: chat, content: `c${i}-n${n}` }
            : op === 1
              ? { type: 'get_branch', chat_id: chat }
              : { type: 'list_chats' };
        const t = performance.now();
        const reply = await c.command(command, 60_000);
        latencies.push(performance.now() - t);
        if (reply.type === 'error') throw new Error(`client ${i}: ${reply.message as string}`);
        if (command.type === 'send_message') written.add(command.content as string);
        if (++done % 2000 === 0) samples.push(rssMb(host.proc.pid!));
      }
    }),
  );
  samples.push(rssMb(host.proc.pid!));
  // Every client reads both chats: all views must be the same, each write present exactly once.
  const views = await Promise.all(clients.map(async (c) => JSON.stringify(await Promise.all(shared.map((id) => c.command({ type: 'get_branch', chat_id: id }))))));
  const contents = shared.length
    ? (JSON.parse(views[0]!) as { messages: { content: string }[] }[]).flatMap((b) => b.messages.map((m) => m.content))
    : [];
  const counts = new Map<string, number>();
  for (const c of contents) counts.set(c, (counts.get(c) ?? 0) + 1);
  await Promise.all(clients.map((c) => c.close()));
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    commands: latencies.length,
    p50: sorted[Math.floor(sorted.length / 2)]!,
    p99: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!,
    lost: [...written].filter((w) => !counts.has(w)).length,
    duplicated: [...counts.values()].filter((n) => n > 1).length,
    viewsIdentical: views.every((v) => v === views[0]),
    rssMb: samples,
  };
}
