/** Real responses of the component, checked against docs/openapi.yaml. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import Ajv2020 from 'ajv/dist/2020.js';
import { ROOT } from '../helpers/host.js';
import { hostForTests } from '../helpers/suite-host.js';

type Spec = { paths: Record<string, Record<string, { responses: Record<string, { $ref?: string; content?: Record<string, { schema: object }> }> }>>; components: { responses: Record<string, { content: Record<string, { schema: object }> }>; schemas: object } };

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

function check(method: string, path: string, status: number, body: unknown): void {
  const op = spec.paths[templateOf(path)]![method.toLowerCase()];
  if (!op) throw new Error(`${method} ${path} is not documented`);
  let response = op.responses[String(status)];
  if (!response) throw new Error(`${method} ${path} answered ${status}, which openapi.yaml does not list`);
  if (response.$ref) response = spec.components.responses[response.$ref.split('/').pop()!]!;
  const schema = response.content?.['application/json']?.schema;
  if (!schema) throw new Error(`${method} ${path} ${status} has no JSON schema`);
  const validate = ajv.compile(resolveRefs(schema));
  if (!validate(body)) throw new Error(`${method} ${path} ${status}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 500)}`);
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

  it('for every endpoint, in success and in error', async () => {
    await call('GET', '/api/health');
    const created = await call('POST', '/api/chats', { name: 'Spec', system: 'Be brief.', created_at: '2026-11-26T12:00:00+01:00' });
    expect(created.status).toBe(201);
    const id = created.json.chat.id as string;
    await call('GET', '/api/chats');
    await call('GET', `/api/chats/${id}`);
    await call('PUT', `/api/chats/${id}`, { name: 'Spec 2', model: 'claude-sonnet-4-5' });
    const posted = await call('POST', `/api/chats/${id}/messages`, { content: 'hello', created_at: '2026-11-26T12:01:00Z' });
    const first = posted.json.message.id as string;
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
