/** The branch as shown: its messages, the reply being written in its place, the empty state, ↓ Latest, and Alt+←/→ between versions. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { Message } from './message.js';
import { keepFocus } from './focus.js';
import type { MessageView } from './protocol.js';
import { loaded } from './session.js';
import { moveSibling } from './actions.js';
import { stopGeneration, type Generation } from './generation.js';
import type { Follow } from './follow.js';

function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, []);
  return <span>{Math.floor((now - since) / 1000)} s</span>;
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

/** Where Alt+←/→ belongs to the text (a word left or right on macOS) and a draft must not be closed. */
const inTextField = (el: Element | null): boolean => el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement || (el instanceof HTMLElement && el.isContentEditable);

/** Alt+←/→ moves between versions: of the message that has the focus, else of the last one that has versions. */
export function useVersionKeys(list: MessageView[]): void {
  // The branch as rendered now: a listener set up after the paint would hold the one before it,
  // and a key pressed as a chat opens would find no versions.
  const shown = useRef(list);
  shown.current = list;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') || inTextField(document.activeElement)) return;
      const list = shown.current;
      const focusedId = (document.activeElement?.closest('[data-id]') as HTMLElement | null)?.dataset.id;
      const target = list.find((m) => m.id === focusedId && m.siblings.count > 1) ?? [...list].reverse().find((m) => m.siblings.count > 1);
      if (!target) return;
      e.preventDefault();
      void keepFocus(() => moveSibling(target, e.key === 'ArrowLeft' ? -1 : 1));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

export function MessageList({ list, chatId, started, follow }: { list: MessageView[]; chatId: string | undefined; started: Generation | undefined; follow: Follow }) {
  const { scroller, content, away, toBottom, onScroll } = follow;
  // The reply being written goes after the message it answers; what follows there is being replaced
  // (a regenerated reply) or was the failure now being retried (hidden: the placeholder says it).
  const at = started?.parent_id ? list.findIndex((m) => m.id === started.parent_id) : -1;
  const cut = started ? (at >= 0 ? at + 1 : list.length) : list.length;
  const items = list.flatMap((m, i) => {
    if (started && i === cut && m.role === 'error') return [];
    return [<Message key={m.id} message={m} eager={i >= list.length - 20} last={i === list.length - 1} replaced={i >= cut} />];
  });
  if (started && chatId) items.splice(Math.min(cut, items.length), 0, <Placeholder key="generating" chatId={chatId} generation={started} />);
  return (
    <div class="messages-frame">
      <div class="messages" ref={scroller} onScroll={onScroll}>
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
  );
}
