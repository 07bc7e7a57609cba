/** The open chat: header (model, system prompt, totals), the branch, and the message box. */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { Message } from './message.js';
import { Icon } from './icons.js';
import { useAutoFocus } from './focus.js';
import { SystemPromptDialog } from './dialogs.js';
import { formatCost, formatTokens } from './format.js';
import type { MessageView } from './protocol.js';
import { apiKeyConfigured, createChat, currentChat, editing, generating, loadTree, loaded, messages, models, moveSibling, renameChat, reveal, send, stopGeneration, tree, updateChat } from './state.js';

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

function Header({ onMenu }: { onMenu: () => void }) {
  const chat = currentChat.value;
  const [prompting, setPrompting] = useState(false);
  const [naming, setNaming] = useState(false);
  if (!chat) {
    return (
      <header class="chat-header">
        <button type="button" class="icon menu" aria-label="Show chats" onClick={onMenu}>
          <Icon name="menu" />
        </button>
      </header>
    );
  }
  const u = chat.usage;
  const options = models.value.some((m) => m.id === chat.model) || !chat.model ? models.value : [{ id: chat.model, display_name: chat.model, price: null }, ...models.value];
  return (
    <header class="chat-header">
      <button type="button" class="icon menu" aria-label="Show chats" onClick={onMenu}>
        <Icon name="menu" />
      </button>
      {naming ? (
        <TitleInput
          name={chat.name}
          onDone={(value) => {
            if (value) void renameChat(chat.id, value);
            setNaming(false);
          }}
        />
      ) : (
        <h2 class="chat-title">
          <button type="button" class="title-button" title="Rename" onClick={() => setNaming(true)}>
            {chat.name}
          </button>
        </h2>
      )}
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
      <button type="button" class={tree.value ? 'chip on' : 'chip'} aria-pressed={Boolean(tree.value)} onClick={() => (tree.value ? (tree.value = null) : void loadTree())}>
        Branches
      </button>
      <span class="exports">
        <a class="chip" href={`/api/chats/${chat.id}/export`} download>
          Export JSON
        </a>
        <a class="chip" href={`/api/chats/${chat.id}/export?format=markdown`} download>
          Markdown
        </a>
      </span>
      <span class="totals" title={`cache write ${u.cache_creation_input_tokens}, cache read ${u.cache_read_input_tokens}`}>
        {formatTokens(u.input_tokens + u.cache_creation_input_tokens + u.cache_read_input_tokens)} in · {formatTokens(u.output_tokens)} out · {formatCost(u.cost_usd)}
        {u.unpriced_messages > 0 ? ` + ${u.unpriced_messages} unpriced` : ''}
      </span>
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

function Composer({ lastUser }: { lastUser: MessageView | undefined }) {
  const [text, setText] = useState('');
  const ref = useRef<HTMLTextAreaElement>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, 240)}px`;
  }, [text]);
  const submit = async () => {
    const content = text;
    if (!content.trim()) return;
    setText('');
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
        placeholder="Message Claude (Enter to send, Shift+Enter for a new line)"
        value={text}
        onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            void submit();
          } else if (e.key === 'ArrowUp' && text === '' && lastUser) {
            e.preventDefault();
            editing.value = lastUser.id;
          }
        }}
      />
      <button type="submit" class="primary send" disabled={!text.trim()}>
        Send
      </button>
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

export function ChatPane({ onMenu }: { onMenu: () => void }) {
  const list = messages.value;
  const chat = currentChat.value;
  const started = chat ? generating.value[chat.id] : undefined;
  const scroller = useRef<HTMLDivElement>(null);
  const lastUser = [...list].reverse().find((m) => m.role === 'user');
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && !reveal.value) el.scrollTop = el.scrollHeight;
  }, [list.at(-1)?.id, started]);
  useEffect(() => {
    const id = reveal.value;
    if (!id || !list.some((m) => m.id === id)) return;
    const el = scroller.current?.querySelector<HTMLElement>(`[data-id="${id}"]`);
    if (el) {
      el.scrollIntoView({ block: 'center' });
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
      void moveSibling(target, e.key === 'ArrowLeft' ? -1 : 1);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [list]);
  return (
    <section class="chat" aria-label={chat ? chat.name : 'Chat'}>
      <Header onMenu={onMenu} />
      {!apiKeyConfigured.value && (
        <div class="banner" role="note">
          <strong>No API key yet.</strong> Start with <code>ANTHROPIC_API_KEY=… npm start</code>, or put your key in <code>assets/api-key.txt</code> (no restart needed). Try{' '}
          <code>npm run demo</code> to see it work offline.
        </div>
      )}
      <div class="messages" ref={scroller}>
        {loaded.value && list.length === 0 && !started && <Empty />}
        {list.map((m, i) => (
          <Message key={m.id} message={m} eager={i >= list.length - 20} last={i === list.length - 1} />
        ))}
        {started !== undefined && chat && (
          <div class="generating">
            <span class="pulse" aria-hidden="true" />
            <span aria-hidden="true">
              Claude is writing… <Elapsed since={started} />
            </span>
            <button type="button" class="link" onClick={() => void stopGeneration(chat.id)}>
              Stop
            </button>
          </div>
        )}
      </div>
      {chat || loaded.value ? <Composer lastUser={lastUser} /> : null}
      {!chat && loaded.value && list.length === 0 && (
        <p class="hint">
          Or <button type="button" class="link" onClick={() => void createChat()}>create an empty chat</button>.
        </p>
      )}
    </section>
  );
}
