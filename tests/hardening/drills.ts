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

/** Frames a client could send by mistake or malice; none is a valid command. */
export function badFrames(count: number): (string | Buffer)[] {
  const makers: (() => string | Buffer)[] = [
    () => randomBytes(1 + Math.floor(Math.random() * 200)),
    () => Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1]).toString('latin1'),
    () => '{"type":"send_message","content":"trunc',
    () => '['.repeat(2000 + Math.floor(Math.random() * 4000)),
    () => `{"a":${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}}`,
    () => JSON.stringify({ type: pick(['send_message', 'rename_chat', 'switch_chat', 'get_message']), content: 5, name: [], chat_id: {}, message_id: 7 }),
    () => JSON.stringify({ type: `no_such_${Math.random()}` }),
    () => '{"__proto__":{"type":"list_chats","polluted":true}}',
    () => '{"type":"constructor","constructor":{"prototype":{"x":1}}}',
    () => JSON.stringify({ type: 'send_message', content: 'x', chat_id: '../../etc' }),
    () => JSON.stringify({ type: 'get_message', message_id: `bagu${'a'.repeat(Math.floor(Math.random() * 200))}` }),
    () => JSON.stringify({ type: 'switch_chat', chat_id: '00000000-0000-4000-8000-00000000000' }),
    () => JSON.stringify({ type: 'rename_chat', chat_id: '00000000-0000-4000-8000-000000000000', name: 'x'.repeat(5000) }),
    () => 'x'.repeat(2 * 1024 * 1024 + 10),
    () => JSON.stringify({ type: 'send_message', content: '', request_id: 'r'.repeat(300) }),
    () => JSON.stringify([{ type: 'ping' }]),
    () => 'null',
  ];
  return Array.from({ length: count }, (_, i) => makers[i % makers.length]!());
}

async function rawHttp(port: number, bytes: Buffer): Promise<void> {
  await new Promise<void>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
    socket.on('data', () => undefined);
    socket.on('error', () => resolve());
    socket.on('close', () => resolve());
    setTimeout(() => (socket.destroy(), resolve()), 2000).unref();
  });
}

export interface GarbageResult {
  http: number;
  frames: number;
  answeredFrames: number;
}

/** Malformed HTTP requests and WebSocket frames; every frame must get an error back. */
export async function garbageDrill(host: RunningHost, httpCount: number, frameCount: number): Promise<GarbageResult> {
  const paths = ['/', '/assets/x', '/api/health', '/api/chats', '/api/chats/x', '/api/chats/x/messages', '/api/messages', '/api/messages/x', '/ws', '/nope'];
  const methods = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];
  for (let i = 0; i < httpCount; i++) {
    if (i % 10 === 9) {
      await rawHttp(host.port, i % 20 === 19 ? randomBytes(300) : Buffer.from(`POST /api/chats HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 500\r\n\r\n{"name":`));
      continue;
    }
    const method = pick(methods);
    const body = method === 'GET' ? undefined : pick([randomBytes(64), Buffer.from('{"name":5}'), Buffer.from('{"content":""}'), Buffer.from('[]'), Buffer.from('{"__proto__":{"x":1}}')]);
    const res = await fetch(`${host.url}${pick(paths)}${pick(['', '?x=%ff', '/%2e%2e/%2e%2e/etc/passwd'])}`, { method, body, headers: { 'content-type': 'application/json' } }).catch(() => undefined);
    if (res && res.status >= 500) throw new Error(`${method} answered ${res.status}`);
    await res?.arrayBuffer();
  }
  const ws = new WebSocket(`${host.url.replace('http', 'ws')}/ws`);
  await new Promise((r) => ws.once('open', r));
  let answered = 0;
  const replies = new Promise<void>((resolve) => {
    ws.on('message', () => {
      answered++;
      if (answered === frameCount + 1) resolve();
    });
    ws.on('close', () => resolve());
  });
  ws.send(JSON.stringify({ type: 'hello', token: await sessionToken(host.url) }));
  for (const frame of badFrames(frameCount)) ws.send(frame, { binary: Buffer.isBuffer(frame) });
  await Promise.race([replies, new Promise((r) => setTimeout(r, 60_000))]);
  ws.close();
  return { http: httpCount, frames: frameCount, answeredFrames: answered - 1 };
}

export interface CrashRound {
  acknowledged: number;
  missing: string[];
  problems: string[];
}

/** Clients write and generate; the host is killed with SIGKILL at a random moment, then checked. */
export async function crashRound(data: string, env: Record<string, string>): Promise<CrashRound> {
  const host = await startHost({ data, env });
  const acknowledged: string[] = [];
  const clients = await Promise.all([0, 1, 2].map(() => ChatClient.open(host.url)));
  let running = true;
  const work = clients.map(async (c, i) => {
    const created = (await c.command({ type: 'create_chat', name: `crash ${i}` })) as Frame & { chat?: { id: string } };
    if (!created.chat) return;
    for (let n = 0; running; n++) {
      const sent = (await c.command({ type: 'send_message', content: `message ${n} from client ${i}` })) as Frame & { message?: { id: string } };
      if (sent.type !== 'message_added' || !sent.message) return;
      acknowledged.push(sent.message.id);
      if (n % 3 === 0) {
        const started = await c.command({ type: 'generate_llm_response' });
        if (started.type !== 'generation_started') return;
      }
    }
  });
  await new Promise((r) => setTimeout(r, 150 + Math.random() * 600));
  running = false;
  host.proc.kill('SIGKILL');
  await host.exited;
  await Promise.all(work);
  await Promise.all(clients.map((c) => c.close()));

  const report = await fsck(join(data, 'store'));
  const again = await startHost({ data, env });
  const checker = await ChatClient.open(again.url);
  const missing: string[] = [];
  for (const id of acknowledged) {
    const got = await checker.command({ type: 'get_message', message_id: id });
    if (got.type !== 'message') missing.push(id);
  }
  await checker.close();
  await again.stop();
  return { acknowledged: acknowledged.length, missing, problems: report.problems };
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
