import { describe, expect, it } from 'vitest';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { DATA_APART_SECTION, packDataSegments, splitDataSegments, unpackDataSegments, writeDataSegments } from '../../src/host/data-segments.js';

const bytes = (...parts: (number | number[] | string)[]): Uint8Array<ArrayBuffer> =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'number' ? [p] : typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));
const section = (id: number, body: Uint8Array) => [id, body.length, ...body];
const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
/** One page of memory, exported as `memory`. */
const MEMORY = section(5, bytes(1, 0, 1));
const EXPORT = section(7, bytes(1, 6, 'memory', 2, 0));

/** A module whose memory starts with active segments at these offsets (i32.const), later ones over earlier ones. */
function moduleWith(segments: [number, string][]): Uint8Array<ArrayBuffer> {
  const data = bytes(segments.length, ...segments.flatMap(([offset, text]) => [0, 0x41, offset, 0x0b, text.length, ...bytes(text)]));
  return bytes(...HEADER, ...MEMORY, ...EXPORT, ...section(11, data));
}

const memoryOf = (instance: WebAssembly.Instance) => new Uint8Array((instance.exports.memory as WebAssembly.Memory).buffer);

describe('data segments moved out of a core module', () => {
  it('give the same memory once written into an instance of what is left', () => {
    const original = moduleWith([
      [0, 'hello'],
      [3, 'LOWORLD'],
      [40, 'far'],
    ]);
    const split = splitDataSegments(original, 0)!;
    expect(WebAssembly.validate(split.code)).toBe(true);
    expect(split.code.length).toBeLessThan(original.length);
    const whole = new WebAssembly.Instance(new WebAssembly.Module(original));
    const stripped = new WebAssembly.Instance(new WebAssembly.Module(split.code));
    expect(memoryOf(stripped).subarray(0, 80).every((b) => b === 0)).toBe(true);
    writeDataSegments(stripped.exports.memory as WebAssembly.Memory, split.data);
    expect(memoryOf(stripped)).toEqual(memoryOf(whole));
    expect(new TextDecoder().decode(memoryOf(stripped).subarray(0, 10))).toBe('helLOWORLD');
  });

  it('come back from their file whole, inflated into one buffer of their size', () => {
    const data = Uint8Array.from({ length: 200_000 }, (_, i) => (i % 7 === 0 ? i & 0xff : 0));
    const file = packDataSegments(data, (b) => deflateRawSync(b));
    expect(file.length).toBeLessThan(data.length / 3);
    const rooms: number[] = [];
    const back = unpackDataSegments(file, (b, room) => (rooms.push(room), inflateRawSync(b, { chunkSize: room })));
    expect(new Uint8Array(back)).toEqual(data);
    expect(rooms).toEqual([data.length + 64 * 1024]);
  });

  it('stay in a module that needs them later (a passive segment) or has too little to be worth it', () => {
    const passive = bytes(...HEADER, ...MEMORY, ...section(12, bytes(1)), ...section(11, bytes(1, 1, 3, ...bytes('abc'))));
    expect(WebAssembly.validate(passive)).toBe(true);
    expect(splitDataSegments(passive, 0)).toBeUndefined();
    expect(splitDataSegments(moduleWith([[0, 'small']]))).toBeUndefined();
  });

  it('are refused when they do not fit the memory, as instantiation refuses them', () => {
    const split = splitDataSegments(moduleWith([[0, 'x']]), 0)!;
    const memory = new WebAssembly.Memory({ initial: 1 });
    const data = new Uint8Array(split.data);
    new DataView(data.buffer).setUint32(0, 65536, true);
    expect(() => writeDataSegments(memory, data)).toThrow(/outside the instance memory/);
  });

  it('stay in a module whose start function runs before they could be written, or whose memory is not its own', () => {
    const segment = section(11, bytes(1, 0, 0x41, 0, 0x0b, 1, 'A'));
    // The start function copies the first byte of memory into a global: 65 with the segment, 0 without.
    const withStart = bytes(
      ...HEADER,
      ...section(1, bytes(1, 0x60, 0, 0)),
      ...section(3, bytes(1, 0)),
      ...MEMORY,
      ...section(6, bytes(1, 0x7f, 1, 0x41, 0, 0x0b)),
      ...EXPORT,
      ...section(8, bytes(0)),
      ...section(10, bytes(1, 9, 0, 0x41, 0, 0x2d, 0, 0, 0x24, 0, 0x0b)),
      ...segment,
    );
    expect(WebAssembly.validate(withStart)).toBe(true);
    expect(splitDataSegments(withStart, 0)).toBeUndefined();
    const imported = bytes(...HEADER, ...section(2, bytes(1, 1, 'e', 1, 'm', 2, 0, 1)), ...EXPORT, ...segment);
    expect(WebAssembly.validate(imported)).toBe(true);
    expect(splitDataSegments(imported, 0)).toBeUndefined();
    const unexported = bytes(...HEADER, ...MEMORY, ...segment);
    expect(splitDataSegments(unexported, 0)).toBeUndefined();
  });

  it('stay in a module that is not valid as it is', () => {
    const whole = moduleWith([[0, 'hello']]);
    const cut = whole.subarray(0, whole.length - 2);
    expect(WebAssembly.validate(cut)).toBe(false);
    expect(splitDataSegments(cut, 0)).toBeUndefined();
  });

  it('leave a mark in what is left, so that a missing file is noticed', () => {
    const split = splitDataSegments(moduleWith([[0, 'hello']]), 0)!;
    expect(WebAssembly.Module.customSections(new WebAssembly.Module(split.code), DATA_APART_SECTION)).toHaveLength(1);
  });

  it('are refused from a file cut short or not the one written', () => {
    const file = packDataSegments(new Uint8Array(1000).fill(9), (b) => deflateRawSync(b));
    const inflate = (b: Uint8Array, room: number) => inflateRawSync(b, { chunkSize: room });
    expect(() => unpackDataSegments(file.subarray(0, 3), inflate)).toThrow(/cut short/);
    const lying = new Uint8Array(file);
    new DataView(lying.buffer).setUint32(0, 999, true);
    expect(() => unpackDataSegments(lying, inflate)).toThrow(/holds 1000 bytes where it says 999/);
  });
});
