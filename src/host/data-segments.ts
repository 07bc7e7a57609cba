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
  if (file.length < 4) throw new Error('the data segments file is cut short');
  const length = new DataView(file.buffer, file.byteOffset, file.byteLength).getUint32(0, true);
  const data = inflate(file.subarray(4), length + 64 * 1024);
  // Raw deflate carries no checksum: the length is the one check that the file is the one written.
  if (data.length !== length) throw new Error(`the data segments file holds ${data.length} bytes where it says ${length}`);
  return data;
}

/**
 * A custom section in a module whose data segments were moved out, so that a missing file beside
 * it is an error rather than an instance whose memory starts empty.
 */
export const DATA_APART_SECTION = 'theater-chat/data-apart';

/** Modules with less data than this are left whole. */
const WORTH_SPLITTING = 1024 * 1024;
const MEMORY_SECTION = 5;
const START_SECTION = 8;
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
 * `[offset u32 LE][length u32 LE][bytes]…`. Undefined, and the module left whole, unless it is
 * valid, every segment is active at a constant offset in its one memory, that memory is its own
 * and exported as `memory` (where the worker writes the segments), and it has no start function
 * (which would run before they are written).
 */
export function splitDataSegments(module: Uint8Array, worthSplitting = WORTH_SPLITTING): { code: Uint8Array<ArrayBuffer>; data: Uint8Array } | undefined {
  if (!hasOwnExportedMemory(module)) return undefined;
  const reader = new Reader(module, 8);
  const kept: Uint8Array[] = [module.subarray(0, 8)];
  let data: Uint8Array | undefined;
  while (reader.at < module.length) {
    const start = reader.at;
    const id = module[reader.at++]!;
    const size = reader.u32();
    const body = reader.at;
    reader.at += size;
    if (id === START_SECTION) return undefined;
    if (id === MEMORY_SECTION && new Reader(module, body).u32() !== 1) return undefined;
    if (id === DATA_SECTION) {
      data = segmentsOf(new Reader(module.subarray(body, body + size)));
      if (!data) return undefined;
    } else if (id !== DATA_COUNT_SECTION) kept.push(module.subarray(start, reader.at));
  }
  if (!data || data.length < worthSplitting) return undefined;
  const code = new Uint8Array(Buffer.concat([...kept, customSection(DATA_APART_SECTION)]));
  return WebAssembly.validate(code) ? { code, data } : undefined;
}

function hasOwnExportedMemory(module: Uint8Array): boolean {
  // A view of shared memory cannot be compiled from; jco's files never are one.
  if (!(module.buffer instanceof ArrayBuffer)) return false;
  let compiled: WebAssembly.Module;
  try {
    compiled = new WebAssembly.Module(new Uint8Array(module.buffer, module.byteOffset, module.byteLength));
  } catch {
    return false;
  }
  if (WebAssembly.Module.imports(compiled).some((i) => i.kind === 'memory')) return false;
  return WebAssembly.Module.exports(compiled).some((e) => e.kind === 'memory' && e.name === 'memory');
}

function customSection(name: string): Uint8Array {
  const nameBytes = new TextEncoder().encode(name);
  // Both lengths fit one LEB128 byte: the name is short and the section holds only it.
  return Uint8Array.from([0, 1 + nameBytes.length, nameBytes.length, ...nameBytes]);
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
  if (section.at !== section.bytes.length) return undefined;
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
