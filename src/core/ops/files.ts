/**
 * Attached files: stored whole in one call (so an interrupted upload leaves nothing a message could
 * name), served back by id, and resolved again from their bytes when a message names them.
 */
import { AppError } from '../errors.js';
import type { BlobId } from '../ids.js';
import type { Attachment } from '../dag/parts.js';
import { inspectAttachment, type AttachmentLimits, type Inspected } from '../claude/attachments.js';
import type { OpDeps } from './deps.js';
import { servedType, type ServedType } from '../claude/media.js';

export type StoredFile = Inspected & { cid: BlobId };

/** Checks the bytes against what Claude accepts before anything is stored. */
export async function uploadFile(d: OpDeps, bytes: Uint8Array, declared: { name?: string; media_type?: string }): Promise<StoredFile> {
  const inspected = inspectAttachment(bytes, declared, d.attachmentLimits);
  return { ...inspected, cid: await d.blobs.put(bytes) };
}

/**
 * A stored file and the type to serve it as. Only the first bytes are read for that: the file was
 * checked when it came in (or, for an import, is the owner's own file), so a download never parses
 * a whole PDF again, and a file over today's limits still comes back to its owner.
 */
export async function readFile(d: OpDeps, cid: BlobId): Promise<{ bytes: Uint8Array; type: ServedType }> {
  const bytes = await d.blobs.get(cid);
  return { bytes, type: servedType(bytes) };
}

/** What a message's files are, read from their stored bytes: the client names them, nothing more. */
export async function resolveAttachments(d: OpDeps, picks: readonly { cid: BlobId; name: string }[] | undefined): Promise<Attachment[] | undefined> {
  if (picks === undefined) return undefined;
  const out: Attachment[] = [];
  for (const pick of picks) {
    const i = inspectAttachment(await uploaded(d, pick), { name: pick.name }, d.attachmentLimits);
    out.push({ cid: pick.cid, kind: i.kind, media_type: i.media_type, name: pick.name, size: i.size, ...dims(i) });
  }
  return out;
}

async function uploaded(d: OpDeps, pick: { cid: BlobId; name: string }): Promise<Uint8Array> {
  try {
    return await d.blobs.get(pick.cid);
  } catch (e) {
    if (e instanceof AppError && e.code === 'not_found') throw new AppError('bad_request', `“${pick.name}” was not uploaded (or not completely): attach it again`);
    throw e;
  }
}

function dims(i: Inspected): Pick<Attachment, 'width' | 'height' | 'pages'> {
  return { ...(i.width ? { width: i.width } : {}), ...(i.height ? { height: i.height } : {}), ...(i.pages ? { pages: i.pages } : {}) };
}

/** The largest upload worth reading: anything bigger is refused before it is looked at. */
export function maxFileBytes(limits: AttachmentLimits): number {
  return Math.max(limits.image_bytes, limits.pdf_bytes, limits.text_bytes) + 1024;
}
