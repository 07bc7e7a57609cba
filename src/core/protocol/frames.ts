/** Actor → client frames. Every direct reply echoes the command's request_id. */
import type { ErrorCode } from '../errors.js';
import type { ChatView, MessageView } from '../chats/service.js';
import type { MessageId } from '../dag/node.js';

export type ServerFrame =
  | { type: 'welcome'; protocol: number; version: string; chats: ChatView[] }
  | { type: 'pong'; protocol: number }
  | { type: 'error'; code: ErrorCode; message: string }
  | { type: 'chats_update'; chats: ChatView[] }
  | { type: 'chat_created'; chat: ChatView }
  | { type: 'chat_updated'; chat: ChatView }
  | { type: 'chat_deleted'; chat_id: string }
  | { type: 'branch'; chat: ChatView; messages: MessageView[] }
  | { type: 'message_added'; chat: ChatView; message: MessageView; branched: boolean }
  | { type: 'message'; message: MessageView }
  | { type: 'head'; current_chat_id: string | null; head: MessageId | null }
  | { type: 'siblings'; message_id: MessageId; parent_id: MessageId | null; siblings: MessageId[]; index: number };

export type Reply = ServerFrame & { request_id?: string };
