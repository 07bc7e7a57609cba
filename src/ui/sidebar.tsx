/** Chats, newest activity first: create, search (Ctrl/Cmd+K, a palette over the list), rename in place, delete with confirmation. */
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ChatView } from './protocol.js';
import { chats, currentId } from './chats.js';
import { createChat, deleteChat, openChat, renameChat } from './actions.js';
import { generating } from './generation.js';
import { importFile } from './import-file.js';
import { ConfirmDialog } from './dialogs.js';
import { Icon } from './icons.js';
import { restoreFocus } from './focus.js';
import { behindLogin, logOut } from './logout.js';

/**
 * A name whose ending says where the chat came from ("(fork)", "(imported 2)"): the ending stays in
 * view and the rest is shortened, so two look-alike chats can be told apart.
 */
export function ChatName({ name }: { name: string }) {
  const m = /^(.*?\S)(\s+\((?:fork|imported(?: \d+)?)\))$/.exec(name);
  if (!m) return <span class="chat-name">{name}</span>;
  return (
    <span class="chat-name split">
      <span class="name-base">{m[1]}</span>
      <span class="name-suffix">{m[2]}</span>
    </span>
  );
}

/** The open chat in the list, else "+ New chat" (one selector for both would find the drawer's hidden close button first). */
const listFocus = () => document.querySelector<HTMLElement>('.chat-item.current .chat-open') ?? document.querySelector<HTMLElement>('.sidebar-top .primary');

function ChatItem({ chat, onNavigate }: { chat: ChatView; onNavigate: () => void }) {
  const [renaming, setRenaming] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const renameButton = useRef<HTMLButtonElement>(null);
  const stopRenaming = () => {
    setRenaming(false);
    restoreFocus(() => renameButton.current);
  };
  // As it is rendered (see useAutoFocus).
  useLayoutEffect(() => {
    if (renaming) input.current?.select();
  }, [renaming]);
  // A chat that goes (deleted here or elsewhere) takes its buttons along: if one had the focus,
  // the list's current chat takes it rather than the page.
  const item = useRef<HTMLLIElement>(null);
  useLayoutEffect(() => () => void (item.current?.contains(document.activeElement) && restoreFocus(listFocus)), []);
  const current = currentId.value === chat.id;
  const save = () => {
    const name = input.current?.value.trim() ?? '';
    if (name && name !== chat.name) void renameChat(chat.id, name);
    stopRenaming();
  };
  return (
    <li ref={item} class={`chat-item${current ? ' current' : ''}`}>
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
          <ChatName name={chat.name} />
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
          fallbackFocus={listFocus}
        />
      )}
    </li>
  );
}

export function Sidebar({ onNavigate, onClose, onSearch }: { onNavigate: () => void; onClose: () => void; onSearch: () => void }) {
  const shown = chats.value;
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
        <button type="button" class="search-open" aria-label="Search chats and messages" aria-keyshortcuts="Control+K Meta+K" onClick={onSearch}>
          <span>Search…</span>
          <kbd aria-hidden="true">Ctrl K</kbd>
        </button>
      </div>
      <ul class="chat-list">
        {shown.map((chat) => (
          <ChatItem key={chat.id} chat={chat} onNavigate={onNavigate} />
        ))}
        {shown.length === 0 && <li class="empty-list">No chats yet.</li>}
      </ul>
      <div class="sidebar-bottom">
        <button type="button" class="link" onClick={() => fileInput.current?.click()}>
          Import a chat…
        </button>
        {behindLogin && (
          <button type="button" class="link" onClick={() => void logOut()}>
            Log out
          </button>
        )}
        <input
          ref={fileInput}
          type="file"
          class="sr-only"
          accept="application/json,.json"
          aria-label="Import a chat from a theater-chat or ChatGPT export"
          // The button above is the one control: the input it opens stays out of the tab order and
          // out of what a screen reader lists, or it reads as a second import button.
          aria-hidden="true"
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
