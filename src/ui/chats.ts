/** The chats list, and the chat that is open: its branch of messages and what is shown of it. */
import { computed, signal } from '@preact/signals';
import type { ChatView, MessageView, TreeNode } from './protocol.js';

export const chats = signal<ChatView[]>([]);
export const currentId = signal<string | null>(null);
export const messages = signal<MessageView[]>([]);
export const editing = signal<string | null>(null);
export const tree = signal<TreeNode[] | null>(null);
/**
 * The message to bring into view once its branch is shown (a search result), and how many times
 * the person had pressed a key or a pointer when they asked (focus.ts `interactions`).
 */
export const reveal = signal<{ id: string; asked: number } | null>(null);

export const currentChat = computed(() => chats.value.find((c) => c.id === currentId.value) ?? null);

/** Where the open chat is remembered, so the next visit comes back to it. */
export const LAST_CHAT = 'theater-chat:last-chat';

/** One chat of the list as the actor tells it: to the top, or changed where it stands. */
export function listChat(chat: ChatView, at: 'top' | 'same'): void {
  const known = chats.value.some((c) => c.id === chat.id);
  if (at === 'same' && known) return upsertChat(chat);
  chats.value = [chat, ...chats.value.filter((c) => c.id !== chat.id)];
}

export function upsertChat(chat: ChatView): void {
  chats.value = chats.value.some((c) => c.id === chat.id) ? chats.value.map((c) => (c.id === chat.id ? chat : c)) : [chat, ...chats.value];
}
