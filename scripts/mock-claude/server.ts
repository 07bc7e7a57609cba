/**
 * A local stand-in for the Claude Messages API that speaks its wire format: the headers the real
 * SDK sends (Bearer or x-api-key, anthropic-version), the request checks the API makes (400 with
 * the real error shape, 413 over 32 MB), JSON and SSE replies with usage (cache writes and reads
 * included), images and documents described, signed thinking, web search with citations, and
 * injectable faults: statuses with retry-after, delays, truncated or malformed bodies, dropped
 * connections. Deterministic: the same request gets the same answer. Tests can also hold a request
 * unanswered until they release it, and read what happened to every request in order: overlap and
 * "answered meanwhile" are then proved by events, not by a stopwatch on a shared machine.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { inputUsage } from './cache.js';
import { ERROR_TYPES, markersIn } from './faults.js';
import { MOCK_MODELS, modelInfo } from './models.js';
import { replyTo } from './replies.js';
import { ApiError } from './schema.js';
import { sseBody } from './sse.js';
import type { Fault, MockClaude, MockEvent, RecordedRequest } from './types.js';
import { textOf, validate, type Msg, type Parsed } from './validate.js';

export type { Fault, MockClaude, MockEvent, RecordedRequest, ReplySummary, RequestSummary } from './types.js';
export { MOCK_MODELS };

/** The API's limit on a Messages request body (Cloudflare answers 413 above it). */
export const MAX_REQUEST_BYTES = 32 * 1024 * 1024;

