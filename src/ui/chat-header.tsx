/** The open chat's header: its name (click to rename), and its options folded into a ⋯ menu when narrow. */
import { useRef, useState } from 'preact/hooks';
import { ChatName } from './sidebar.js';
import { Icon } from './icons.js';
import { restoreFocus, useAutoFocus } from './focus.js';
import { SystemPromptDialog } from './dialogs.js';
import { formatCost, formatTokens } from './format.js';
import { currentChat, tree } from './chats.js';
import { loadTree, renameChat, updateChat } from './actions.js';
import { models } from './session.js';
import { FeatureControls } from './chat-features.js';
import { useChosen } from './chosen.js';
import type { ChatView } from './protocol.js';

function TitleInput({ name, onDone }: { name: string; onDone: (value: string | null) => void }) {
  const ref = useAutoFocus<HTMLInputElement>();
  return (
    <input
      ref={ref}
      class="title-input"
      aria-label="Chat name"
      defaultValue={name}
      maxLength={200}
      onKeyDown={(e) => {
        const value = (e.target as HTMLInputElement).value.trim();
        if (e.key === 'Enter') onDone(value || null);
        if (e.key === 'Escape') {
          e.stopPropagation();
          onDone(null);
        }
      }}
      onBlur={() => onDone(null)}
    />
  );
}

function MenuButton({ menuOpen, onMenu }: { menuOpen: boolean; onMenu: () => void }) {
  return (
    <button type="button" id="menu-button" class="icon menu" aria-label="Show chats" aria-expanded={menuOpen ? 'true' : 'false'} aria-controls="sidebar" onClick={onMenu}>
      <Icon name="menu" />
    </button>
  );
}

/** The chat's model, as chosen until the server has answered (a frame meanwhile must not put the old one back). */
function ModelPicker({ chat }: { chat: ChatView }) {
  const [model, chooseModel] = useChosen(chat.model ?? '');
  const options = models.value.some((m) => m.id === chat.model) || !chat.model ? models.value : [{ id: chat.model, display_name: chat.model, price: null }, ...models.value];
  return (
    <label class="model">
      <span class="sr-only">Model</span>
      <select
        value={model}
        onChange={(e) => {
          const picked = e.currentTarget.value;
          chooseModel(picked, updateChat(chat.id, { model: picked || null }));
        }}
      >
        <option value="">Default model</option>
        {options.map((m) => (
          <option key={m.id} value={m.id}>
            {m.display_name}
            {m.price ? ` · $${m.price.input}/$${m.price.output} per M` : ' · price unknown'}
          </option>
        ))}
      </select>
    </label>
  );
}

export function Header({ onMenu, menuOpen }: { onMenu: () => void; menuOpen: boolean }) {
  const chat = currentChat.value;
  const [prompting, setPrompting] = useState(false);
  const [naming, setNaming] = useState(false);
  // The header keeps to one row: what does not fit folds into a ⋯ menu (the exports on a wide
  // chat, the totals too on a laptop's, everything but the title on a phone's; style.css decides).
  const [toolsOpen, setToolsOpen] = useState(false);
  const toolsButton = useRef<HTMLButtonElement>(null);
  const closeTools = () => {
    setToolsOpen(false);
    // The panel hides what had the focus: the ⋯ button, which stays, takes it back now.
    const at = document.activeElement;
    if (!at || at === document.body || at.closest('#chat-tools')) toolsButton.current?.focus();
  };
  if (!chat) {
    return (
      <header class="chat-header">
        <MenuButton menuOpen={menuOpen} onMenu={onMenu} />
      </header>
    );
  }
  const u = chat.usage;
  return (
    <header class="chat-header">
      <MenuButton menuOpen={menuOpen} onMenu={onMenu} />
      {naming ? (
        <TitleInput
          name={chat.name}
          onDone={(value) => {
            if (value) void renameChat(chat.id, value);
            setNaming(false);
            restoreFocus(() => document.querySelector<HTMLElement>('.chat-header .title-button'));
          }}
        />
      ) : (
        <h2 class="chat-title">
          <button type="button" class="title-button" title={`${chat.name} (rename)`} onClick={() => setNaming(true)}>
            <ChatName name={chat.name} />
          </button>
        </h2>
      )}
      <button
        type="button"
        class="icon tools-button"
        ref={toolsButton}
        aria-label="Chat options"
        aria-expanded={toolsOpen ? 'true' : 'false'}
        aria-controls="chat-tools"
        onClick={() => (toolsOpen ? closeTools() : setToolsOpen(true))}
      >
        <Icon name="more" />
      </button>
      <div
        id="chat-tools"
        class={`chat-tools${toolsOpen ? ' open' : ''}`}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && toolsOpen) {
            e.stopPropagation();
            closeTools();
          }
        }}
      >
      <ModelPicker key={chat.id} chat={chat} />
      <button type="button" class={chat.system ? 'chip on' : 'chip'} onClick={() => setPrompting(true)}>
        System prompt{chat.system ? ' ✓' : ''}
      </button>
      <button
        type="button"
        id="branches-button"
        class={tree.value ? 'chip on' : 'chip'}
        aria-pressed={Boolean(tree.value)}
        onClick={() => {
          setToolsOpen(false);
          if (tree.value) tree.value = null;
          else void loadTree();
        }}
      >
        Branches
      </button>
      <div class="tools-more">
        <span class="totals" title={`cache write ${u.cache_creation_input_tokens}, cache read ${u.cache_read_input_tokens}`}>
          {formatTokens(u.input_tokens + u.cache_creation_input_tokens + u.cache_read_input_tokens)} in · {formatTokens(u.output_tokens)} out
          {u.thinking_tokens > 0 ? ` (${formatTokens(u.thinking_tokens)} thinking)` : ''}
          {u.web_search_requests > 0 ? ` · ${u.web_search_requests === 1 ? '1 search' : `${u.web_search_requests} searches`}` : ''} · {formatCost(u.cost_usd)}
          {u.unpriced_messages > 0 ? ` + ${u.unpriced_messages} unpriced` : ''}
        </span>
        <div class="tools-panel">
          {/* Keyed: a choice waiting for its answer belongs to its chat, not to the next one opened. */}
          <FeatureControls key={chat.id} chat={chat} />
          <span class="exports">
            <a class="chip" href={`/api/chats/${chat.id}/export`} download>
              Export JSON
            </a>
            <a class="chip" href={`/api/chats/${chat.id}/export?format=markdown`} download>
              Markdown
            </a>
          </span>
        </div>
      </div>
      </div>
      {prompting && (
        <SystemPromptDialog
          value={chat.system ?? ''}
          onCancel={() => setPrompting(false)}
          onSave={(value) => {
            setPrompting(false);
            void updateChat(chat.id, { system: value.trim() ? value : null });
          }}
        />
      )}
    </header>
  );
}
