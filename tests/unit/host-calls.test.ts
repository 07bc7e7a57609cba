/**
 * The worker's RPC runs exactly the imports Theater c50 links and nothing else a guest could name:
 * before the table, `framework.<any method>` reached any public HttpFramework method.
 */
import { describe, expect, it, vi } from 'vitest';
import { HOST_CALLS, runHostCall, type HostCallContext } from '../../src/host/host-calls.js';
import { HttpFramework } from '../../src/host/http-framework.js';
import { THEATER_C50 } from '../../src/host/linkable.js';
import type { MessageRouter } from '../../src/host/message-router.js';
import type { Supervisor } from '../../src/host/supervisor.js';

const camel = (wit: string) => wit.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Imports of these interfaces the worker serves itself, so they never cross the RPC port. */
const IN_WORKER: Record<string, string[]> = { 'theater:simple/http-framework': ['sendWebsocketMessage'] };

function context() {
  const framework = new HttpFramework({ log: () => undefined });
  const ctx = {
    id: '00000000-0000-4000-8000-000000000001',
    framework,
    supervisor: { listChildren: () => ['child'] } as unknown as Supervisor,
    router: {} as MessageRouter,
    socketChanged: () => undefined,
  } as unknown as HostCallContext;
  return { ctx, framework };
}

describe('host calls', () => {
  it('are the functions c50 links for each interface served over the RPC port, no more, no fewer', () => {
    for (const [iface, calls] of Object.entries(HOST_CALLS)) {
      const linked = THEATER_C50.imports[iface]?.map(camel);
      expect(linked, iface).toBeDefined();
      expect([...Object.keys(calls), ...(IN_WORKER[iface] ?? [])].sort(), iface).toEqual([...linked!].sort());
    }
  });

  it('run a listed import', async () => {
    const { ctx } = context();
    const id = await runHostCall(ctx, 'theater:simple/http-framework', 'createServer', [{ host: '127.0.0.1', port: 0 }]);
    expect(await runHostCall(ctx, 'theater:simple/http-framework', 'getServerInfo', [id])).toMatchObject({ id, host: '127.0.0.1', running: false });
    expect(await runHostCall(ctx, 'theater:simple/supervisor', 'listChildren', [])).toEqual(['child']);
  });

  it('refuse a host method that is no WIT import, and never call it', async () => {
    const { ctx, framework } = context();
    const stopAll = vi.spyOn(framework, 'stopAll');
    const listening = vi.spyOn(framework, 'listening');
    await expect(runHostCall(ctx, 'theater:simple/http-framework', 'stopAll', [])).rejects.toBe(
      'refused: theater:simple/http-framework#stopAll is not an import the host serves to a component',
    );
    await expect(runHostCall(ctx, 'theater:simple/http-framework', 'listening', [])).rejects.toMatch(/^refused: /);
    expect(stopAll).not.toHaveBeenCalled();
    expect(listening).not.toHaveBeenCalled();
  });

  it('refuse names an object has without listing them, interfaces served elsewhere, and unknown ones', async () => {
    const { ctx } = context();
    const refused: [string, string][] = [
      ['theater:simple/http-framework', 'constructor'],
      ['theater:simple/http-framework', 'toString'],
      ['theater:simple/supervisor', '__proto__'],
      ['theater:simple/supervisor', 'hasOwnProperty'],
      // The worker serves these itself: they have no business on the RPC port.
      ['theater:simple/store', 'get'],
      ['theater:simple/http-framework', 'sendWebsocketMessage'],
      ['theater:simple/nope', 'spawn'],
      ['constructor', 'name'],
      ['framework.createServer', ''],
    ];
    for (const [iface, fn] of refused) await expect(runHostCall(ctx, iface, fn, []), `${iface}#${fn}`).rejects.toMatch(/^refused: /);
  });
});
