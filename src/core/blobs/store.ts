/**
 * Attachments as content-addressed blobs: each file is stored once under the CID of its bytes
 * (v1, raw, sha2-256), so the same screenshot sent twice, or in two chats, is one object. A message
 * refers to a blob by that CID; the bytes are checked against it on every read, as nodes are.
 */
import * as raw from 'multiformats/codecs/raw';
import type { BlobId } from '../ids.js';
import { cidOf, parseCid } from '../cid.js';
import type { Ports } from '../ports.js';
import { readVerified } from '../verified-read.js';

export async function blobIdOf(bytes: Uint8Array): Promise<BlobId> {
  return (await cidOf(raw.code, bytes)) as BlobId;
}

/** Accepts only the file ids this app makes (raw CIDs). */
export function parseBlobId(text: unknown, field = 'cid'): BlobId {
  return parseCid<BlobId>(text, raw.code, field, 'file id');
}

const label = (id: BlobId) => `blob/${id}`;

export class BlobStore {
  constructor(private readonly ports: Ports) {}

  /** Stores the bytes once; storing them again is a no-op that returns the same id. */
  async put(bytes: Uint8Array): Promise<BlobId> {
    const id = await blobIdOf(bytes);
    if (!this.has(id)) this.ports.labels.write(label(id), bytes);
    return id;
  }

  has(id: BlobId): boolean {
    return this.ports.labels.get(label(id)) !== undefined;
  }

  get(id: BlobId): Promise<Uint8Array> {
    return readVerified(this.ports, label(id), 'file', blobIdOf, id);
  }
}
