/** Messages and branches: send, edit, read, and choose which branch a chat shows. */
import { chatView, type Branch, type BranchPage, type ChatService, type ChatView, type MessageView, type TreeNode } from '../chats/service.js';
import type { MessageId } from '../dag/node.js';
import { changed, chatListed, type Change } from './change.js';
import { checkContent, type OpDeps } from './deps.js';
import { resolveAttachments } from './files.js';
import type { BlobId } from '../ids.js';

export interface Added {
  chat: ChatView;
  message: MessageView;
  branched: boolean;
}

/** Viewers of the chat see the message; the chat list changes only when the chat moved to the top. */
export function messageAdded(d: OpDeps, appended: Awaited<ReturnType<ChatService['append']>>): Change<Added> {
  const added: Added = { chat: chatView(appended.chat), message: appended.message, branched: appended.branched };
  const result = changed(added, [{ to: { chat: added.chat.id }, frame: { type: 'message_added', ...added }, skipSender: true }]);
  if (appended.reordered) result.events.push(chatListed(added.chat, 'top'));
  return result;
}

export interface NewMessageSpec {
  content: string;
  attachments?: { cid: BlobId; name: string }[];
  /** null: a new root; absent: after the selected leaf. */
  parent_id?: MessageId | null;
  created_at?: string;
}

export async function sendMessage(d: OpDeps, chatId: string, spec: NewMessageSpec): Promise<Change<Added>> {
  checkContent(spec.content, d.limits);
  const meta = spec.created_at ? { created_at: spec.created_at } : {};
  if (spec.parent_id) await d.chats.held(chatId, spec.parent_id);
  const attachments = await resolveAttachments(d, spec.attachments);
  return messageAdded(d, await d.chats.append(chatId, { role: 'user', content: spec.content, meta, ...(attachments?.length ? { attachments } : {}) }, spec.parent_id));
}

export async function editMessage(d: OpDeps, chatId: string, messageId: MessageId, spec: NewMessageSpec): Promise<Change<Added>> {
  checkContent(spec.content, d.limits);
  return messageAdded(d, await d.chats.edit(chatId, messageId, spec.content, spec.created_at, await resolveAttachments(d, spec.attachments)));
}

export const getMessage = (d: OpDeps, id: MessageId): Promise<MessageView> => d.chats.message(id);

export const getBranch = (d: OpDeps, chatId: string): Promise<Branch> => d.chats.branch(chatId);

export const getBranchPage = (d: OpDeps, chatId: string, limit: number, before?: MessageId): Promise<BranchPage> =>
  d.chats.branchPage(chatId, limit, before);

export const getTree = (d: OpDeps, chatId: string): Promise<{ chat: ChatView; nodes: TreeNode[] }> => d.chats.tree(chatId);

export const getHead = (d: OpDeps, chatId: string | null): { current_chat_id: string | null; head: MessageId | null } => ({
  current_chat_id: chatId,
  head: chatId ? d.chats.get(chatId).leaf : null,
});

export const getSiblings = (d: OpDeps, chatId: string, messageId: MessageId) => d.chats.siblings(chatId, messageId);

/** The chat shows another version at a fork: its viewers follow. */
export async function selectSibling(d: OpDeps, chatId: string, messageId: MessageId): Promise<Change<Branch>> {
  const branch = await d.chats.select(chatId, messageId);
  return changed(branch, [{ to: { chat: chatId }, frame: { type: 'branch', ...branch }, skipSender: true }]);
}

/** The chat with the latest activity, for requests that name none. */
export const latestChat = (d: OpDeps): string | undefined => d.chats.latestId();
