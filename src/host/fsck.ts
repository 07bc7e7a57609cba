/**
 * `theater-chat fsck`: checks a store the way the crash tests do. Every message must match its id,
 * every chat's selected leaf must lead back to a root through messages that exist, and every branch
 * index must name messages that exist.
 */
import { FileStore } from './store.js';
import { filePorts } from './file-ports.js';
import { ChatService } from '../core/chats/service.js';
import { parseMessageId, type MessageId } from '../core/dag/node.js';

export interface FsckReport {
  messages: number;
  chats: number;
  problems: string[];
}

export async function fsck(storeRoot: string, storeId = 'theater-chat'): Promise<FsckReport> {
  const store = new FileStore(storeRoot);
  const chats = new ChatService(filePorts(storeRoot, storeId));
  const problems: string[] = [];
  const labels = store.listLabels(storeId);
  // Each message's own copy, not one from a pack (dag/packs.ts): a pack could hide a damaged file.
  const parents = new Map<string, MessageId | null>();
  for (const label of labels.filter((l) => l.startsWith('node/'))) {
    const id = label.slice('node/'.length);
    try {
      parents.set(id, (await chats.storedNode(parseMessageId(id))).parent);
    } catch (e) {
      problems.push(`${label}: ${(e as Error).message}`);
    }
  }
  const ids = chats.ids();
  for (const id of ids) {
    try {
      const chat = chats.get(id);
      const seen = new Set<string>();
      for (let at: MessageId | null = chat.leaf; at !== null; ) {
        if (seen.has(at)) {
          problems.push(`chat ${id}: its branch loops at ${at}`);
          break;
        }
        seen.add(at);
        const parent = parents.get(at);
        at = parent !== undefined ? parent : (await chats.storedNode(at)).parent;
      }
    } catch (e) {
      problems.push(`chat ${id}: ${(e as Error).message}`);
    }
  }
  for (const label of labels.filter((l) => l.startsWith('kids/'))) {
    const [, chatId, parent] = label.split('/');
    try {
      for (const kid of chats.kids(chatId!, parent === 'root' ? null : (parent as MessageId))) {
        if (!parents.has(kid)) problems.push(`${label}: names ${kid}, which is not a readable message`);
      }
    } catch (e) {
      problems.push(`${label}: ${(e as Error).message}`);
    }
  }
  return { messages: parents.size, chats: ids.length, problems };
}
