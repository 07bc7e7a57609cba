/**
 * A local stand-in for the Claude Messages API that speaks its wire format: the headers the real
 * SDK sends (Bearer or x-api-key, anthropic-version), the request checks the API makes (400 with
 * the real error shape), JSON and SSE replies with usage (cache writes and reads included), and
 * injectable faults: statuses with retry-after, delays, truncated or malformed bodies, dropped
 * connections. Deterministic: the same request gets the same answer. Tests can also hold a request
 * unanswered until they release it, and read what happened to every request in order: overlap and
 * "answered meanwhile" are then proved by events, not by a stopwatch on a shared machine.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';

export interface Fault {
  status?: number;
  type?: string;
  message?: string;
  /** seconds, sent as `retry-after` */
  retry_after?: number;
  delay_ms?: number;
  /** send half of a valid body, then close */
  truncate?: boolean;
  /** 200 with a body that is not a Message */
  malformed?: boolean;
  /** close the connection without an answer */
  drop?: boolean;
  /** keep the request unanswered until `release()` (or `close()`); then answer it normally */
  hold?: boolean;
}

/** What happened to one /v1/messages request; `text` is its last user message. */
export interface MockEvent {
  event: 'received' | 'answered' | 'closed';
  /** 1, 2, … in the order the requests arrived */
  request: number;
  text: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface MockClaude {
  url: string;
  requests: RecordedRequest[];
  /** Faults for the next /v1/messages requests, one each, in order. */
  queueFaults(faults: Fault[]): void;
  /** /v1/messages requests as things happened to them: received, then answered or closed unanswered. */
  log: MockEvent[];
  /** Last user messages of the requests received and not yet answered nor closed, oldest first. */
  inFlight(): string[];
  /** Resolves once `condition` holds over the log (checked at every new entry); rejects after timeoutMs, saying `what`. */
  until(condition: (log: MockEvent[]) => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** Lets held requests whose last user message contains `match` (all without it) be answered; returns how many. */
  release(match?: string): number;
  close(): Promise<void>;
}

export const MOCK_MODELS = [
  { id: 'claude-sonnet-5', display_name: 'Claude Sonnet 5', created_at: '2026-06-30T00:00:00Z' },
  { id: 'claude-opus-5', display_name: 'Claude Opus 5', created_at: '2026-07-24T00:00:00Z' },
  { id: 'claude-haiku-4-5', display_name: 'Claude Haiku 4.5', created_at: '2025-10-01T00:00:00Z' },
  { id: 'claude-mock-unpriced', display_name: 'Mock model without a price', created_at: '2026-01-01T00:00:00Z' },
];

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  409: 'conflict_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

const tokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));

type Block = { type: string; text?: string; cache_control?: unknown };
type Msg = { role: string; content: string | Block[] };

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function textOf(content: string | Block[]): string {
  return typeof content === 'string' ? content : content.map((b) => b.text ?? '').join('');
}

function validate(body: unknown): { model: string; max_tokens: number; messages: Msg[]; system?: string | Block[]; stream?: boolean } {
  if (typeof body !== 'object' || body === null) throw new ApiError(400, 'There was an error parsing the body of your request');
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string' || !b.model) throw new ApiError(400, 'model: Field required');
  if (!Number.isInteger(b.max_tokens) || (b.max_tokens as number) < 1) throw new ApiError(400, 'max_tokens: Input should be a valid integer greater than or equal to 1');
  if (!Array.isArray(b.messages) || b.messages.length === 0) throw new ApiError(400, 'messages: at least one message is required');
  let breakpoints = 0;
  const countBlocks = (blocks: Block[], where: string) => {
    for (const [i, block] of blocks.entries()) {
      if (block.type !== 'text') throw new ApiError(400, `${where}.${i}.type: only text blocks are supported by this mock`);
      if (typeof block.text !== 'string' || block.text.length === 0) throw new ApiError(400, `${where}.${i}: text content blocks must be non-empty`);
      if (block.cache_control !== undefined) breakpoints++;
    }
  };
  b.messages.forEach((m: Msg, i: number) => {
    if (m?.role !== 'user' && m?.role !== 'assistant') throw new ApiError(400, `messages.${i}.role: Input should be 'user' or 'assistant'`);
    if (typeof m.content === 'string') {
      if (m.content.length === 0) throw new ApiError(400, `messages.${i}: user messages must have non-empty content`);
    } else if (Array.isArray(m.content)) countBlocks(m.content, `messages.${i}.content`);
    else throw new ApiError(400, `messages.${i}.content: Input should be a valid string or list`);
  });
  if ((b.messages[0] as Msg).role !== 'user') throw new ApiError(400, 'messages: first message must use the "user" role');
  if (b.system !== undefined) {
    if (Array.isArray(b.system)) countBlocks(b.system as Block[], 'system');
    else if (typeof b.system !== 'string') throw new ApiError(400, 'system: Input should be a valid string or list');
  }
  if (breakpoints > 4) throw new ApiError(400, `A maximum of 4 blocks with cache_control may be provided. Found ${breakpoints}.`);
  return b as never;
}

