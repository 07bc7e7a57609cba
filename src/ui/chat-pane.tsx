/** The open chat: header (model, system prompt, totals), the branch, and the message box. */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { Message } from './message.js';
import { ChatName } from './sidebar.js';
import { Icon } from './icons.js';
import { keepFocus, restoreFocus, useAutoFocus } from './focus.js';
import { SystemPromptDialog } from './dialogs.js';
import { formatCost, formatTokens } from './format.js';
import type { MessageView } from './protocol.js';
import { apiKeyConfigured, busy, createChat, currentChat, currentId, editing, generating, loadTree, loaded, messages, models, moveSibling, renameChat, reveal, send, stopGeneration, tree, updateChat, type Generation } from './state.js';

function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, []);
  return <span>{Math.floor((now - since) / 1000)} s</span>;
}

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

function Header({ onMenu, menuOpen }: { onMenu: () => void; menuOpen: boolean }) {
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
  const options = models.value.some((m) => m.id === chat.model) || !chat.model ? models.value : [{ id: chat.model, display_name: chat.model, price: null }, ...models.value];
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
      <label class="model">
        <span class="sr-only">Model</span>
        <select value={chat.model ?? ''} onChange={(e) => void updateChat(chat.id, { model: (e.target as HTMLSelectElement).value || null })}>
          <option value="">Default model</option>
          {options.map((m) => (
            <option key={m.id} value={m.id}>
              {m.display_name}
              {m.price ? ` · $${m.price.input}/$${m.price.output} per M` : ' · price unknown'}
            </option>
          ))}
        </select>
      </label>
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
          {formatTokens(u.input_tokens + u.cache_creation_input_tokens + u.cache_read_input_tokens)} in · {formatTokens(u.output_tokens)} out · {formatCost(u.cost_usd)}
          {u.unpriced_messages > 0 ? ` + ${u.unpriced_messages} unpriced` : ''}
        </span>
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

function Composer({ lastUser, running, onSend }: { lastUser: MessageView | undefined; running: boolean; onSend: () => void }) {
  const [text, setText] = useState('');
  const [refused, setRefused] = useState(false);
  const ref = useRef<HTMLTextAreaElement>(null);
  const chatId = currentId.value;
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.style.height = 'auto';
    // border-box: the height includes the borders scrollHeight leaves out.
    el.style.height = `${Math.min(el.scrollHeight + el.offsetHeight - el.clientHeight, 240)}px`;
  }, [text]);
  useEffect(() => {
    if (!running) setRefused(false);
  }, [running]);
  const submit = async () => {
    const content = text;
    if (!content.trim()) return;
    // One reply at a time: a second message would race the first for its place in the branch.
    if (busy(chatId)) return setRefused(true);
    setText('');
    onSend();
    if (!(await send(content))) setText(content);
  };
  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label class="sr-only" for="composer-input">
        Message
      </label>
      <textarea
        id="composer-input"
        ref={ref}
        rows={1}
        placeholder="Message Claude"
        aria-describedby="composer-keys"
        value={text}
        onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            void submit();
          } else if (e.key === 'ArrowUp' && text === '' && lastUser && !running) {
            e.preventDefault();
            editing.value = lastUser.id;
          }
        }}
      />
      <span id="composer-keys" class="sr-only">
        Enter sends, Shift+Enter starts a new line
      </span>
      {running && chatId ? (
        <button
          type="button"
          class="primary send stop"
          onClick={(e) => {
            const button = e.currentTarget;
            void stopGeneration(chatId).then(() =>
              // Stop turns into a Send that is disabled (the box is empty): the box takes the focus.
              requestAnimationFrame(() => {
                const at = document.activeElement;
                if (!at || at === document.body || !at.isConnected || at === button || at.closest('.composer .send')) ref.current?.focus();
              }),
            );
          }}
        >
          Stop
        </button>
      ) : (
        <button type="submit" class="primary send" disabled={!text.trim()}>
          Send
        </button>
      )}
      <p class="composer-hint" role="status">
        {refused && running ? 'Claude is still writing: wait for the reply, or stop it first. Your message is kept.' : ''}
      </p>
    </form>
  );
}

function Empty() {
  return (
    <div class="empty">
      <h2>Start a conversation</h2>
      <p>Type a message below. Every edit or regenerated reply becomes a branch you can come back to.</p>
      <ul>
        <li>
          <kbd>Enter</kbd> sends, <kbd>Shift</kbd>+<kbd>Enter</kbd> starts a new line
        </li>
        <li>
          <kbd>↑</kbd> in an empty box edits your last message
        </li>
        <li>
          <kbd>Alt</kbd>+<kbd>←</kbd>/<kbd>→</kbd> moves between versions, <kbd>Ctrl</kbd>+<kbd>K</kbd> finds a chat
        </li>
      </ul>
    </div>
  );
}

/** Where the reply being written sits: right after the message it answers, as the answer will. */
function Placeholder({ chatId, generation }: { chatId: string; generation: Generation }) {
  return (
    <div class="generating" aria-label="Reply being written">
      <span class="pulse" aria-hidden="true" />
      <span aria-hidden="true">
        Claude is writing… <Elapsed since={generation.since} />
      </span>
      <button type="button" class="link" onClick={() => void stopGeneration(chatId)}>
        Stop
      </button>
    </div>
  );
}

