/**
 * The ids of the app, in one place: message ids are CIDs (their full check, against the bytes'
 * codec and hash, is parseMessageId in dag/node.ts), chat ids are UUIDs, connection ids are the
 * host's numbers. Branded, so one kind is never passed where another is meant.
 */
import { z } from 'zod';

/** A CID as text: base32 v1, as CID.toString() prints it. */
export type MessageId = string & { readonly __brand: 'MessageId' };
export type ChatId = string & { readonly __brand: 'ChatId' };
export type ConnectionId = string & { readonly __brand: 'ConnectionId' };
/** A CID (v1, raw, sha2-256) of an attachment's bytes. */
export type BlobId = string & { readonly __brand: 'BlobId' };

/** The shape of every message id the app makes: base32 (`b…`), of a length a sha2-256 CID has. */
export const CID_TEXT = /^b[a-z2-7]{20,120}$/;
export const CHAT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const StoredChatId = z.string().regex(CHAT_ID, 'not a chat id').transform((s) => s as ChatId);

/** The host's id of a WebSocket connection (a u64 on Theater), as the state keys it. */
export const connectionId = (id: bigint | string): ConnectionId => id.toString() as ConnectionId;

/** A stored message id: shape only, for data this app wrote itself (records, branch lists, exports). */
export const StoredMessageId = z.string().regex(CID_TEXT, 'not a message id').transform((s) => s as MessageId);

/** A stored blob id: shape only (its bytes are checked against it on every read). */
export const StoredBlobId = z.string().regex(CID_TEXT, 'not a file id').transform((s) => s as BlobId);
