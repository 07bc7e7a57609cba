/**
 * Ctrl/Cmd+K: one box that finds chats by name and messages by content, over the page (the chat
 * list stays as it is), chosen with the arrow keys and opened with Enter; Esc gives the focus back.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ChatView, SearchHit } from './protocol.js';
import { chats } from './chats.js';
import { openChat } from './actions.js';
import { moreFound, openResult, searchMessages, searchResults } from './search.js';
import { opener, restoreFocus } from './focus.js';
import { plainSnippet } from './format.js';

type Item = { kind: 'chat'; chat: ChatView } | { kind: 'message'; hit: SearchHit };

/** Names that match first (a few), then messages, best first, as the search returned them. */
function itemsFor(query: string): Item[] {
  const needle = query.trim().toLowerCase();
  if (!needle) return [];
  const named: Item[] = chats.value
    .filter((c) => c.name.toLowerCase().includes(needle))
    .slice(0, 5)
    .map((chat) => ({ kind: 'chat', chat }));
  const found: Item[] = (searchResults.value ?? []).map((hit) => ({ kind: 'message', hit }));
  return [...named, ...found];
}

function Snippet({ hit }: { hit: SearchHit }) {
  return (
    <>
      {plainSnippet(hit.snippet, hit.highlights).map((part, i) => (part.mark ? <mark key={i}>{part.text}</mark> : part.text))}
    </>
  );
}

export function SearchPalette({ onClose, onNavigate }: { onClose: () => void; onNavigate: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  // Every opening searches afresh (the results go with the palette): a result says "other branch"
  // only as things are now, not as they were before that branch was opened.
  useLayoutEffect(() => {
    // Modal as it is rendered, so that a quick Esc reaches it. Removed rather than closed, so the
    // browser does not give the focus back itself.
    const from = opener();
    dialog.current?.showModal();
    input.current?.focus();
    return () => {
      searchMessages('');
      restoreFocus(() => (from?.isConnected ? from : document.getElementById('composer-input')));
    };
  }, []);
  const items = itemsFor(query);
  const at = items.length ? Math.min(active, items.length - 1) : -1;
  useEffect(() => {
    list.current?.querySelector(`#palette-option-${at}`)?.scrollIntoView({ block: 'nearest' });
  }, [at]);
  const choose = (item: Item | undefined) => {
    if (!item) return;
    onClose();
    onNavigate();
    if (item.kind === 'chat') void openChat(item.chat.id);
    else void openResult(item.hit);
  };
  const searching = query.trim().length >= 2 && searchResults.value === null;
  return (
    <dialog
      ref={dialog}
      class="palette"
      aria-label="Search"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      // A click on the backdrop (outside the box) lands on the dialog itself.
      onClick={(e) => e.target === dialog.current && onClose()}
    >
      <input
        ref={input}
        id="search-input"
        type="text"
        role="combobox"
        aria-label="Search chats and messages"
        aria-expanded={items.length > 0 ? 'true' : 'false'}
        aria-controls="palette-list"
        aria-autocomplete="list"
        aria-activedescendant={at >= 0 ? `palette-option-${at}` : undefined}
        placeholder="Search chats and messages"
        autocomplete="off"
        spellcheck={false}
        value={query}
        onInput={(e) => {
          const value = (e.target as HTMLInputElement).value;
          setQuery(value);
          setActive(0);
          searchMessages(value);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            // Round the ends: from the first, ↑ goes to the last.
            if (items.length) setActive((at + (e.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length);
          } else if (e.key === 'Enter' && !e.isComposing) {
            e.preventDefault();
            choose(items[at]);
          }
        }}
      />
      <ul ref={list} id="palette-list" role="listbox" aria-label="Chats and messages found">
        {items.map((item, i) => (
          <li
            key={item.kind === 'chat' ? `c:${item.chat.id}` : `m:${item.hit.chat_id}:${item.hit.message_id}`}
            id={`palette-option-${i}`}
            role="option"
            aria-selected={i === at ? 'true' : 'false'}
            class={`result${i === at ? ' active' : ''}`}
            onMouseMove={() => i !== at && setActive(i)}
            onClick={() => choose(item)}
          >
            {item.kind === 'chat' ? (
              <>
                <span class="result-chat">{item.chat.name}</span>
                <span class="result-kind">Chat</span>
              </>
            ) : (
              <>
                <span class="result-chat">
                  {item.hit.chat_name}
                  {!item.hit.on_selected_branch && <span class="badge">other branch</span>}
                </span>
                <span class="result-snippet">
                  <Snippet hit={item.hit} />
                </span>
              </>
            )}
          </li>
        ))}
      </ul>
      <p class="palette-status" role="status">
        {query.trim().length < 2 ? '' : searching ? 'Searching…' : items.length === 0 ? 'No chat or message matches.' : moreFound.value ? `The best ${items.length} shown; more match: add a word to narrow them` : `${items.length} found`}
      </p>
      <p class="palette-keys" aria-hidden="true">
        <kbd>↑</kbd> <kbd>↓</kbd> to choose · <kbd>Enter</kbd> to open · <kbd>Esc</kbd> to close
      </p>
    </dialog>
  );
}