/** Within this many pixels of the bottom the reader is following the chat: new messages keep it in view. */
const NEAR_BOTTOM_PX = 80;

export function ChatPane({ onMenu, menuOpen }: { onMenu: () => void; menuOpen: boolean }) {
  const list = messages.value;
  const chat = currentChat.value;
  const started = chat ? generating.value[chat.id] : undefined;
  const scroller = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  // Whether the view follows the newest message. A ref, not state: the resize observer reads it
  // between renders. `away` only drives the ↓ Latest button.
  const pinned = useRef(true);
  const [away, setAway] = useState(false);
  const lastUser = [...list].reverse().find((m) => m.role === 'user');
  const toBottom = () => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
    pinned.current = true;
    setAway(false);
  };
  // Every chat opens at its newest message.
  useLayoutEffect(() => {
    pinned.current = true;
    setAway(false);
  }, [chat?.id]);
  useLayoutEffect(() => {
    if (reveal.value) return;
    if (pinned.current) toBottom();
    else if (list.length > 0) setAway(true);
  }, [list.at(-1)?.id, list.length, started?.parent_id]);
  // Heights settle after the first layout (Markdown rendered as it comes near, code, images): a
  // view that follows the chat stays at the bottom through all of it.
  useEffect(() => {
    const el = scroller.current;
    const inner = content.current;
    if (!el || !inner) return;
    const observer = new ResizeObserver(() => {
      if (pinned.current) el.scrollTop = el.scrollHeight;
    });
    observer.observe(inner);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  useEffect(() => {
    const id = reveal.value;
    if (!id || !list.some((m) => m.id === id)) return;
    const el = scroller.current?.querySelector<HTMLElement>(`[data-id="${id}"]`);
    if (el) {
      el.scrollIntoView({ block: 'center' });
      // Decided here, not at the next scroll event: a resize before it must not pull the view away.
      const box = scroller.current!;
      pinned.current = box.scrollHeight - box.scrollTop - box.clientHeight <= NEAR_BOTTOM_PX;
      setAway(!pinned.current);
      el.classList.add('revealed');
      el.focus({ preventScroll: true });
      setTimeout(() => el.classList.remove('revealed'), 2000);
    }
    reveal.value = null;
  }, [list, reveal.value]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight')) return;
      const focusedId = (document.activeElement?.closest('[data-id]') as HTMLElement | null)?.dataset.id;
      const target = list.find((m) => m.id === focusedId && m.siblings.count > 1) ?? [...list].reverse().find((m) => m.siblings.count > 1);
      if (!target) return;
      e.preventDefault();
      void keepFocus(() => moveSibling(target, e.key === 'ArrowLeft' ? -1 : 1));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [list]);
  // The reply being written goes after the message it answers; what follows there is being replaced
  // (a regenerated reply) or was the failure now being retried (hidden: the placeholder says it).
  const at = started?.parent_id ? list.findIndex((m) => m.id === started.parent_id) : -1;
  const cut = started ? (at >= 0 ? at + 1 : list.length) : list.length;
  const items = list.flatMap((m, i) => {
    if (started && i === cut && m.role === 'error') return [];
    return [<Message key={m.id} message={m} eager={i >= list.length - 20} last={i === list.length - 1} replaced={i >= cut} />];
  });
  if (started && chat) items.splice(Math.min(cut, items.length), 0, <Placeholder key="generating" chatId={chat.id} generation={started} />);
  return (
    <section class="chat" aria-label={chat ? chat.name : 'Chat'}>
      <Header onMenu={onMenu} menuOpen={menuOpen} />
      {!apiKeyConfigured.value && (
        <div class="banner" role="note">
          <strong>No API key yet.</strong> Start with <code>ANTHROPIC_API_KEY=… npm start</code>, or put your key in <code>assets/api-key.txt</code> (no restart needed). Try{' '}
          <code>npm run demo</code> to see it work offline.
        </div>
      )}
      <div class="messages-frame">
        <div
          class="messages"
          ref={scroller}
          onScroll={(e) => {
            const el = e.currentTarget;
            const near = el.scrollHeight - el.scrollTop - el.clientHeight <= NEAR_BOTTOM_PX;
            pinned.current = near;
            if (near === away) setAway(!near);
          }}
        >
          <div class="messages-inner" ref={content}>
            {loaded.value && list.length === 0 && !started && <Empty />}
            {items}
          </div>
        </div>
        {away && (
          <button
            type="button"
            class="latest"
            onClick={() => {
              toBottom();
              // The button goes: the focus moves to the newest message, not to the page.
              const last = scroller.current?.querySelector<HTMLElement>('.message:last-of-type');
              last?.focus({ preventScroll: true });
            }}
          >
            ↓ Latest
          </button>
        )}
      </div>
      {chat || loaded.value ? <Composer lastUser={lastUser} running={started !== undefined} onSend={toBottom} /> : null}
      {!chat && loaded.value && list.length === 0 && (
        <p class="hint">
          Or <button type="button" class="link" onClick={() => void createChat()}>create an empty chat</button>.
        </p>
      )}
    </section>
  );
}
