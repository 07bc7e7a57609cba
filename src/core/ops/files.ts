/**
 * Attached files: stored whole in one call (so an interrupted upload leaves nothing a message could
 * name), served back by id, and resolved again from their bytes when a message names them.
 */
import { AppError } from '../errors.js';
import type { BlobId } from '../ids.js';
import type { Attachment } from '../dag/parts.js';
import { inspectAttachment, type AttachmentLimits, type Inspected } from '../claude/attachments.js';
import type { OpDeps } from './deps.js';

export type StoredFile = Inspected & { cid: BlobId };

/** Checks the bytes against what Claude accepts before anything is stored. */
export async function uploadFile(d: OpDeps, bytes: Uint8Array, declared: { name?: string; media_type?: string }): Promise<StoredFile> {
  const inspected = inspectAttachment(bytes, declared, d.attachmentLimits);
  return { ...inspected, cid: await d.blobs.put(bytes) };
}

export async function readFile(d: OpDeps, cid: BlobId): Promise<{ bytes: Uint8Array; file: Inspected }> {
  const bytes = await d.blobs.get(cid);
  return { bytes, file: inspectAttachment(bytes, undefined, undefined) };
}

/** What a message's files are, read from their stored bytes: the client names them, nothing more. */
export async function resolveAttachments(d: OpDeps, picks: readonly { cid: BlobId; name: string }[] | undefined): Promise<Attachment[] | undefined> {
  if (picks === undefined) return undefined;
  const out: Attachment[] = [];
  for (const pick of picks) {
    if (!d.blobs.has(pick.cid)) throw new AppError('bad_request', `“${pick.name}” was not uploaded (or not completely): attach it again`);
    const i = inspectAttachment(await d.blobs.get(pick.cid), { name: pick.name }, d.attachmentLimits);
    out.push({ cid: pick.cid, kind: i.kind, media_type: i.media_type, name: pick.name, size: i.size, ...dims(i) });
  }
  return out;
}

function dims(i: Inspected): Pick<Attachment, 'width' | 'height' | 'pages'> {
  return { ...(i.width ? { width: i.width } : {}), ...(i.height ? { height: i.height } : {}), ...(i.pages ? { pages: i.pages } : {}) };
}

/** The largest upload worth reading: anything bigger is refused before it is looked at. */
export function maxFileBytes(limits: AttachmentLimits): number {
  return Math.max(limits.image_bytes, limits.pdf_bytes, limits.text_bytes) + 1024;
}
