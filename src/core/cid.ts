/**
 * The one check of an id from outside: only the CIDs this app makes (v1, sha2-256, of the given
 * codec: dag-json for messages, raw for files), so ids of another shape never reach the store.
 */
import { CID } from 'multiformats/cid';
import { sha256 } from 'multiformats/hashes/sha2';
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
