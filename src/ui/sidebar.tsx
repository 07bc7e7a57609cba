/** Chats, newest activity first: create, filter (Ctrl/Cmd+K), rename in place, delete with confirmation. */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChatView } from './protocol.js';
import { chats, createChat, currentId, deleteChat, filter, generating, importFile, openChat, openResult, renameChat, searchMessages, searchResults } from './state.js';
import { ConfirmDialog } from './dialogs.js';
import { Icon } from './icons.js';
import { restoreFocus } from './focus.js';

function ChatItem({ chat, onNavigate }: { chat: ChatView; onNavigate: () => void }) {
  const [renaming, setRenaming] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const renameButton = useRef<HTMLButtonElement>(null);
  const stopRenaming = () => {
    setRenaming(false);
    restoreFocus(() => renameButton.current);
  };
  useEffect(() => {
    if (renaming) input.current?.select();
  }, [renaming]);
  const current = currentId.value === chat.id;
  const save = () => {
    const name = input.current?.value.trim() ?? '';
    if (name && name !== chat.name) void renameChat(chat.id, name);
    stopRenaming();
  };
  return (
    <li class={`chat-item${current ? ' current' : ''}`}>
      {renaming ? (
        <input
          ref={input}
          class="rename"
          aria-label={`New name for ${chat.name}`}
          defaultValue={chat.name}
          maxLength={200}
          onKeyDown={(e) => {
            if (e.key === 'Enter') save();
            if (e.key === 'Escape') {
              e.stopPropagation();
              stopRenaming();
            }
          }}
          onBlur={save}
        />
      ) : (
        <button
          type="button"
          class="chat-open"
          aria-current={current ? 'page' : undefined}
          onClick={() => {
            void openChat(chat.id);
            onNavigate();
          }}
          onDblClick={() => setRenaming(true)}
        >
          <span class="chat-name">{chat.name}</span>
          {generating.value[chat.id] !== undefined && <span class="dot" aria-label="generating" />}
        </button>
      )}
      <button type="button" class="icon" ref={renameButton} aria-label={`Rename ${chat.name}`} title="Rename" onClick={() => setRenaming(true)}>
        <Icon name="pencil" />
      </button>
      <button type="button" class="icon" aria-label={`Delete ${chat.name}`} title="Delete" onClick={() => setConfirming(true)}>
        <Icon name="trash" />
      </button>
      {confirming && (
        <ConfirmDialog
          title="Delete this chat?"
          body={`“${chat.name}” will disappear from the list. Forks of it keep their messages.`}
          confirm="Delete"
          onConfirm={() => {
            setConfirming(false);
            void deleteChat(chat.id);
          }}
          onCancel={() => setConfirming(false)}
          // Once the chat is gone its buttons are too: the list's current chat takes the focus.
          fallbackFocus={() => document.querySelector<HTMLElement>('.chat-item.current .chat-open, .sidebar-top button')}
        />
      )}
    </li>
  );
}

function Highlighted({ text, ranges }: { text: string; ranges: [number, number][] }) {
  const parts = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start < at) continue;
    parts.push(text.slice(at, start), <mark key={start}>{text.slice(start, end)}</mark>);
    at = end;
  }
  parts.push(text.slice(at));
  return <>{parts}</>;
}

function Results({ onNavigate }: { onNavigate: () => void }) {
  const results = searchResults.value;
  if (!results) return null;
  return (
    <section class="results" aria-label="Messages found">
      <h2>Messages</h2>
      {results.length === 0 && <p class="empty-list">No message matches.</p>}
      <ul>
        {results.map((hit) => (
          <li key={`${hit.chat_id}:${hit.message_id}`}>
            <button
              type="button"
              class="result"
              onClick={() => {
                void openResult(hit);
                onNavigate();
              }}
            >
              <span class="result-chat">
                {hit.chat_name}
                {!hit.on_selected_branch && <span class="badge">other branch</span>}
              </span>
              <span class="result-snippet">
                <Highlighted text={hit.snippet} ranges={hit.highlights} />
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function Sidebar({ onNavigate, onClose }: { onNavigate: () => void; onClose: () => void }) {
  const needle = filter.value.trim().toLowerCase();
  const shown = needle ? chats.value.filter((c) => c.name.toLowerCase().includes(needle)) : chats.value;
  const fileInput = useRef<HTMLInputElement>(null);
  return (
    <nav class="sidebar" id="sidebar" aria-label="Chats">
      <div class="sidebar-top">
        <div class="brand-row">
          <h1 class="brand">theater-chat</h1>
          <button type="button" class="icon drawer-close" aria-label="Close chats" onClick={onClose}>
            <Icon name="close" />
          </button>
        </div>
        <button type="button" class="primary" onClick={() => void createChat().then(onNavigate)}>
          + New chat
        </button>
        <input
          id="chat-filter"
          type="search"
          placeholder="Search (Ctrl+K)"
          aria-label="Search chats and messages"
          value={filter.value}
          onInput={(e) => {
            filter.value = (e.target as HTMLInputElement).value;
            searchMessages(filter.value);
          }}
        />
      </div>
      <ul class="chat-list">
        {shown.map((chat) => (
          <ChatItem key={chat.id} chat={chat} onNavigate={onNavigate} />
        ))}
        {shown.length === 0 && <li class="empty-list">{needle ? 'No chat name matches.' : 'No chats yet.'}</li>}
      </ul>
      <Results onNavigate={onNavigate} />
      <div class="sidebar-bottom">
        <button type="button" class="link" onClick={() => fileInput.current?.click()}>
          Import a chat…
        </button>
        <input
          ref={fileInput}
          type="file"
          class="sr-only"
          accept="application/json,.json"
          aria-label="Import a chat from a theater-chat or ChatGPT export"
          tabIndex={-1}
          onChange={(e) => {
            const file = (e.target as HTMLInputElement).files?.[0];
            if (file) void importFile(file);
            (e.target as HTMLInputElement).value = '';
          }}
        />
      </div>
    </nav>
  );
}
