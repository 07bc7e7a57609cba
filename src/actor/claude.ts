/**
 * Claude from inside the component: the SDK's fetch is Theater's http-client (blocking, whole body),
 * the key is read from the environment or the key file at call time and never kept.
 */
import { environment, filesystem, httpClient } from './theater.js';
import { claudeClient, type Fetch } from '../core/claude/client.js';
import type { Llm } from '../core/claude/llm.js';
import { describe, ownBytes } from './common.js';

const KEY_FILE = 'api-key.txt';
const decoder = new TextDecoder();

function apiKey(): string | undefined {
  const fromEnv = environment.getVar('ANTHROPIC_API_KEY')?.trim();
  if (fromEnv) return fromEnv;
  try {
    if (!filesystem.pathExists(KEY_FILE)) return undefined;
    return decoder.decode(filesystem.readFile(KEY_FILE)).trim() || undefined;
  } catch {
    return undefined;
  }
}

async function bodyBytes(body: BodyInit | null | undefined): Promise<Uint8Array | undefined> {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return new TextEncoder().encode(body);
  if (body instanceof Uint8Array) return body;
  return new Uint8Array(await new Response(body).arrayBuffer());
}

/** fetch over send-http: 4xx/5xx come back as responses; only a lost connection is an error. */
async function hostFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const headers: [string, string][] = [];
  new Headers(init?.headers).forEach((value, name) => headers.push([name, value]));
  let res;
  try {
    res = httpClient.sendHttp({ method: (init?.method ?? 'GET').toUpperCase(), uri: url, headers, body: await bodyBytes(init?.body) });
  } catch (e) {
    throw new TypeError(`fetch failed: ${describe(e)}`);
  }
  const nullBody = res.status === 204 || res.status === 304 || res.body === undefined;
  return new Response(nullBody ? null : (ownBytes(res.body!) as Uint8Array<ArrayBuffer>), { status: res.status, headers: res.headers });
}

export function theaterClaude(configuredBaseUrl: () => string | undefined): Llm {
  return claudeClient({
    fetch: hostFetch as Fetch,
    apiKey,
    baseURL: () => environment.getVar('ANTHROPIC_BASE_URL')?.trim() || configuredBaseUrl(),
  });
}
