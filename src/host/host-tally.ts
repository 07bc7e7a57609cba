/**
 * A count of what the component asks of its host, for the bench (issue 16: what does an append
 * cost?). Only a worker started with `tally` wraps its imports; without it nothing here runs, so
 * the calls pay nothing for the feature.
 */
import { FileStore } from './store.js';
import type { WebsocketMessage } from './wit-types.js';

export interface CallCount {
  calls: number;
  /** Bytes of strings and byte lists passed in and returned: what the canonical ABI copies. */
  argBytes: number;
  resultBytes: number;
  /** Wall time spent in the host for these calls. */
  ms: number;
}

export interface Tally {
  /** By `interface#function`, e.g. `theater:simple/store#store`. */
  calls: Record<string, CallCount>;
  /** Files the store created (content it did not hold yet, labels made or replaced whole) and their bytes. */
  storeFiles: number;
  storeBytes: number;
  /** Labels that existed, rewritten in place: no file created. */
  labelsInPlace: number;
  frames: number;
  frameBytes: number;
  /** Wall time of each export call, imports included: the rest is the guest's own work. */
  exports: Record<string, { calls: number; ms: number }>;
  /**
   * The guest's own time between two host calls, by `previous → next` (an export's start and end
   * count as calls): the guest cannot read a clock without WASI, so the gaps are its profile.
   */
  gaps: Record<string, { calls: number; ms: number }>;
}

export const emptyTally = (): Tally => ({ calls: {}, storeFiles: 0, storeBytes: 0, labelsInPlace: 0, frames: 0, frameBytes: 0, exports: {}, gaps: {} });

/** Bytes a value carries across the boundary: strings (UTF-16 length, close enough for ASCII ids) and byte lists. */
export function payloadBytes(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + payloadBytes(v), 0);
  if (value && typeof value === 'object') return Object.values(value).reduce((n: number, v) => n + payloadBytes(v), 0);
  return 0;
}

/** The same functions, each counted under `iface#name`; thrown errors pass through unchanged. */
export function tallied<T extends object>(tally: Tally, iface: string, impl: T): T {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(impl)) {
    if (typeof fn !== 'function') {
      out[name] = fn;
      continue;
    }
    const count: CallCount = (tally.calls[`${iface}#${name}`] ??= { calls: 0, argBytes: 0, resultBytes: 0, ms: 0 });
    const shortName = `${iface.replace('theater:simple/', '')}#${name}`;
    out[name] = (...args: unknown[]) => {
      count.calls++;
      count.argBytes += payloadBytes(args);
      const started = performance.now();
      gapUntil(tally, shortName, started);
      try {
        const result = (fn as (...a: unknown[]) => unknown)(...args);
        count.resultBytes += payloadBytes(result);
        return result;
      } finally {
        last.at = performance.now();
        count.ms += last.at - started;
      }
    };
  }
  return out as T;
}

/** Where the previous host call (or the export's start) ended. */
const last = { name: '', at: 0 };

function gapUntil(tally: Tally, next: string, now: number): void {
  const key = `${last.name} → ${next}`;
  const gap = (tally.gaps[key] ??= { calls: 0, ms: 0 });
  gap.calls++;
  gap.ms += now - last.at;
  last.name = next;
}

/** Runs one export call, timing it under its name. */
export function timedExport<T>(tally: Tally, target: string, call: () => T): T {
  const count = (tally.exports[target] ??= { calls: 0, ms: 0 });
  const started = performance.now();
  last.name = `start ${target}`;
  last.at = started;
  try {
    return call();
  } finally {
    const ended = performance.now();
    gapUntil(tally, 'return', ended);
    count.calls++;
    count.ms += ended - started;
  }
}

export function countFrame(tally: Tally, message: WebsocketMessage): void {
  tally.frames++;
  tally.frameBytes += message.text !== undefined ? Buffer.byteLength(message.text) : (message.data?.byteLength ?? 0);
}

/** A FileStore that counts the files it creates and the labels it rewrites. */
export class TalliedFileStore extends FileStore {
  constructor(
    root: string,
    private readonly tally: Tally,
  ) {
    super(root);
  }

  protected override writeContent(storeId: string, hash: string, content: Uint8Array): boolean {
    const created = super.writeContent(storeId, hash, content);
    if (created) {
      this.tally.storeFiles++;
      this.tally.storeBytes += content.byteLength;
    }
    return created;
  }

  protected override writeLabel(storeId: string, label: string, hash: string): boolean {
    const created = super.writeLabel(storeId, label, hash);
    if (created) {
      this.tally.storeFiles++;
      this.tally.storeBytes += hash.length;
    } else this.tally.labelsInPlace++;
    return created;
  }
}
