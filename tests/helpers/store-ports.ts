/**
 * The stores the core's ports run over in native tests: the in-memory one, and the Node host's
 * file store (what a real run writes to disk). Suites about recovery run over both, so a case that
 * only holds because memory never tears or reorders a write shows up.
 */
import { join } from 'node:path';
import type { Ports } from '../../src/core/ports.js';
import { filePorts } from '../../src/host/file-ports.js';
import { memoryPorts } from './memory-ports.js';
import { tempDir } from './host.js';

/** `root` is the file store's folder (`<root>/theater-chat/data/<sha1>`), for tests that damage it on disk. */
export type TestPorts = Ports & { lines: string[]; root?: string };

export interface StoreKind {
  name: 'memory' | 'file';
  make(): TestPorts;
}

/** The file store's ports, with what the core logs kept (filePorts drops info and warn lines). */
function recordingFilePorts(): TestPorts {
  const lines: string[] = [];
  const root = join(tempDir('theater-chat-ports-'), 'store');
  return {
    ...filePorts(root),
    root,
    log: { info: (m) => lines.push(`info: ${m}`), warn: (m) => lines.push(`warn: ${m}`), error: (m) => lines.push(`error: ${m}`) },
    lines,
  };
}

export const STORE_KINDS: StoreKind[] = [
  { name: 'memory', make: memoryPorts },
  { name: 'file', make: recordingFilePorts },
];
