/**
 * c50's http-client: a real request, the whole body buffered, any status is Ok, and Err only
 * when no response arrived (transport, DNS, TLS). No timeout, as on Theater.
 */
import type { HttpRequest, HttpResponse } from './wit-types.js';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export async function sendHttp(req: HttpRequest): Promise<HttpResponse> {
  if (!TOKEN.test(req.method)) throw 'Invalid HTTP method';
  let url: URL;
  try {
    url = new URL(req.uri);
  } catch {
    throw `builder error: relative URL without a base: ${req.uri.slice(0, 200)}`;
  }
  const headers = new Headers();
  for (const [name, value] of req.headers) headers.append(name, value);
  try {
    const res = await fetch(url, {
      method: req.method,
      headers,
      body: req.body && req.method !== 'GET' && req.method !== 'HEAD' ? (req.body as Uint8Array<ArrayBuffer>) : undefined,
      redirect: 'follow',
    });
    const body = new Uint8Array(await res.arrayBuffer());
    const out: [string, string][] = [];
    res.headers.forEach((value, name) => {
      if (name !== 'set-cookie') out.push([name, value]);
    });
    for (const cookie of res.headers.getSetCookie()) out.push(['set-cookie', cookie]);
    return { status: res.status, headers: out, body };
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw `error sending request for url (${url.origin}${url.pathname}): ${cause?.code ?? cause?.message ?? (e as Error).message}`;
  }
}
