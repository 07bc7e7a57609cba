import { describe, expect, it } from 'vitest';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { packDataSegments, splitDataSegments, unpackDataSegments, writeDataSegments } from '../../src/host/data-segments.js';

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
});
