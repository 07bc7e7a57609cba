/** How others take part in the chats: listeners hear appends, and read back through a narrow source. */
import type { MessageId, MessageNode } from '../dag/node.js';
import type { ChatView, TreeNode } from './views.js';

/** Hears every message as it is stored (the search index): `source` reads the chats it needs. */
export interface AppendListener {
  added(source: MessageSource, chatId: string, messages: { id: MessageId; node: MessageNode }[]): Promise<void>;
}

/** What a listener may read back: the narrow view of the chats that search needs. */
export interface MessageSource {
  list(): ChatView[];
  node(id: MessageId): Promise<MessageNode>;
  tree(chatId: string, limit?: number): Promise<{ chat: ChatView; nodes: TreeNode[] }>;
  onSelectedBranch(chatId: string): (id: MessageId) => Promise<boolean>;
}

