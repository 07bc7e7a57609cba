/**
 * The ids this app makes, both ways: the CID text of some bytes, and the one check of an id from
 * outside: only CIDs v1 of sha2-256, of the given codec (dag-json for messages, raw for files), so
 * ids of another shape never reach the store.
 */
import { CID } from 'multiformats/cid';
import { sha256 } from 'multiformats/hashes/sha2';
import { varint } from 'multiformats';
import { AppError } from './errors.js';
import { CID_TEXT } from './ids.js';

export function parseCid<T extends string>(text: unknown, codec: number, field: string, noun: string): T {
  if (typeof text !== 'string' || !CID_TEXT.test(text)) throw new AppError('bad_request', `${field} is not a ${noun}`);
  let cid: CID;
  try {
    cid = CID.parse(text);
  } catch {
    throw new AppError('bad_request', `${field} is not a ${noun}`);
  }
  if (cid.version !== 1 || cid.code !== codec || cid.multihash.code !== sha256.code || cid.toString() !== text) {
    throw new AppError('bad_request', `${field} is not a ${noun} of this app`);
  }
  return text as T;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
/** Every 10-bit value as its two base32 characters: five bytes become eight characters in four lookups. */
const BASE32_PAIRS = Array.from({ length: 1024 }, (_, i) => BASE32[i >> 5]! + BASE32[i & 31]!);

/** multibase base32 (lower case, no padding, `b` first), as multiformats writes it. */
function base32(bytes: Uint8Array): string {
  let out = 'b';
  const whole = bytes.length - (bytes.length % 5);
  for (let i = 0; i < whole; i += 5) {
    const high = (bytes[i]! << 12) | (bytes[i + 1]! << 4) | (bytes[i + 2]! >> 4);
    const low = ((bytes[i + 2]! & 15) << 16) | (bytes[i + 3]! << 8) | bytes[i + 4]!;
    out += BASE32_PAIRS[high >> 10]! + BASE32_PAIRS[high & 1023]! + BASE32_PAIRS[low >> 10]! + BASE32_PAIRS[low & 1023]!;
  }
  let buffer = 0;
  let bits = 0;
  for (let i = whole; i < bytes.length; i++) {
    buffer = ((buffer & 0xff) << 8) | bytes[i]!;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32[(buffer >> bits) & 31];
    }
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

const prefixes = new Map<number, Uint8Array>();

/** `CID.create(1, codec, sha256 of bytes).toString()`, without the CID and digest objects. */
export async function cidOf(codec: number, bytes: Uint8Array): Promise<string> {
  // Every stored node is hashed again when it is first read: inside the component the objects and
  // multiformats' generic encoder took three quarters of that check (docs/perf-notes.md, phase 5).
  let prefix = prefixes.get(codec);
  if (!prefix) {
    prefix = Uint8Array.from([1, ...varint.encodeTo(codec, new Uint8Array(varint.encodingLength(codec))), sha256.code, 32]);
    prefixes.set(codec, prefix);
  }
  const digest = await sha256.encode(bytes);
  const cid = new Uint8Array(prefix.length + digest.length);
  cid.set(prefix);
  cid.set(digest, prefix.length);
  return base32(cid);
}
