/** Actor → client frames. Every direct reply echoes the command's request_id. */
import type { ErrorCode } from '../errors.js';
import type { ChatView, MessageView, TreeNode } from '../chats/service.js';
import type { MessageId } from '../dag/node.js';
import type { ModelInfo } from '../claude/models.js';
import type { SearchHit } from '../search/index.js';

export type ServerFrame =
  | {
      type: 'welcome';
      protocol: number;
      version: string;
      chats: ChatView[];
      api_key_configured: boolean;
      /** Generations running now (after a reconnect the client shows them again). */
      generating: { chat_id: string; parent_id: string }[];
      /** The client stops a generation that runs longer (the actor has no clock). */
      generation_timeout_ms: number;
    }
  | { type: 'pong'; protocol: number }
  | { type: 'error'; code: ErrorCode; message: string }
  | { type: 'chats_update'; chats: ChatView[] }
  | { type: 'chat_created'; chat: ChatView }
  | { type: 'chat_updated'; chat: ChatView }
  | { type: 'chat_deleted'; chat_id: string }
  | { type: 'branch'; chat: ChatView; messages: MessageView[] }
  | { type: 'tree'; chat: ChatView; nodes: TreeNode[] }
  | { type: 'message_added'; chat: ChatView; message: MessageView; branched: boolean }
  | { type: 'message'; message: MessageView }
  | { type: 'head'; current_chat_id: string | null; head: MessageId | null }
  | { type: 'siblings'; message_id: MessageId; parent_id: MessageId | null; siblings: MessageId[]; index: number }
  | { type: 'generation_started'; chat_id: string; parent_id: MessageId; model: string; attempt: number }
  | { type: 'generation_finished'; chat_id: string; parent_id: MessageId; message_id: MessageId }
  | {
      type: 'generation_failed';
      chat_id: string;
      parent_id: MessageId;
      attempt: number;
      error: { code: string; message: string; status?: number; request_id?: string; retryable: boolean };
      /** Present when the client should send `retry` after `after_ms` (the actor has no timer). */
      retry?: { attempt: number; after_ms: number };
    }
  | { type: 'search_results'; query: string; results: SearchHit[] }
  | { type: 'export'; chat_id: string; format: 'json' | 'markdown'; filename: string; content: string }
  | { type: 'imported'; chats: ChatView[] }
  | { type: 'models_list'; models: ModelInfo[]; source: 'api' | 'fallback'; prices_as_of: string };

export type Reply = ServerFrame & { request_id?: string };
