/** The message box: Enter sends, ↑ edits the last message, and Stop while a reply is being written. */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { MessageView } from './protocol.js';
import { currentId, editing } from './chats.js';
import { busy, stopGeneration } from './generation.js';
import { send } from './actions.js';

export function Composer({ lastUser, running, onSend }: { lastUser: MessageView | undefined; running: boolean; onSend: () => void }) {
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