function markersIn(text: string): Fault | undefined {
  const fault = /\[\[fault:(\d{3})(?::retry-after=(\d+))?\]\]/.exec(text);
  if (fault) return { status: Number(fault[1]), retry_after: fault[2] === undefined ? undefined : Number(fault[2]) };
  const delay = /\[\[delay:(\d+)\]\]/.exec(text);
  if (delay) return { delay_ms: Number(delay[1]) };
  if (text.includes('[[truncate]]')) return { truncate: true };
  if (text.includes('[[malformed]]')) return { malformed: true };
  if (text.includes('[[drop]]')) return { drop: true };
  if (text.includes('[[hold]]')) return { hold: true };
  return undefined;
}

const MARKDOWN_SAMPLE = [
  '',
  '',
  'Here is **bold**, *italic*, a [link](https://example.com) and a list:',
  '',
  '- one',
  '- two',
  '',
  '```ts',
  'const greeting: string = "hello";',
  'console.log(greeting);',
  '```',
].join('\n');

function replyTo(messages: Msg[]): string {
  const last = [...messages].reverse().find((m) => m.role === 'user');
  const said = textOf(last?.content ?? '').replace(/\[\[[^\]]*\]\]/g, '').trim();
  const turn = messages.filter((m) => m.role === 'user').length;
  let reply = `Mock reply #${turn} to: “${said.slice(0, 200)}”`;
  if (/markdown/i.test(said)) reply += MARKDOWN_SAMPLE;
  return reply;
}