const lastUserText = (messages: Msg[] | undefined) => textOf(messages?.findLast((m) => m.role === 'user')?.content ?? '');

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

  const sendError = (res: ServerResponse, status: number, message: string, fault?: Fault, details?: Record<string, unknown>) => {
    const requestId = `req_mock_${String(++counter).padStart(6, '0')}`;
    const headers: Record<string, string> = { 'content-type': 'application/json', 'request-id': requestId };
    if (fault?.retry_after !== undefined) headers['retry-after'] = String(fault.retry_after);
    const error = { type: fault?.type ?? ERROR_TYPES[status] ?? 'api_error', message, ...(details ? { details } : {}) };
    res.writeHead(status, headers).end(JSON.stringify({ type: 'error', error, request_id: requestId }));
  };

  /** `raw` is undefined when the body was over the limit (and was not kept). */
  const handleMessages = async (req: IncomingMessage, res: ServerResponse, raw: string | undefined, bytes: number) => {
    const request = ++received;
    let said = '';
    try {
      said = lastUserText((JSON.parse(raw ?? '') as { messages?: Msg[] }).messages);
    } catch {
      // Not JSON (or not messages): answered with a 400 below; the log still shows it.
    }
    record({ event: 'received', request, text: said });
    res.once('close', () => record({ event: res.writableFinished ? 'answered' : 'closed', request, text: said }));
    if (raw === undefined) {
      requests.push({ method: 'POST', path: '/v1/messages', headers: req.headers, body: undefined, bytes });
      return sendError(res, 413, 'Request exceeds the maximum allowed number of bytes. The maximum request size is 32 MB.');
    }
    const auth = req.headers['x-api-key'] ?? (req.headers.authorization?.startsWith('Bearer ') ? req.headers.authorization.slice(7) : undefined);
    if (!auth || auth === 'invalid') return sendError(res, 401, 'invalid x-api-key');
    if (!req.headers['anthropic-version']) return sendError(res, 400, 'anthropic-version: header is required');
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return sendError(res, 400, 'There was an error parsing the body of your request');
    }
    const recorded: RecordedRequest = { method: 'POST', path: '/v1/messages', headers: req.headers, body: parsed, bytes };
    requests.push(recorded);
    let body: Parsed;
    try {
      body = validate(parsed);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      return sendError(res, e.status, e.message, undefined, e.details);
    }
    recorded.summary = body.summary;
    const lastUser = lastUserText(body.messages);
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
    if (!modelInfo(body.model)) return sendError(res, 404, `model: ${body.model}`);

    const input = inputUsage(body.model, body.flat, cachedPrefixes);
    const reply = replyTo(body);
    const search = reply.web_search_requests !== undefined ? { server_tool_use: { web_search_requests: reply.web_search_requests, web_fetch_requests: 0 } } : {};
    const details = reply.thinking_tokens !== undefined ? { output_tokens_details: { thinking_tokens: reply.thinking_tokens } } : {};
    const final = { ...input, input_tokens: input.input_tokens + reply.search_input_tokens };
    const usage = { input_tokens: final.input_tokens, output_tokens: reply.output_tokens, cache_creation_input_tokens: final.cache_creation_input_tokens, cache_read_input_tokens: final.cache_read_input_tokens, ...search, ...details };
    recorded.reply = {
      blocks: reply.content.map((b) => b.type),
      thinking: reply.content.some((b) => b.type === 'thinking'),
      redactedThinking: reply.content.some((b) => b.type === 'redacted_thinking'),
      webSearches: reply.web_search_requests ?? 0,
      citations: reply.content.reduce((n, b) => n + (b.type === 'text' ? (b.citations?.length ?? 0) : 0), 0),
    };
    const requestId = `req_mock_${String(++counter).padStart(6, '0')}`;
    const message = { id: `msg_mock_${counter}`, type: 'message', role: 'assistant', model: body.model, content: reply.content, stop_reason: 'end_turn', stop_sequence: null, usage };
    const headers = { 'request-id': requestId, date: new Date().toUTCString() };

    if (fault?.malformed) return void res.writeHead(200, { ...headers, 'content-type': 'application/json' }).end('{"id": "msg_broken", "content": "not a list"');
    if (body.stream) {
      res.writeHead(200, { ...headers, 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const sse = sseBody({
        message,
        startUsage: { ...input, output_tokens: 1 },
        deltaUsage: { ...(body.webSearch ? final : {}), ...search, ...details },
        output_tokens: reply.output_tokens,
      });
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
    let bytes = 0;
    req.on('data', (c: Buffer) => {
      bytes += c.length;
      // Over the limit the body is read to its end (so the client sees the 413) but not kept.
      if (bytes <= MAX_REQUEST_BYTES) chunks.push(c);
      else chunks.length = 0;
    });
    req.on('end', () => {
      const raw = bytes > MAX_REQUEST_BYTES ? undefined : Buffer.concat(chunks).toString('utf8');
      const path = (req.url ?? '/').split('?')[0];
      options.log?.(`${req.method} ${path}`);
      if (req.method === 'POST' && path === '/__mock/faults') {
        queue.push(...(JSON.parse(raw ?? '[]') as Fault[]));
        return void res.writeHead(204).end();
      }
      if (req.method === 'POST' && path === '/v1/messages') return void handleMessages(req, res, raw, bytes).catch(() => res.destroy());
      if (req.method === 'GET' && path === '/v1/models') {
        const auth = req.headers['x-api-key'] ?? req.headers.authorization;
        if (!auth) return sendError(res, 401, 'invalid x-api-key');
        requests.push({ method: 'GET', path, headers: req.headers, body: undefined });
        return void res
          .writeHead(200, { 'content-type': 'application/json', 'request-id': `req_mock_${++counter}` })
          .end(JSON.stringify({ data: MOCK_MODELS, has_more: false, first_id: MOCK_MODELS[0]!.id, last_id: MOCK_MODELS.at(-1)!.id }));
      }
      sendError(res, 404, `Not found: ${req.method} ${path}`);
    });
  });
  // Node's 5 s default closes an idle keep-alive socket just as the SDK reuses it: on a loaded machine
  // that was an ECONNRESET on a 20 MB request (the real API keeps connections far longer).
  server.keepAliveTimeout = 60_000;
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
