/** What the person does to chats and their messages: open, create, rename, send, edit, switch versions, fork. */
import { batch } from '@preact/signals';
import type { ChatView, Command, Frame, MessageView } from './protocol.js';
import { chats, currentChat, currentId, editing, LAST_CHAT, messages, tree, upsertChat } from './chats.js';
import { busy, cancelAutoRetriesIn, generate, generating, generationNow, stopGeneration } from './generation.js';
import { connection, run } from './socket.js';

export function showBranch(chat: ChatView, list: MessageView[]): void {
  batch(() => {
    upsertChat(chat);
    if (currentId.value === chat.id) messages.value = list;
  });
  if (tree.value && currentId.value === chat.id) void loadTree();
}

export async function openChat(id: string): Promise<void> {
  currentId.value = id;
  editing.value = null;
  history.replaceState(null, '', `#chat=${id}`);
  localStorage.setItem(LAST_CHAT, id);
  const reply = await run({ type: 'switch_chat', chat_id: id });
  if (reply.type !== 'branch') return;
  showBranch(reply.chat, reply.messages);
  if (reply.generating !== undefined) generationNow(id, reply.generating);
}

export async function createChat(): Promise<void> {
  // As the page loads, the chats are known only once it is connected.
  await connection.ready();
  // An empty chat already waiting is the new chat: clicking again does not pile up empty ones.
  const empty = chats.value.find((c) => c.leaf === null && c.name === 'New chat');
  if (empty) return openChat(empty.id);
  const reply = await run({ type: 'create_chat', name: 'New chat', created_at: new Date().toISOString() });
  if (reply.type === 'chat_created') await openChat(reply.chat.id);
}

export const renameChat = (id: string, name: string) => run({ type: 'rename_chat', chat_id: id, name });
/** Chats this tab is deleting: another tab's deletion of the open chat is worth a word, this tab's own is not. */
export const deletedHere = new Set<string>();
export async function deleteChat(id: string): Promise<Frame> {
  deletedHere.add(id);
  const reply = await run({ type: 'delete_chat', chat_id: id });
  if (reply.type !== 'chat_deleted') deletedHere.delete(id);
  return reply;
}
export type ChatChanges = Omit<Extract<Command, { type: 'update_chat' }>, 'type' | 'chat_id'>;
export const updateChat = (id: string, changes: ChatChanges) => run({ type: 'update_chat', chat_id: id, ...changes });

/** A file as a message names it: already uploaded, by its id. */
export interface FilePick {
  cid: string;
  name: string;
}

/** `into`: the chat the message was written in, when the reader may have opened another since. */
export async function send(content: string, files: FilePick[] = [], into?: string): Promise<boolean> {
  // As the page loads, the chat it opens is known only once it is connected.
  await connection.ready();
  let chatId = into ?? currentId.value;
  if (busy(chatId)) return false;
  const title = content.slice(0, 60).trim() || 'New chat';
  if (!chatId) {
    const created = await run({ type: 'create_chat', name: title });
    if (created.type !== 'chat_created') return false;
    await openChat(created.chat.id);
    chatId = created.chat.id;
  }
  const attachments = files.length ? { attachments: files.map(({ cid, name }) => ({ cid, name })) } : {};
  const reply = await run({ type: 'send_message', chat_id: chatId, content, ...attachments, created_at: new Date().toISOString() });
  if (reply.type !== 'message_added') return false;
  const chat = chats.value.find((c) => c.id === chatId);
  // A new chat takes its name from its first message.
  if (chat && chat.name === 'New chat' && reply.message.parent_id === null) void renameChat(chatId, title);
  await generate(chatId, reply.message.id);
  return true;
}

/** `files` absent: the new version keeps the original's files. */
export async function saveEdit(message: MessageView, content: string, files?: FilePick[]): Promise<void> {
  const chatId = currentId.value;
  if (!chatId) return;
  editing.value = null;
  // The question changed: its old answer, still being written, would only cost money.
  if (generating.value[chatId]?.parent_id === message.id) await stopGeneration(chatId);
  const attachments = files ? { attachments: files.map(({ cid, name }) => ({ cid, name })) } : {};
  const reply = await run({ type: 'edit_message', chat_id: chatId, message_id: message.id, content, ...attachments, created_at: new Date().toISOString() });
  if (reply.type === 'message_added') await generate(chatId, reply.message.id);
}

export async function moveSibling(message: MessageView, delta: number): Promise<void> {
  const chatId = currentId.value;
  if (!chatId) return;
  const s = await run({ type: 'get_siblings', chat_id: chatId, message_id: message.id });
  if (s.type !== 'siblings') return;
  // No wrapping round: at the last version, › stays there.
  const target = s.siblings[s.index + delta];
  if (target && target !== message.id) await selectMessage(target);
}

export async function selectMessage(id: string): Promise<void> {
  if (!currentId.value) return;
  cancelAutoRetriesIn(currentId.value);
  const reply = await run({ type: 'select_sibling', chat_id: currentId.value, message_id: id });
  if (reply.type === 'branch') showBranch(reply.chat, reply.messages);
}

export async function fork(message: MessageView): Promise<void> {
  const name = `${currentChat.value?.name ?? 'Chat'} (fork)`.slice(0, 200);
  const reply = await run({ type: 'fork_chat', message_id: message.id, name });
  if (reply.type === 'chat_created') await openChat(reply.chat.id);
}

export async function loadTree(): Promise<void> {
  if (!currentId.value) return;
  const reply = await connection.request({ type: 'get_tree', chat_id: currentId.value });
  if (reply.type === 'tree') tree.value = reply.nodes;
}
