/** The message box: files to send with it, Enter sends, ↑ edits the last message, and Stop while a reply is being written. */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { MessageView } from './protocol.js';
import { currentId, editing } from './chats.js';
import { busy, stopGeneration } from './generation.js';
import { send } from './actions.js';
import { AttachButton, onPasteFiles, PendingFiles } from './attachments.js';
import { pending, readyFiles, uploading } from './uploads.js';

/**
 * What was typed in each chat and not sent: a draft stays with its chat, so Enter never sends it
 * into the chat opened since. Kept for the life of the page. (Files being attached stay in the box:
 * their uploads report to the list on screen.)
 */
const drafts = new Map<string | null, string>();

export function Composer({ lastUser, running, onSend }: { lastUser: MessageView | undefined; running: boolean; onSend: () => void }) {
  const chatId = currentId.value;
  const [text, setText] = useState(() => drafts.get(chatId) ?? '');
  const [refused, setRefused] = useState(false);
  const [waiting, setWaiting] = useState(false);
  const [hint, setHint] = useState('');
  const ref = useRef<HTMLTextAreaElement>(null);
  const draftOf = useRef(chatId);
  useLayoutEffect(() => {
    const left = draftOf.current;
    if (left === chatId) return;
    drafts.set(left, ref.current?.value ?? text);
    draftOf.current = chatId;
    const draft = drafts.get(chatId);
    drafts.delete(chatId);
    setText(draft ?? '');
    setHint('');
  }, [chatId]);
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
    const files = pending.value.filter((p) => p.state !== 'refused');
    if ((!text.trim() && files.length === 0) || waiting) return;
    // One reply at a time: a second message would race the first for its place in the branch.
    if (busy(chatId)) return setRefused(true);
    setHint('');
    if (uploading()) setWaiting(true);
    const ready = await readyFiles();
    setWaiting(false);
    // Typing may have gone on while the files were uploading, unless the reader opened another chat
    // meanwhile: then the message is what was in this chat's box, and it goes to this chat.
    const moved = currentId.value !== chatId;
    const content = moved ? text : (ref.current?.value ?? text);
    const failed = pending.value.filter((p) => p.state === 'refused' && files.some((f) => f.key === p.key));
    if (failed.length) return setHint(`${failed.map((p) => `“${p.name}”`).join(', ')} could not be attached (see above): nothing was sent.`);
    if (!content.trim() && ready.length === 0) return;
    // Files alone: the message says which files they are (the protocol wants words, and so does a reader).
    const body = content.trim() ? content : ready.map((p) => p.name).join(', ');
    const kept = pending.value;
    // Sent: no longer a draft, here or in the chat it was written in.
    if (moved) drafts.delete(chatId);
    else setText('');
    pending.value = [];
    onSend();
    if (!(await send(body, ready.map((p) => ({ cid: p.blob!.cid, name: p.name })), chatId ?? undefined))) {
      if (moved) drafts.set(chatId, content);
      else setText(content);
      pending.value = [...kept, ...pending.value];
    }
  };
  const sendable = Boolean(text.trim()) || pending.value.some((p) => p.state !== 'refused');
  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <PendingFiles />
      <AttachButton />
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
        onPaste={onPasteFiles}
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
        <button type="submit" class="primary send" disabled={!sendable} aria-disabled={waiting ? 'true' : undefined}>
          {waiting ? 'Sending…' : 'Send'}
        </button>
      )}
      <p class="composer-hint" role="status">
        {refused && running ? 'Claude is still writing: wait for the reply, or stop it first. Your message is kept.' : waiting ? 'Sending once the files are uploaded…' : hint}
      </p>
    </form>
  );
}
