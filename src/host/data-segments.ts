/**
 * A componentize-js core module is two thirds data: its active data segments are the engine's
 * memory snapshot (22 MB of the chat component's 33), needed once, when an instance starts. V8
 * keeps a compiled module's whole wire bytes for its life, one copy per module in the process, so
 * the snapshot stayed in the host twice: in that copy and in the instance's memory. The transpile
 * step moves the segments, deflated, to a file beside the module; the worker reads that file once,
 * with the module, keeps it compressed, and writes the segments into each fresh instance's memory
 * before anything runs in it, as instantiation would have. Never read again later, so a cache copy
 * pruned or cleaned away under a long-running host cannot stop it from replacing an instance.
 * wasmtime maps the segments from its compiled image instead, so Theater is unaffected.
 */

/** Beside a core module whose data segments were moved out: their length (u32 LE), then the segments deflated (a third of their size). */
export const DATA_APART = '.data.deflate';

/** The segments as the file beside the module holds them. */
export function packDataSegments(data: Uint8Array, deflate: (bytes: Uint8Array) => Uint8Array): Uint8Array {
  const length = Buffer.alloc(4);
  length.writeUInt32LE(data.length);
  return Buffer.concat([length, deflate(data)]);
}

/** The segments back from that file, inflated into a buffer of their size plus a little room (zlib asks for some to end the stream). */
export function unpackDataSegments(file: Uint8Array, inflate: (bytes: Uint8Array, room: number) => Uint8Array): Uint8Array {
  const length = new DataView(file.buffer, file.byteOffset, file.byteLength).getUint32(0, true);
  return inflate(file.subarray(4), length + 64 * 1024);
}

/** Modules with less data than this are left whole. */
const WORTH_SPLITTING = 1024 * 1024;
const DATA_SECTION = 11;
const DATA_COUNT_SECTION = 12;
const I32_CONST = 0x41;
const END = 0x0b;

class Reader {
  constructor(
    readonly bytes: Uint8Array,
    public at = 0,
  ) {}

  u32(): number {
    let result = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = this.bytes[this.at++]!;
      result += (byte & 0x7f) * 2 ** shift;
      if (!(byte & 0x80)) return result;
    }
  }

  i32(): number {
    let result = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = this.bytes[this.at++]!;
      result |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    return shift < 32 && byte & 0x40 ? result | (-1 << shift) : result;
  }
}

/**
 * The module without its data and data-count sections, and the segments as
 * `[offset u32 LE][length u32 LE][bytes]…`; undefined unless every segment is active, in memory 0,
 * at a constant offset (anything else, such as passive segments for `memory.init`, stays whole).
 */
export function splitDataSegments(module: Uint8Array, worthSplitting = WORTH_SPLITTING): { code: Uint8Array<ArrayBuffer>; data: Uint8Array } | undefined {
  const reader = new Reader(module, 8);
  const kept: Uint8Array[] = [module.subarray(0, 8)];
  let data: Uint8Array | undefined;
  while (reader.at < module.length) {
    const start = reader.at;
    const id = module[reader.at++]!;
    const size = reader.u32();
    const body = reader.at;
    reader.at += size;
    if (id === DATA_SECTION) {
      data = segmentsOf(new Reader(module.subarray(body, body + size)));
      if (!data) return undefined;
    } else if (id !== DATA_COUNT_SECTION) kept.push(module.subarray(start, reader.at));
  }
  if (!data || data.length < worthSplitting) return undefined;
  return { code: new Uint8Array(Buffer.concat(kept)), data };
}

function segmentsOf(section: Reader): Uint8Array | undefined {
  const count = section.u32();
  const parts: { offset: number; bytes: Uint8Array }[] = [];
  for (let i = 0; i < count; i++) {
    const flags = section.u32();
    if (flags !== 0 || section.bytes[section.at++] !== I32_CONST) return undefined;
    const offset = section.i32() >>> 0;
    if (section.bytes[section.at++] !== END) return undefined;
    const length = section.u32();
    parts.push({ offset, bytes: section.bytes.subarray(section.at, section.at + length) });
    section.at += length;
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + 8 + p.bytes.length, 0));
  const view = new DataView(out.buffer);
  let at = 0;
  for (const { offset, bytes } of parts) {
    view.setUint32(at, offset, true);
    view.setUint32(at + 4, bytes.length, true);
    out.set(bytes, at + 8);
    at += 8 + bytes.length;
  }
  return out;
}

/** What instantiation would have done with the segments: in order, so a later one wins where they overlap. */
export function writeDataSegments(memory: WebAssembly.Memory, data: Uint8Array): void {
  const target = new Uint8Array(memory.buffer);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let at = 0; at < data.length; ) {
    const offset = view.getUint32(at, true);
    const length = view.getUint32(at + 4, true);
    if (offset + length > target.length) throw new RangeError('a data segment lies outside the instance memory');
    target.set(data.subarray(at + 8, at + 8 + length), offset);
    at += 8 + length;
  }
}