export async function startMockClaude(options: { port?: number; host?: string; log?: (line: string) => void } = {}): Promise<MockClaude> {
  const requests: RecordedRequest[] = [];
  const queue: Fault[] = [];
  const failedOnce = new Set<string>();
  const cachedPrefixes = new Set<string>();
  let counter = 0;
  const log: MockEvent[] = [];
  const watchers = new Set<() => void>();
  const held: { text: string; release: () => void }[] = [];
  let received = 0;
  const record = (event: MockEvent) => {
    log.push(event);
    for (const watch of [...watchers]) watch();
  };

  const sendError = (res: ServerResponse, status: number, message: string, fault?: Fault) => {
    const requestId = `req_mock_${String(++counter).padStart(6, '0')}`;
    const headers: Record<string, string> = { 'content-type': 'application/json', 'request-id': requestId };
    if (fault?.retry_after !== undefined) headers['retry-after'] = String(fault.retry_after);
    res.writeHead(status, headers).end(JSON.stringify({ type: 'error', error: { type: fault?.type ?? ERROR_TYPES[status] ?? 'api_error', message }, request_id: requestId }));
  };

  const handleMessages = async (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const request = ++received;
    let said = '';
    try {
      said = textOf([...((JSON.parse(raw) as { messages?: Msg[] }).messages ?? [])].reverse().find((m) => m.role === 'user')?.content ?? '');
    } catch {
      // Not JSON: answered with a 400 below; the log still shows it.
    }
    record({ event: 'received', request, text: said });
    res.once('close', () => record({ event: res.writableFinished ? 'answered' : 'closed', request, text: said }));
    const auth = req.headers['x-api-key'] ?? (req.headers.authorization?.startsWith('Bearer ') ? req.headers.authorization.slice(7) : undefined);
    if (!auth || auth === 'invalid') return sendError(res, 401, 'invalid x-api-key');
    if (!req.headers['anthropic-version']) return sendError(res, 400, 'anthropic-version: header is required');
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return sendError(res, 400, 'There was an error parsing the body of your request');
    }
    requests.push({ method: 'POST', path: '/v1/messages', headers: req.headers, body: parsed });
    let body;
    try {
      body = validate(parsed);
    } catch (e) {
      return sendError(res, (e as ApiError).status ?? 400, (e as Error).message);
    }
    const lastUser = textOf([...body.messages].reverse().find((m) => m.role === 'user')?.content ?? '');
    let fault = queue.shift() ?? markersIn(lastUser);
    const once = /\[\[fail-once:(\d{3})\]\]/.exec(lastUser);
    if (!fault && once) {
      const key = createHash('sha256').update(JSON.stringify(body.messages)).digest('hex');
      if (!failedOnce.has(key)) {
        failedOnce.add(key);
        fault = { status: Number(once[1]), retry_after: 0 };
      }
    }
    if (fault?.delay_ms) await new Promise((r) => setTimeout(r, fault.delay_ms));
    if (fault?.hold) await new Promise<void>((release) => held.push({ text: lastUser, release }));
    if (fault?.drop) return void req.socket.destroy();
    if (fault?.status) return sendError(res, fault.status, fault.message ?? `mock ${ERROR_TYPES[fault.status] ?? 'error'} (injected)`, fault);
    if (!MOCK_MODELS.some((m) => m.id === body.model)) return sendError(res, 404, `model: ${body.model}`);

    // Cache: the prefix up to the last cache_control breakpoint is written once, then read.
    const flat: { text: string; cached: boolean }[] = [];
    const push = (content: string | Block[]) => {
      if (typeof content === 'string') flat.push({ text: content, cached: false });
      else for (const b of content) flat.push({ text: b.text ?? '', cached: b.cache_control !== undefined });
    };
    if (body.system) push(body.system);
    for (const m of body.messages) push(m.content);
    const lastBreak = flat.map((f) => f.cached).lastIndexOf(true);
    const prefix = lastBreak >= 0 ? flat.slice(0, lastBreak + 1).map((f) => f.text).join('\u0000') : '';
    const rest = flat.slice(lastBreak + 1).map((f) => f.text).join('');
    const prefixTokens = prefix ? tokens(prefix) : 0;
    const prefixKey = `${body.model}:${createHash('sha256').update(prefix).digest('hex')}`;
    const cacheRead = prefix && cachedPrefixes.has(prefixKey) ? prefixTokens : 0;
    const cacheWrite = prefix && !cacheRead ? prefixTokens : 0;
    if (prefix) cachedPrefixes.add(prefixKey);
    const text = replyTo(body.messages);
    const usage = { input_tokens: tokens(rest || ' '), output_tokens: tokens(text), cache_creation_input_tokens: cacheWrite, cache_read_input_tokens: cacheRead };
    const requestId = `req_mock_${String(++counter).padStart(6, '0')}`;
    const message = { id: `msg_mock_${counter}`, type: 'message', role: 'assistant', model: body.model, content: [{ type: 'text', text }], stop_reason: 'end_turn', stop_sequence: null, usage };
    const headers = { 'request-id': requestId, date: new Date().toUTCString() };

    if (fault?.malformed) return void res.writeHead(200, { ...headers, 'content-type': 'application/json' }).end('{"id": "msg_broken", "content": "not a list"');
    if (body.stream) {
      res.writeHead(200, { ...headers, 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const events: [string, unknown][] = [
        ['message_start', { type: 'message_start', message: { ...message, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } } }],
        ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
        ['ping', { type: 'ping' }],
        ...(text.match(/[\s\S]{1,24}/g) ?? []).map((chunk): [string, unknown] => ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: chunk } }]),
        ['content_block_stop', { type: 'content_block_stop', index: 0 }],
        ['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: usage.output_tokens } }],
        ['message_stop', { type: 'message_stop' }],
      ];
      const sse = events.map(([name, data]) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`).join('');
      if (fault?.truncate) return void res.end(sse.slice(0, Math.floor(sse.length / 2)));
      return void res.end(sse);
    }
    const json = JSON.stringify(message);
    if (fault?.truncate) {
      res.writeHead(200, { ...headers, 'content-type': 'application/json', 'content-length': String(json.length) });
      res.write(json.slice(0, Math.floor(json.length / 2)));
      return void res.socket?.destroy();
    }
    res.writeHead(200, { ...headers, 'content-type': 'application/json' }).end(json);
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const path = (req.url ?? '/').split('?')[0];
      options.log?.(`${req.method} ${path}`);
      if (req.method === 'POST' && path === '/__mock/faults') {
        queue.push(...(JSON.parse(raw) as Fault[]));
        return void res.writeHead(204).end();
      }
      if (req.method === 'POST' && path === '/v1/messages') return void handleMessages(req, res, raw).catch(() => res.destroy());
      if (req.method === 'GET' && path === '/v1/models') {
        const auth = req.headers['x-api-key'] ?? req.headers.authorization;
        if (!auth) return sendError(res, 401, 'invalid x-api-key');
        requests.push({ method: 'GET', path, headers: req.headers, body: undefined });
        const data = MOCK_MODELS.map((m) => ({ type: 'model', ...m }));
        return void res
          .writeHead(200, { 'content-type': 'application/json', 'request-id': `req_mock_${++counter}` })
          .end(JSON.stringify({ data, has_more: false, first_id: data[0]!.id, last_id: data.at(-1)!.id }));
      }
      sendError(res, 404, `Not found: ${req.method} ${path}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    queueFaults: (faults) => void queue.push(...faults),
    log,
    inFlight: () => {
      const done = new Set(log.filter((e) => e.event !== 'received').map((e) => e.request));
      return log.filter((e) => e.event === 'received' && !done.has(e.request)).map((e) => e.text);
    },
    until: (condition, what, timeoutMs = 60_000) =>
      new Promise<void>((resolve, reject) => {
        if (condition(log)) return resolve();
        const timer = setTimeout(() => {
          watchers.delete(watch);
          reject(new Error(`mock Claude: no ${what} within ${timeoutMs} ms; log: ${JSON.stringify(log.slice(-20))}`));
        }, timeoutMs);
        const watch = () => {
          if (!condition(log)) return;
          clearTimeout(timer);
          watchers.delete(watch);
          resolve();
        };
        watchers.add(watch);
      }),
    release: (match) => {
      const chosen = held.filter((h) => match === undefined || h.text.includes(match));
      for (const h of chosen) {
        held.splice(held.indexOf(h), 1);
        h.release();
      }
      return chosen.length;
    },
    close: () =>
      new Promise((resolve) => {
        // Held handlers finish against closed sockets instead of waiting forever.
        for (const h of held.splice(0)) h.release();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
