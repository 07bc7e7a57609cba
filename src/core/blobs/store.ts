/**
 * Attachments as content-addressed blobs: each file is stored once under the CID of its bytes
 * (v1, raw, sha2-256), so the same screenshot sent twice, or in two chats, is one object. A message
 * refers to a blob by that CID; the bytes are checked against it on every read, as nodes are.
 */
import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import { sha256 } from 'multiformats/hashes/sha2';
import { AppError } from '../errors.js';
import { CID_TEXT, type BlobId } from '../ids.js';
import type { Ports } from '../ports.js';

export async function blobIdOf(bytes: Uint8Array): Promise<BlobId> {
  return CID.create(1, raw.code, await sha256.digest(bytes)).toString() as BlobId;
}

/** Accepts only the CIDs this app makes for files, so ids of another shape never reach the store. */
export function parseBlobId(text: unknown, field = 'cid'): BlobId {
  if (typeof text !== 'string' || !CID_TEXT.test(text)) throw new AppError('bad_request', `${field} is not a file id`);
  let cid: CID;
  try {
    cid = CID.parse(text);
  } catch {
    throw new AppError('bad_request', `${field} is not a file id`);
  }
  if (cid.version !== 1 || cid.code !== raw.code || cid.multihash.code !== sha256.code || cid.toString() !== text) {
    throw new AppError('bad_request', `${field} is not a file id of this app`);
  }
  return text as BlobId;
}

const label = (id: BlobId) => `blob/${id}`;

export class BlobStore {
  constructor(private readonly ports: Ports) {}

  /** Stores the bytes once; storing them again is a no-op that returns the same id. */
  async put(bytes: Uint8Array): Promise<BlobId> {
    const id = await blobIdOf(bytes);
    if (!this.has(id)) this.ports.labels.set(label(id), this.ports.content.put(bytes));
    return id;
  }

  has(id: BlobId): boolean {
    return this.ports.labels.get(label(id)) !== undefined;
  }

  async get(id: BlobId): Promise<Uint8Array> {
    const ref = this.ports.labels.get(label(id));
    if (ref === undefined) throw new AppError('not_found', `no file ${id}`);
    let bytes: Uint8Array;
    try {
      bytes = this.ports.content.get(ref);
    } catch {
      throw new AppError('corrupt_object', `file ${id} is missing from the store`);
    }
    if ((await blobIdOf(bytes)) !== id) throw new AppError('corrupt_object', `file ${id} does not match its id: the store is damaged`);
    return bytes;
  }
}
