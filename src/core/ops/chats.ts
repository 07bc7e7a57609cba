/** Chats as a whole: create, change, delete, fork, list. */
import { chatView, type ChatView, type ListPage } from '../chats/service.js';
import type { MessageId } from '../dag/node.js';
import { changed, chatListedToOthers, type Change } from './change.js';
import type { ThinkingSetting, WebSearchSetting } from '../claude/features.js';
import { checkContent, type OpDeps } from './deps.js';

const DEFAULT_CHAT_NAME = 'New chat';

export interface NewChatSpec {
  name?: string;
  model?: string | null;
  system?: string | null;
  thinking?: ThinkingSetting | null;
  web_search?: WebSearchSetting | null;
  starting_head?: MessageId | null;
  created_at?: string;
}

export interface ChatChangesSpec {
  name?: string;
  model?: string | null;
  system?: string | null;
  thinking?: ThinkingSetting | null;
  web_search?: WebSearchSetting | null;
}

export const listChats = (d: OpDeps): ChatView[] => d.chats.list();

export const listChatsPage = (d: OpDeps, limit: number, after?: string): ListPage => d.chats.listPage(limit, after);

export const getChat = (d: OpDeps, id: string): ChatView => chatView(d.chats.get(id));

export async function createChat(d: OpDeps, spec: NewChatSpec): Promise<Change<ChatView>> {
  if (spec.system) checkContent(spec.system, d.limits, 'system');
  const chat = chatView(await d.chats.create({ ...spec, name: spec.name ?? DEFAULT_CHAT_NAME }));
  return { ...changed(chat, [chatListedToOthers(chat, 'top')]), opens: chat.id };
}

export async function forkChat(d: OpDeps, from: MessageId, name?: string): Promise<Change<ChatView>> {
  const chat = chatView(await d.chats.fork(from, name ?? DEFAULT_CHAT_NAME));
  return { ...changed(chat, [chatListedToOthers(chat, 'top')]), opens: chat.id };
}

/** Viewers see the change; everyone's list changes when the name did. */
export function updateChat(d: OpDeps, id: string, changes: ChatChangesSpec): Change<ChatView> {
  if (changes.system) checkContent(changes.system, d.limits, 'system');
  const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
  const chat = chatView(d.chats.update(id, defined));
  const result = changed(chat, [{ to: { chat: chat.id }, frame: { type: 'chat_updated', chat }, skipSender: true }]);
  if (changes.name !== undefined) result.events.push(chatListedToOthers(chat, 'same'));
  return result;
}

export function deleteChat(d: OpDeps, id: string): Change<{ chat_id: string }> {
  d.chats.delete(id);
  return { ...changed({ chat_id: id }, [{ to: 'all', frame: { type: 'chat_deleted', chat_id: id }, skipSender: true }]), closes: id };
}
