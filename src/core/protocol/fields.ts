/** Field schemas shared by WebSocket commands and REST bodies. */
import { z } from 'zod';
import { parseMessageId, type MessageId } from '../dag/node.js';
import { CHAT_ID, type BlobId, type ChatId as ChatIdBrand } from '../ids.js';
import { parseBlobId } from '../blobs/store.js';
import { MAX_ATTACHMENTS } from '../dag/parts.js';

export const RequestId = z.string().max(128).optional();

export const ChatId = z.string().regex(CHAT_ID, 'not a chat id').transform((s) => s as ChatIdBrand);

export const MessageIdField = z.string().transform((value, ctx): MessageId => {
  try {
    return parseMessageId(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not a message id' });
    return z.NEVER;
  }
});

export const NAME_MAX = 200;
export const ChatName = z
  .string()
  .transform((s) => s.trim())
  .pipe(z.string().min(1, 'name is empty').max(NAME_MAX, `name is longer than ${NAME_MAX} characters`));

/** A model id as the API names them; the list of real ones comes from the API. */
export const ModelId = z.string().min(1).max(100).regex(/^[A-Za-z0-9._:@/-]+$/, 'not a model id');

/** Client time, advisory: ISO 8601 with a zone, within a sane range. */
export const ClientTime = z.iso.datetime({ offset: true }).refine((s) => {
  const year = Number(s.slice(0, 4));
  return year >= 2000 && year <= 2200;
}, 'created_at is out of range');

/** Size is checked against the configured limit by the handler: schemas cannot see config. */
export const Content = z.string().refine((s) => s.trim().length > 0, 'content is empty');

export const BlobIdField = z.string().transform((value, ctx): BlobId => {
  try {
    return parseBlobId(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not a file id' });
    return z.NEVER;
  }
});

/**
 * A file sent with a message: uploaded first (POST /api/blobs), then named by its id. Its type,
 * size and dimensions are read again from the stored bytes, never taken from the client.
 */
export const AttachmentPick = z.strictObject({
  cid: BlobIdField,
  name: z
    .string()
    .transform((s) => s.trim())
    .pipe(z.string().min(1, 'file name is empty').max(255, 'file name is longer than 255 characters')),
});
export const AttachmentPicks = z.array(AttachmentPick).max(MAX_ATTACHMENTS, `at most ${MAX_ATTACHMENTS} files per message`);
