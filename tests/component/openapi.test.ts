/** Real responses of the component, checked against docs/openapi.yaml. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import Ajv2020 from 'ajv/dist/2020.js';
import { ROOT } from '../helpers/host.js';
import { hostForTests } from '../helpers/suite-host.js';
import { pdf, png } from '../helpers/media-fixtures.js';
import { ChatClient } from '../helpers/chat-client.js';
import { TEST_API_KEY } from '../helpers/secrets.js';
import { startMockClaude, type MockClaude } from '../../scripts/mock-claude/server.js';
import type { Frame } from '../scenarios/driver.js';

type Documented = { $ref?: string; headers?: Record<string, { schema: object }>; content?: Record<string, { schema: object }> };
type Spec = { paths: Record<string, Record<string, { responses: Record<string, Documented> }>>; components: { responses: Record<string, { content: Record<string, { schema: object }> }>; schemas: object } };

const spec = parse(readFileSync(join(ROOT, 'docs/openapi.yaml'), 'utf8')) as Spec;
const ajv = new Ajv2020({ strict: false });
ajv.addSchema({ $id: 'openapi', components: spec.components });
const resolveRefs = (schema: object): object => JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/'));

function templateOf(path: string): string {
  const bare = path.split('?')[0]!;
  const match = Object.keys(spec.paths).find((t) => new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(bare));
  if (!match) throw new Error(`${path} is not in openapi.yaml`);
  return match;
}

function documented(method: string, path: string, status: number): Documented {
  const op = spec.paths[templateOf(path)]![method.toLowerCase()];
  if (!op) throw new Error(`${method} ${path} is not documented`);
  const response = op.responses[String(status)];
  if (!response) throw new Error(`${method} ${path} answered ${status}, which openapi.yaml does not list`);
  return response.$ref ? spec.components.responses[response.$ref.split('/').pop()!]! : response;
}

function check(method: string, path: string, status: number, body: unknown): void {
  const response = documented(method, path, status);
  const schema = response.content?.['application/json']?.schema;
  if (!schema) throw new Error(`${method} ${path} ${status} has no JSON schema`);
  const validate = ajv.compile(resolveRefs(schema));
  if (!validate(body)) throw new Error(`${method} ${path} ${status}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 500)}`);
}

/** A response that is not JSON (a file): its type must be one the spec lists, and every documented header present and as described. */
function checkFile(path: string, res: Response): void {
  const response = documented('GET', path, res.status);
  const type = res.headers.get('content-type') ?? '';
  if (!response.content?.[type.split(';')[0]!.trim()]) throw new Error(`GET ${path} ${res.status} answered ${type}, which openapi.yaml does not list`);
  for (const [name, header] of Object.entries(response.headers ?? {})) {
    const value = res.headers.get(name);
    const validate = ajv.compile(header.schema);
    if (value === null || !validate(value)) throw new Error(`GET ${path} ${res.status}: header ${name} is ${JSON.stringify(value)}: ${ajv.errorsText(validate.errors)}`);
  }
}

