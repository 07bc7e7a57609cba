/** The open chat: header (model, system prompt, totals), the branch, and the message box; files dropped on it are attached. */
import { Header } from './chat-header.js';
import { Composer } from './composer.js';
import { MessageList, useVersionKeys } from './message-list.js';
import { useFollow } from './follow.js';
import { currentChat, messages } from './chats.js';
import { generating } from './generation.js';
import { createChat } from './actions.js';
import { apiKeyConfigured, loaded } from './session.js';
import { useFileDrop } from './attachments.js';

export function ChatPane({ onMenu, menuOpen }: { onMenu: () => void; menuOpen: boolean }) {
  const list = messages.value;
  const chat = currentChat.value;
  const started = chat ? generating.value[chat.id] : undefined;
  const follow = useFollow(list, chat?.id, started?.parent_id);
  useVersionKeys(list);
  const lastUser = [...list].reverse().find((m) => m.role === 'user');
  const { dragging, ...drop } = useFileDrop(Boolean(chat) || loaded.value);
  return (
    <section class={`chat${dragging ? ' dropping' : ''}`} aria-label={chat ? chat.name : 'Chat'} {...drop}>
      {dragging && (
        <div class="drop-overlay" aria-hidden="true">
          Drop files to attach them
        </div>
      )}
      <Header onMenu={onMenu} menuOpen={menuOpen} />
      {!apiKeyConfigured.value && (
        <div class="banner" role="note">
          <strong>No API key yet.</strong> Start with <code>ANTHROPIC_API_KEY=… npm start</code>, or put your key in <code>assets/api-key.txt</code> (no restart needed). Try{' '}
          <code>npm run demo</code> to see it work offline.
        </div>
      )}
      <MessageList list={list} chatId={chat?.id} started={started} follow={follow} />
      {chat || loaded.value ? <Composer lastUser={lastUser} running={started !== undefined} onSend={follow.toBottom} /> : null}
      {!chat && loaded.value && list.length === 0 && (
        <p class="hint">
          Or <button type="button" class="link" onClick={() => void createChat()}>create an empty chat</button>.
        </p>
      )}
    </section>
  );
}
