/**
 * What a message holds beside its text: the files a user attached (by CID, never inlined) and the
 * blocks a reply came in (thinking with its signature, web searches, text with citations), kept
 * exactly as the API sent them because a continuation must send thinking blocks back unchanged.
 */
import { z } from 'zod';
import { StoredBlobId } from '../ids.js';

export const AttachmentKind = z.enum(['image', 'pdf', 'text']);

export const Attachment = z.strictObject({
  cid: StoredBlobId,
  kind: AttachmentKind,
  /** The real type, read from the bytes; text files are sent to the API as text/plain. */
  media_type: z.string().min(1).max(100),
  name: z.string().min(1).max(255),
  size: z.number().int().nonnegative(),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  pages: z.number().int().positive().optional(),
});
export type Attachment = z.infer<typeof Attachment>;

export const MAX_ATTACHMENTS = 20;
export const Attachments = z.array(Attachment).min(1).max(MAX_ATTACHMENTS);

/**
 * A content block of a reply, as the API sent it: any JSON object with a type. Unknown block types
 * are kept (the API adds new ones), and only the known ones are shown.
 */
export const ReplyBlock = z.looseObject({ type: z.string().min(1).max(64) });
export type ReplyBlock = z.infer<typeof ReplyBlock>;
export const ReplyBlocks = z.array(ReplyBlock).max(1000);