describe('docs/openapi.yaml describes the real responses', () => {
  const suite = hostForTests();

  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${suite.host.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const json = (await res.json()) as Record<string, any>;
    check(method, path, res.status, json);
    return { status: res.status, json };
  }

  async function upload(bytes: Buffer, name: string, type: string) {
    const res = await fetch(`${suite.host.url}/api/blobs`, { method: 'POST', body: new Uint8Array(bytes), headers: { 'content-type': type, 'x-file-name': encodeURIComponent(name) } });
    const json = (await res.json()) as Record<string, any>;
    check('POST', '/api/blobs', res.status, json);
    return { status: res.status, json };
  }

  async function download(path: string): Promise<Buffer> {
    const res = await fetch(`${suite.host.url}${path}`);
    expect(res.status).toBe(200);
    checkFile(path, res);
    return Buffer.from(await res.arrayBuffer());
  }

  it('for every endpoint, in success and in error', async () => {
    await call('GET', '/api/health');
    const created = await call('POST', '/api/chats', { name: 'Spec', system: 'Be brief.', created_at: '2026-11-26T12:00:00+01:00' });
    expect(created.status).toBe(201);
    const id = created.json.chat.id as string;
    await call('GET', '/api/chats');
    await call('GET', `/api/chats/${id}`);
    await call('PUT', `/api/chats/${id}`, { name: 'Spec 2', model: 'claude-sonnet-4-5' });
    const changed = await call('PUT', `/api/chats/${id}`, { thinking: { effort: 'high' }, web_search: { max_uses: 3 } });
    expect(changed.json.chat).toMatchObject({ name: 'Spec 2', thinking: { effort: 'high' }, web_search: { max_uses: 3 } });
    expect((await call('PUT', `/api/chats/${id}`, { web_search: null })).json.chat).toMatchObject({ thinking: { effort: 'high' }, web_search: null });
    expect((await call('PUT', `/api/chats/${id}`, { thinking: { effort: 'max' } })).status).toBe(400);
    const posted = await call('POST', `/api/chats/${id}/messages`, { content: 'hello', created_at: '2026-11-26T12:01:00Z' });
    const first = posted.json.message.id as string;
    // Files: uploaded whole, named by id in a message, served back as they were.
    const image = png(32, 24);
    const shot = await upload(image, 'shot.png', 'image/png');
    expect(shot.status).toBe(201);
    expect(shot.json.blob).toMatchObject({ kind: 'image', media_type: 'image/png', size: image.length, width: 32, height: 24, name: 'shot.png' });
    const paper = await upload(pdf(2), 'paper.pdf', 'application/pdf');
    expect(paper.json.blob).toMatchObject({ kind: 'pdf', pages: 2 });
    const withFiles = await call('POST', `/api/chats/${id}/messages`, {
      content: 'what are these?',
      attachments: [
        { cid: shot.json.blob.cid, name: 'shot.png' },
        { cid: paper.json.blob.cid, name: 'paper.pdf' },
      ],
    });
    expect(withFiles.status).toBe(201);
    expect(withFiles.json.message.attachments.map((a: { name: string }) => a.name)).toEqual(['shot.png', 'paper.pdf']);
    expect((await download(`/api/blobs/${shot.json.blob.cid}`)).equals(image)).toBe(true);
    expect((await download(`/api/blobs/${paper.json.blob.cid}?name=paper.pdf`)).subarray(0, 5).toString()).toBe('%PDF-');
    const tooBig = await upload(Buffer.concat([png(100, 100), Buffer.alloc(4 * 1024 * 1024, 1)]), 'big.png', 'image/png');
    expect(tooBig.status).toBe(413);
    expect((await upload(Buffer.from([0, 1, 2, 3, 0, 255]), 'x.bin', 'application/octet-stream')).status).toBe(400);
    const neverStored = 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku';
    expect((await call('GET', `/api/blobs/${neverStored}`)).status).toBe(404);
    expect((await call('GET', `/api/blobs/${first}`)).status).toBe(400);
    expect((await call('POST', `/api/chats/${id}/messages`, { content: 'see', attachments: [{ cid: neverStored, name: 'ghost.png' }] })).status).toBe(400);
    await call('POST', `/api/chats/${id}/messages`, { content: 'a sibling', parent_id: null });
    await call('GET', `/api/chats/${id}/messages`);
    await call('GET', `/api/chats/${id}/messages?limit=1&before=${first}`);
    await call('GET', '/api/chats?limit=1');
    expect((await call('GET', '/api/chats?limit=0')).status).toBe(400);
    expect((await call('GET', '/api/chats?after=00000000-0000-4000-8000-000000000000')).status).toBe(404);
    await call('GET', `/api/messages?chat_id=${id}`);
    await call('GET', '/api/messages');
    await call('GET', `/api/messages/${first}`);
    await call('POST', '/api/chats', { name: 'Fork', starting_head: first });
    await call('GET', '/api/search?q=hello');
    expect((await call('GET', '/api/search?q=')).status).toBe(400);
    const exported = await call('GET', `/api/chats/${id}/export`);
    expect(Object.keys(exported.json.blobs).sort()).toEqual([shot.json.blob.cid, paper.json.blob.cid].sort());
    expect((await call('POST', '/api/import', exported.json)).status).toBe(201);
    expect((await call('POST', '/api/import', { format: 'nope' })).status).toBe(400);
    // errors
    expect((await call('GET', '/api/chats/nope')).status).toBe(400);
    expect((await call('GET', '/api/chats/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await call('POST', '/api/chats', { name: '' })).status).toBe(400);
    expect((await call('POST', '/api/chats', { name: 'x', surprise: 1 })).status).toBe(400);
    expect((await call('POST', '/api/chats', { name: 'x' }, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await call('POST', `/api/chats/${id}/messages`, { content: 'x'.repeat(1024 * 1024 + 10) })).status).toBe(413);
    expect((await call('GET', `/api/messages/${first.slice(0, -2)}aa`)).status).toBe(404);
    expect((await call('GET', '/api/messages/bafy')).status).toBe(400);
    expect((await call('PUT', `/api/chats/${id}`, 'not json')).status).toBe(400);
    expect((await call('DELETE', `/api/chats/${id}`)).status).toBe(200);
    expect((await call('DELETE', `/api/chats/${id}`)).status).toBe(404);
  });
});

describe('docs/openapi.yaml describes replies with thinking and web search', () => {
  let mock: MockClaude;
  beforeAll(async () => {
    mock = await startMockClaude();
  });
  afterAll(async () => {
    await mock?.close();
  });
  const suite = hostForTests(() => ({ env: { ANTHROPIC_API_KEY: TEST_API_KEY, ANTHROPIC_BASE_URL: mock.url } }));

  async function get(path: string): Promise<Record<string, any>> {
    const res = await fetch(`${suite.host.url}${path}`);
    const json = (await res.json()) as Record<string, any>;
    check('GET', path, res.status, json);
    return json;
  }

  it('as the REST API serves them', async () => {
    const c = await ChatClient.open(suite.host.url);
    const { chat } = (await c.command({ type: 'create_chat', name: 'Parts', model: 'claude-haiku-4-5', thinking: { effort: 'low' }, web_search: { max_uses: 2 } })) as Frame & { chat: { id: string } };
    await c.command({ type: 'send_message', content: 'think, then search the web for tides' });
    await c.command({ type: 'generate_llm_response' });
    const isEnd = (f: Frame) => f.type === 'generation_finished' || f.type === 'generation_failed';
    const end = (await c.until(isEnd)).find(isEnd)!;
    expect(end.type, JSON.stringify(end)).toBe('generation_finished');
    await c.close();
    const { message } = await get(`/api/messages/${end.message_id}`);
    expect(message.parts.map((p: { type: string }) => p.type)).toEqual(expect.arrayContaining(['thinking', 'search', 'text']));
    expect(message.sources.length).toBeGreaterThan(0);
    expect(message.meta.usage).toMatchObject({ thinking_tokens: expect.any(Number), web_search_requests: 1 });
    const totals = (await get(`/api/chats/${chat.id}`)).chat.usage;
    expect(totals.web_search_requests).toBe(1);
    expect(totals.thinking_tokens).toBe(message.meta.usage.thinking_tokens);
  });
});
