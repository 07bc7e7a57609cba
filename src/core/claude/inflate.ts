/**
 * A small zlib/DEFLATE decoder (RFC 1950/1951), only for reading a PDF's compressed object streams
 * when counting its pages. Core runs inside the component, which has no zlib and no
 * DecompressionStream, so it is written out here. The output is capped: a PDF is outside input,
 * and a few kilobytes of deflate can claim gigabytes.
 */

const LEN_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LEN_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
const MAX_BITS = 15;

export class InflateError extends Error {}

interface Huffman {
  counts: Uint16Array;
  symbols: Uint16Array;
}

function huffman(lengths: ArrayLike<number>): Huffman {
  const counts = new Uint16Array(MAX_BITS + 1);
  for (let i = 0; i < lengths.length; i++) counts[lengths[i]!] = counts[lengths[i]!]! + 1;
  counts[0] = 0;
  const offsets = new Uint16Array(MAX_BITS + 2);
  for (let len = 1; len <= MAX_BITS; len++) offsets[len + 1] = offsets[len]! + counts[len]!;
  const symbols = new Uint16Array(lengths.length);
  for (let sym = 0; sym < lengths.length; sym++) {
    const len = lengths[sym]!;
    if (len === 0) continue;
    symbols[offsets[len]!] = sym;
    offsets[len] = offsets[len]! + 1;
  }
  return { counts, symbols };
}

const FIXED_LIT = huffman(Array.from({ length: 288 }, (_, i) => (i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8)));
const FIXED_DIST = huffman(new Array<number>(30).fill(5));

class Reader {
  pos = 0;
  private buf = 0;
  private cnt = 0;
  constructor(readonly data: Uint8Array) {}

  bits(n: number): number {
    while (this.cnt < n) {
      if (this.pos >= this.data.length) throw new InflateError('deflate data ends early');
      this.buf |= this.data[this.pos++]! << this.cnt;
      this.cnt += 8;
    }
    const v = this.buf & ((1 << n) - 1);
    this.buf >>>= n;
    this.cnt -= n;
    return v;
  }

  /**
   * Stored blocks start on a byte boundary. bits() never keeps a whole byte in reserve (fewer than
   * 8 bits are left after every read), so dropping what is left lands on the next byte.
   */
  align(): void {
    this.buf = 0;
    this.cnt = 0;
  }

  decode(h: Huffman): number {
    let code = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len <= MAX_BITS; len++) {
      code |= this.bits(1);
      const count = h.counts[len]!;
      if (code - count < first) return h.symbols[index + code - first]!;
      index += count;
      first = (first + count) << 1;
      code <<= 1;
    }
    throw new InflateError('bad Huffman code');
  }
}

class Output {
  bytes: Uint8Array;
  length = 0;
  constructor(
    initial: number,
    readonly max: number,
  ) {
    this.bytes = new Uint8Array(Math.max(16, Math.min(initial, max)));
  }

  private room(n: number): void {
    if (this.length + n > this.max) throw new InflateError(`inflated data is over ${this.max} bytes`);
    if (this.length + n <= this.bytes.length) return;
    const next = new Uint8Array(Math.min(this.max, Math.max(this.length + n, this.bytes.length * 2)));
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  push(byte: number): void {
    this.room(1);
    this.bytes[this.length++] = byte;
  }

  copy(distance: number, len: number): void {
    if (distance > this.length) throw new InflateError('distance before the start of the data');
    this.room(len);
    for (let i = 0; i < len; i++, this.length++) this.bytes[this.length] = this.bytes[this.length - distance]!;
  }

  append(chunk: Uint8Array): void {
    this.room(chunk.length);
    this.bytes.set(chunk, this.length);
    this.length += chunk.length;
  }
}

function dynamicTables(r: Reader): [Huffman, Huffman] {
  const nlen = r.bits(5) + 257;
  const ndist = r.bits(5) + 1;
  const ncode = r.bits(4) + 4;
  if (nlen > 286 || ndist > 30) throw new InflateError('bad table sizes');
  const codeLengths = new Uint8Array(19);
  for (let i = 0; i < ncode; i++) codeLengths[CODE_LENGTH_ORDER[i]!] = r.bits(3);
  const lencode = huffman(codeLengths);
  const lengths = new Uint8Array(nlen + ndist);
  for (let i = 0; i < nlen + ndist; ) {
    const sym = r.decode(lencode);
    if (sym < 16) {
      lengths[i++] = sym;
      continue;
    }
    let value = 0;
    let repeat: number;
    if (sym === 16) {
      if (i === 0) throw new InflateError('repeat with no previous length');
      value = lengths[i - 1]!;
      repeat = 3 + r.bits(2);
    } else repeat = sym === 17 ? 3 + r.bits(3) : 11 + r.bits(7);
    if (i + repeat > nlen + ndist) throw new InflateError('too many lengths');
    lengths.fill(value, i, i + repeat);
    i += repeat;
  }
  if (lengths[256] === 0) throw new InflateError('no end-of-block code');
  return [huffman(lengths.subarray(0, nlen)), huffman(lengths.subarray(nlen))];
}

function codes(r: Reader, out: Output, lit: Huffman, dist: Huffman): void {
  for (;;) {
    const sym = r.decode(lit);
    if (sym < 256) out.push(sym);
    else if (sym === 256) return;
    else {
      const l = sym - 257;
      if (l >= 29) throw new InflateError('bad length code');
      const len = LEN_BASE[l]! + r.bits(LEN_EXTRA[l]!);
      const d = r.decode(dist);
      if (d >= 30) throw new InflateError('bad distance code');
      out.copy(DIST_BASE[d]! + r.bits(DIST_EXTRA[d]!), len);
    }
  }
}

/** Inflates raw DEFLATE data; throws InflateError on bad data or when the output would pass maxOutput bytes. */
export function inflateRaw(data: Uint8Array, maxOutput: number): Uint8Array {
  const r = new Reader(data);
  const out = new Output(data.length * 4, maxOutput);
  for (let last = 0; !last; ) {
    last = r.bits(1);
    const type = r.bits(2);
    if (type === 0) {
      r.align();
      if (r.pos + 4 > data.length) throw new InflateError('stored block ends early');
      const len = data[r.pos]! | (data[r.pos + 1]! << 8);
      const nlen = data[r.pos + 2]! | (data[r.pos + 3]! << 8);
      if (len !== (~nlen & 0xffff)) throw new InflateError('stored block length does not check');
      r.pos += 4;
      if (r.pos + len > data.length) throw new InflateError('stored block ends early');
      out.append(data.subarray(r.pos, r.pos + len));
      r.pos += len;
    } else if (type === 1) codes(r, out, FIXED_LIT, FIXED_DIST);
    else if (type === 2) codes(r, out, ...dynamicTables(r));
    else throw new InflateError('bad block type');
  }
  return out.bytes.slice(0, out.length);
}

/** Inflates a zlib stream (what PDF's FlateDecode holds). The Adler-32 trailer is not checked. */
export function inflateZlib(data: Uint8Array, maxOutput: number): Uint8Array {
  if (data.length < 2) throw new InflateError('no zlib header');
  const cmf = data[0]!;
  const flg = data[1]!;
  if ((cmf & 0x0f) !== 8 || ((cmf << 8) | flg) % 31 !== 0) throw new InflateError('not a zlib stream');
  if (flg & 0x20) throw new InflateError('preset dictionaries are not supported');
  return inflateRaw(data.subarray(2), maxOutput);
}
