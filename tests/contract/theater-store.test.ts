/**
 * The storage contract as the component sees it: src/actor/ports.ts's theaterPorts calling c50's
 * `theater:simple/store`, here linked to the Node host's store handler (src/host/store-imports.ts)
 * as the worker links it, errors as strings as the worker makes them. What this leaves out is jco's
 * lifting and lowering across the component boundary; component tests cover that with the real
 * component.
 */
import { randomUUID } from 'node:crypto';
import { expect, it, vi } from 'vitest';
import { THEATER_C50 } from '../../src/host/linkable.js';
import { filePorts } from '../../src/host/file-ports.js';
import { FileStore } from '../../src/host/store.js';
import { storeImports } from '../../src/host/store-imports.js';
import type { StoreImports } from '../../src/host/wit-types.js';
import { tempDir } from '../helpers/host.js';
import { storageContract } from './storage.case.js';

/** The handler the store import calls; replaced to open the same folder again, as a restart does. */
const link = { handler: undefined as unknown as StoreImports };

const STORE_FUNCTIONS = THEATER_C50.imports['theater:simple/store']!.map((wit) => wit.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()));
vi.doMock('theater:simple/store', () =>
  Object.fromEntries(
    STORE_FUNCTIONS.map((name) => [
      name,
      (...args: unknown[]) => {
        try {
          return (link.handler[name as keyof StoreImports] as (...a: unknown[]) => unknown)(...args);
        } catch (e) {
          throw e instanceof Error ? e.message : e;
        }
      },
    ]),
  ),
);
// src/actor may name any other import beside the store's; the storage ports never call them.
for (const iface of Object.keys(THEATER_C50.imports)) if (iface !== 'theater:simple/store') vi.doMock(iface, () => ({}));

const { theaterPorts } = await import('../../src/actor/ports.js');

const root = tempDir('theater-chat-contract-');
link.handler = storeImports(new FileStore(root));
const ids = new WeakMap<object, string>();

storageContract('theater (component adapter over the host store handler)', {
  make() {
    // A store id of its own per test, as each actor has on Theater.
    const id = randomUUID();
    const ports = theaterPorts(id);
    ids.set(ports, id);
    return ports;
  },
  reopen(ports) {
    link.handler = storeImports(new FileStore(root));
    return theaterPorts(ids.get(ports)!);
  },
});

it('opens what the native file ports wrote: the component starts on stores built by native tools', () => {
  const written = filePorts(root, 'built-natively');
  const ref = written.content.put(new TextEncoder().encode('made on Node'));
  written.labels.set('chats', ref);
  const seen = theaterPorts('built-natively');
  expect(seen.labels.get('chats')).toBe(ref);
  expect(new TextDecoder().decode(seen.content.get(ref))).toBe('made on Node');
});
