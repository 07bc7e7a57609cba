/** The session with the actor: its welcome (and the resync after a reconnect), what it tells of itself, and its events applied. */
import { batch, signal } from '@preact/signals';
import type { Frame, FrameOf, ModelInfo } from './protocol.js';
import { chats, currentId, LAST_CHAT, listChat, messages, tree, upsertChat } from './chats.js';
import { chatGone, generationFailed, generationFinished, generationStarted, replyArrived, resumeGenerations } from './generation.js';
import { deletedHere, loadTree, openChat, showBranch } from './actions.js';
import { info, notice } from './notices.js';
import { connection, listen } from './socket.js';

export const apiKeyConfigured = signal(true);
export const models = signal<ModelInfo[]>([]);
export const loaded = signal(false);

/** Opens the socket, once the page is there to show what it brings. */
export function startSession(): void {
  listen(onEvent, onWelcome);
  connection.start();
}

function onWelcome(welcome: FrameOf<'welcome'>): void {
  batch(() => {
    chats.value = welcome.chats;
    apiKeyConfigured.value = welcome.api_key_configured;
    resumeGenerations(welcome);
  });
  // Resync after (re)connecting: the chat we were on, as it is now.
  const wanted = currentId.value ?? chatFromHash() ?? localStorage.getItem(LAST_CHAT);
  const target = welcome.chats.find((c) => c.id === wanted)?.id ?? welcome.chats[0]?.id ?? null;
  if (target) void openChat(target);
  loaded.value = true;
  // "Not connected" was true until now.
  if (notice.value?.offline) notice.value = null;
  void loadModels();
}

function chatFromHash(): string | null {
  return /^#chat=([0-9a-f-]{36})$/.exec(location.hash)?.[1] ?? null;
}

function onEvent(frame: Frame): void {
  switch (frame.type) {
    case 'chat_listed':
      listChat(frame.chat, frame.at);
      break;
    case 'chat_created':
    case 'chat_updated':
      upsertChat(frame.chat);
      break;
    case 'chat_deleted': {
      const gone = chats.value.find((c) => c.id === frame.chat_id);
      const mine = deletedHere.delete(frame.chat_id);
      chats.value = chats.value.filter((c) => c.id !== frame.chat_id);
      chatGone(frame.chat_id);
      if (currentId.value === frame.chat_id) {
        // The open chat went away under the reader: say so, rather than show another without a word.
        if (!mine) info.value = `“${gone?.name ?? 'This chat'}” was deleted in another tab or window.`;
        const next = chats.value[0]?.id ?? null;
        if (next) void openChat(next);
        else batch(() => ((currentId.value = null), (messages.value = [])));
      }
      break;
    }
    case 'branch':
      showBranch(frame.chat, frame.messages);
      break;
    case 'message_added': {
      upsertChat(frame.chat);
      replyArrived(frame.chat.id, frame.message);
      if (frame.chat.id !== currentId.value) break;
      const list = messages.value;
      if (frame.selected === false) {
        // Added beside the branch on screen (a late reply to a question edited since): the view stays,
        // and the version shown at that place counts one more.
        messages.value = list.map((m) => (m.parent_id === frame.message.parent_id && m.id !== frame.message.id && (m.role === 'error' || frame.message.role !== 'error') ? { ...m, siblings: { ...m.siblings, count: m.siblings.count + 1 } } : m));
      } else if (list.some((m) => m.id === frame.message.id)) {
        messages.value = list.map((m) => (m.id === frame.message.id ? frame.message : m));
      } else if (frame.message.parent_id === null) {
        messages.value = [frame.message];
      } else {
        const at = list.findIndex((m) => m.id === frame.message.parent_id);
        if (at >= 0) messages.value = [...list.slice(0, at + 1), frame.message];
        else void openChat(frame.chat.id);
      }
      if (tree.value) void loadTree();
      break;
    }
    case 'generation_started':
      generationStarted(frame);
      break;
    case 'generation_finished':
      generationFinished(frame);
      break;
    case 'generation_failed':
      generationFailed(frame);
      break;
    default:
      break;
  }
}

async function loadModels(): Promise<void> {
  const reply = await connection.request({ type: 'list_models' });
  if (reply.type === 'models_list') models.value = reply.models;
}
