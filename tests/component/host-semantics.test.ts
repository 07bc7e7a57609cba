/**
 * The Node host behaves as Theater c50b1871 does, checked through a real probe component
 * (tests/fixtures/probe-actor.js) that calls every interface the chat actor imports.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { FIXTURES } from '../fixtures/build-fixtures.js';
import { expectNoFatal, openSocket, startHost, tempDir, writeManifest, type RunningHost } from '../helpers/host.js';

const HANDLERS = `[[handler]]\ntype = "environment"\nallowed_vars = ["PROBE_VISIBLE"]\n[[handler]]\ntype = "filesystem"\npath = "files"\n`;

function probeManifest(): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'files'));
  writeFileSync(join(dir, 'files/hello.txt'), 'hello from a file');
  writeFileSync(join(dir, 'outside.txt'), 'must stay unreadable');
  return writeManifest(join(FIXTURES, 'probe.wasm'), { port: 0 }, HANDLERS, dir);
}

describe('host semantics (probe component)', () => {
  let host: RunningHost;
  let upstream: Server;
  let upstreamUrl: string;
  // /slow is held until the test releases it: "meanwhile" is then an order of events, not a time.
  let slowArrived: () => void = () => undefined;
  let releaseSlow: () => void = () => undefined;

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      const answer = () => res.writeHead(418, { 'x-upstream': 'yes' }).end(`upstream ${req.url}`);
      if (!req.url?.startsWith('/slow')) return answer();
      releaseSlow = () => {
        releaseSlow = () => undefined;
        answer();
      };
      slowArrived();
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
    const address = upstream.address();
    upstreamUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    host = await startHost({ manifest: probeManifest(), env: { PROBE_VISIBLE: 'yes', PROBE_HIDDEN: 'no' } });
  });

  afterAll(async () => {
    releaseSlow();
    await host?.stop();
    upstream?.close();
  });

  it('delivers route parameters as X-Route-Param-<name> headers, percent-decoded', async () => {
    const res = await fetch(`${host.url}/params/one%20two/a/b%2Fc?q=1`);
    const headers = (await res.json()) as [string, string][];
    expect(headers).toContainEqual(['X-Route-Param-a', 'one two']);
    expect(headers).toContainEqual(['X-Route-Param-rest', 'a/b/c']);
    expect(headers.every(([k]) => k === k.toLowerCase() || k.startsWith('X-Route-Param-'))).toBe(true);
  });

  it('keeps a forged X-Route-Param header before the real one', async () => {
    const res = await fetch(`${host.url}/params/real/x`, { headers: { 'X-Route-Param-a': 'forged' } });
    const headers = (await res.json()) as [string, string][];
    const values = headers.filter(([k]) => k.toLowerCase() === 'x-route-param-a').map(([, v]) => v);
    expect(values.at(-1)).toBe('real');
  });

  it('answers unknown paths 404 and wrong methods 405 without the actor', async () => {
    const missing = await fetch(`${host.url}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('');
    expect((await fetch(`${host.url}/headers`, { method: 'DELETE' })).status).toBe(405);
  });

  it('lets HEAD reach GET routes', async () => {
    expect((await fetch(`${host.url}/headers`, { method: 'HEAD' })).status).toBe(200);
  });

  it('passes response statuses and headers through, and an invalid status becomes 200 with nothing', async () => {
    const teapot = await fetch(`${host.url}/status/418`);
    expect(teapot.status).toBe(418);
    expect(teapot.headers.get('x-probe')).toBe('yes');
    const invalid = await fetch(`${host.url}/status/42`);
    expect(invalid.status).toBe(200);
    expect(await invalid.text()).toBe('');
  });

  it('hands request bodies over whole up to 100 MiB (c50 server_instance.rs:845), and a bigger one as none', async () => {
    const small = await fetch(`${host.url}/echo`, { method: 'POST', body: 'abc' });
    expect(small.headers.get('x-body')).toBe('3');
    // axum's own default would stop at 2 MiB; c50 raises it.
    const past2MiB = await fetch(`${host.url}/echo`, { method: 'POST', body: new Uint8Array(2 * 1024 * 1024 + 1) });
    expect(past2MiB.headers.get('x-body')).toBe(String(2 * 1024 * 1024 + 1));
    const tooBig = await fetch(`${host.url}/echo`, { method: 'POST', body: new Uint8Array(100 * 1024 * 1024 + 1) });
    expect(tooBig.headers.get('x-body')).toBe('none');
  });

  it('stores by SHA-1 and labels as c50 does', async () => {
    const text = await (await fetch(`${host.url}/store`)).text();
    expect(text).toBe('aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d hello');
  });

  it('shows only allow-listed environment variables', async () => {
    expect(await (await fetch(`${host.url}/env/PROBE_VISIBLE`)).text()).toBe('yes');
    expect(await (await fetch(`${host.url}/env/PROBE_HIDDEN`)).text()).toBe('undefined');
  });

  it('confines the filesystem handler to its folder', async () => {
    expect(await (await fetch(`${host.url}/file/hello.txt`)).text()).toBe('hello from a file');
    const escape = await fetch(`${host.url}/file/..%2Foutside.txt`);
    expect(escape.status).toBe(403);
    expect(await escape.text()).toMatch(/outside/);
  });

  it('makes real HTTP requests for send-http; 4xx is a response, a dead host an error', async () => {
    expect(await (await fetch(`${host.url}/fetch?url=${encodeURIComponent(`${upstreamUrl}/x`)}`)).text()).toBe('418 upstream /x');
    const dead = await fetch(`${host.url}/fetch?url=${encodeURIComponent('http://127.0.0.1:1/')}`);
    expect(dead.status).toBe(502);
    expect(await dead.text()).toMatch(/send-http failed: error sending request/);
  });

  it('keeps accepting connections while the actor waits on a slow upstream, and queues calls in order', async () => {
    const order: string[] = [];
    const arrived = new Promise<void>((r) => (slowArrived = r));
    const slow = fetch(`${host.url}/fetch?url=${encodeURIComponent(`${upstreamUrl}/slow`)}`).then(async (r) => {
      order.push('slow');
      return r.text();
    });
    // From here until releaseSlow() the actor is inside that call, waiting on the upstream.
    await arrived;
    // The host answers this itself: it must not wait for the actor's call to end.
    const notFound = await fetch(`${host.url}/nope`);
    expect(notFound.status).toBe(404);
    const ws = new WebSocket(`${host.url.replace('http', 'ws')}/ws`);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const queued = fetch(`${host.url}/headers`).then((r) => {
      order.push('queued');
      return r.status;
    });
    // Give the queued request a host round trip to arrive before the slow call may end.
    expect((await fetch(`${host.url}/nope`)).status).toBe(404);
    expect(order).toEqual([]);
    releaseSlow();
    expect(await slow).toBe('418 upstream /slow');
    expect(await queued).toBe(200);
    expect(order).toEqual(['slow', 'queued']);
    ws.close();
  });

  it('calls connect without the query, sends replies through send-websocket-message and drops returned frames', async () => {
    const client = await openSocket(host.url);
    expect(await client.next()).toEqual({ connected: '/ws', query: null });
    const frames: string[] = [];
    client.ws.removeAllListeners('message');
    client.ws.on('message', (d) => frames.push(String(d)));
    const echoed = (text: string) =>
      new Promise<void>((resolve) => {
        const check = () => frames.includes(`echo:${text}`) && (client.ws.off('message', check), resolve());
        client.ws.on('message', check);
        check();
      });
    client.ws.send('hi');
    client.ws.send('again');
    await echoed('again');
    // Calls run one at a time: a frame returned by the calls above would be sent before this echo.
    client.ws.send('last');
    await echoed('last');
    expect(frames).toEqual(['echo:hi', 'echo:again', 'echo:last']);
    await client.close();
  });

  it('has not hit a fatal error in any of the above', () => {
    expectNoFatal(host);
  });
});

describe('a failing export is fatal, as on Theater', () => {
  for (const path of ['/err', '/trap']) {
    it(`${path}: the actor stops, the caller gets no response, the host says why`, async () => {
      const host = await startHost({ manifest: probeManifest() });
      await expect(fetch(`${host.url}${path}`)).rejects.toThrow();
      expect(await host.exited).toBe(1);
      expect(host.log()).toMatch(/FATAL: actor .* stopped: httpHandlers.handleRequest (returned Err|trapped)/);
    });
  }
});
