/** The core's ports over the Node host's on-disk store: builds stores natively that the component then opens. */
import { randomUUID } from 'node:crypto';
import type { Ports } from '../core/ports.js';
import { FileStore } from './store.js';

export function filePorts(storeRoot: string, storeId = 'theater-chat'): Ports {
  const store = new FileStore(storeRoot);
  return {
    content: {
      put: (bytes) => store.store(storeId, bytes),
      get: (ref) => store.get(storeId, ref),
      has: (ref) => store.exists(storeId, ref),
    },
    labels: {
      get: (label) => store.getByLabel(storeId, label),
      set: (label, ref) => store.label(storeId, label, ref),
      write: (label, content) => store.storeAtLabel(storeId, label, typeof content === 'string' ? Buffer.from(content) : content),
      remove: (label) => store.removeLabel(storeId, label),
    },
    log: { info: () => undefined, warn: () => undefined, error: (m) => console.error(m) },
    entropy: { uuid: () => randomUUID() },
  };
}
