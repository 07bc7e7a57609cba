/** In-memory ports for running the core natively in tests and benchmarks. */
import { createHash, randomUUID } from 'node:crypto';
import type { Ports } from '../../src/core/ports.js';

export function memoryPorts(): Ports & { writes(): number; lines: string[] } {
  const content = new Map<string, Uint8Array>();
  const labels = new Map<string, string>();
  const put = (bytes: Uint8Array) => {
    const hash = createHash('sha1').update(bytes).digest('hex');
    if (!content.has(hash)) writes++;
    content.set(hash, bytes.slice());
    return hash;
  };
  const lines: string[] = [];
  let writes = 0;
  return {
    content: {
      put,
      get(ref) {
        const bytes = content.get(ref);
        if (!bytes) throw new Error(`Content not found: ${ref}`);
        // A copy, as every store read on Theater is: a caller that changes it must not change the store.
        return bytes.slice();
      },
      has: (ref) => content.has(ref),
    },
    labels: {
      get: (label) => labels.get(label),
      set(label, ref) {
        if (!content.has(ref)) throw new Error(`Content does not exist: ${ref}`);
        writes++;
        labels.set(label, ref);
      },
      write(label, data) {
        const ref = put(typeof data === 'string' ? new TextEncoder().encode(data) : data);
        writes++;
        labels.set(label, ref);
        return ref;
      },
      remove: (label) => void labels.delete(label),
    },
    log: { info: (m) => lines.push(`info: ${m}`), warn: (m) => lines.push(`warn: ${m}`), error: (m) => lines.push(`error: ${m}`) },
    entropy: { uuid: () => randomUUID() },
    writes: () => writes,
    lines,
  };
}
