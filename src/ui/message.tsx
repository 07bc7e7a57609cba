/** One message: Markdown for replies, actions, ‹ 2/3 › between siblings, tokens and cost. */
import { memo } from 'preact/compat';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { MessageView } from './protocol.js';
import { mathReady, renderMarkdown } from './markdown.js';
import { controlAt, keepFocus, opener, restoreFocus } from './focus.js';
import { formatCost, formatTokens } from './format.js';
import { editing, messages } from './chats.js';
import { failureHeadline, say } from './notices.js';
import { cancelAutoRetry, failures, regenerate, retry } from './generation.js';
import { fork, moveSibling, saveEdit } from './actions.js';

async function copy(text: string, button: HTMLElement): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = 'Copied';
    say('Copied');
  } catch {
    button.textContent = 'Copy failed';
    say('Copy failed');
  }
  setTimeout(() => (button.textContent = button.dataset.label ?? 'Copy'), 1500);
}

/** Markdown is rendered when the message comes near the screen: a long branch opens at once. */
function Markdown({ text, eager }: { text: string; eager: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const [visible, setVisible] = useState(eager);
  useEffect(() => {
    if (visible || !ref.current) return;
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && setVisible(true), { rootMargin: '800px' });
    observer.observe(ref.current);
    return () => observer.disconnect();
  }, [visible]);
  // Rendered again once KaTeX has arrived (the first message with maths asks for it).
  const math = mathReady.value;
  const html = useMemo(() => (visible ? renderMarkdown(text) : ''), [text, visible, math]);
  if (!visible) return <div ref={ref} class="plain">{text}</div>;
  return (
    <div
      ref={ref}
      class="markdown"
      // Sanitized by DOMPurify in renderMarkdown.
      dangerouslySetInnerHTML={{ __html: html }}
      onClick={(e) => {
        const button = (e.target as HTMLElement).closest<HTMLElement>('.copy-code');
        const code = button?.closest('.code')?.querySelector('code');
        if (button && code) void copy(code.textContent ?? '', button);
      }}
    />
  );
}

function Editor({ message }: { message: MessageView }) {
  const [text, setText] = useState(message.content);
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    // The Edit button (or the message box, after ↑) gets the focus back when the editor goes;
    // after a save the edited version has taken this message's place.
    const from = opener();
    const index = messages.value.findIndex((m) => m.id === message.id);
    ref.current?.focus();
    ref.current?.select();
    return () => restoreFocus(() => (from?.isConnected ? from : controlAt(index, 'Edit')));
  }, []);
  return (
    <form
      class="editor"
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) void saveEdit(message, text);
      }}
    >
      <label class="sr-only" for={`edit-${message.id}`}>
        Edit message
      </label>
      <textarea
        ref={ref}
        id={`edit-${message.id}`}
        value={text}
        rows={Math.min(12, text.split('\n').length + 1)}
        onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            editing.value = null;
          } else if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            if (text.trim()) void saveEdit(message, text);
          }
        }}
      />
      <div class="editor-actions">
        <button type="button" onClick={() => (editing.value = null)}>
          Cancel
        </button>
        <button type="submit" class="primary">
          Save and send
        </button>
      </div>
    </form>
  );
}

function Siblings({ message }: { message: MessageView }) {
  const { index, count } = message.siblings;
  if (count < 2) return null;
  // aria-disabled, not disabled: the button keeps the focus when the switch makes it the last one.
  const step = (delta: number) => () => {
    const to = index + delta;
    if (to >= 0 && to < count) void keepFocus(() => moveSibling(message, delta));
  };
  return (
    <span class="siblings" role="group" aria-label={`Version ${index + 1} of ${count}`}>
      <button type="button" class="icon step" aria-label="Previous version" aria-disabled={index === 0 ? 'true' : undefined} onClick={step(-1)}>
        ‹
      </button>
      <span aria-hidden="true">
        {index + 1}/{count}
      </span>
      <button type="button" class="icon step" aria-label="Next version" aria-disabled={index === count - 1 ? 'true' : undefined} onClick={step(1)}>
        ›
      </button>
    </span>
  );
}

/**
 * Asks again where a reply stopped or failed. The note and its button give way to the reply being
 * written: the focus goes to the message box, which stays, rather than falling to the page.
 */
function again(parentId: string): Promise<void> {
  restoreFocus(() => document.getElementById('composer-input'));
  return retry(parentId);
}

/** A stopped reply is the person's own doing: a quiet note, and the way to ask again. */
function StoppedNote({ message }: { message: MessageView }) {
  return (
    <p class="stopped-note">
      <span>Stopped</span>
      <span aria-hidden="true"> · </span>
      <button type="button" class="link" onClick={() => message.parent_id && void again(message.parent_id)}>
        Regenerate
      </button>
    </p>
  );
}

function ErrorRecord({ message }: { message: MessageView }) {
  const failure = message.parent_id ? failures.value[message.parent_id] : undefined;
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!failure?.retryAt) return;
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, [failure?.retryAt]);
  const waiting = failure?.retryAt ? Math.max(0, Math.ceil((failure.retryAt - now) / 1000)) : undefined;
  const headline = failureHeadline(failure?.error.code ?? message.meta.error_code, failure?.error.status);
  if (waiting !== undefined) {
    // One line while the page retries by itself: what happened, in plain words, and the way out.
    return (
      <div class="error-record waiting" role="status">
        <p class="retrying">
          {headline} Retrying in {waiting} s (attempt {failure!.attempt + 1} of 3)…{' '}
          <button type="button" onClick={() => message.parent_id && cancelAutoRetry(message.parent_id)}>
            Cancel
          </button>
        </p>
      </div>
    );
  }
  return (
    <div class="error-record" role="alert">
      <p>
        <strong>{headline}</strong>
      </p>
      {message.content && (
        <details>
          <summary>Details</summary>
          <p class="error-detail">{message.content}</p>
        </details>
      )}
      <button type="button" class="primary" onClick={() => message.parent_id && void again(message.parent_id)}>
        Retry
      </button>
    </div>
  );
}

function MessageItem({ message, eager, last, replaced }: { message: MessageView; eager: boolean; last: boolean; replaced: boolean }) {
  const isEditing = editing.value === message.id;
  const usage = message.meta.usage;
  const stopped = message.role === 'error' && message.meta.error_code === 'cancelled';
  const label = message.role === 'user' ? 'You' : message.role === 'assistant' ? 'Claude' : stopped ? 'Stopped' : 'Error';
  return (
    <article
      class={`message ${message.role}${stopped ? ' stopped' : ''}${replaced ? ' replaced' : ''}`}
      aria-label={replaced ? `${label} (being replaced)` : label}
      tabIndex={-1}
      data-id={message.id}
    >
      {stopped ? (
        <StoppedNote message={message} />
      ) : message.role === 'error' ? (
        <ErrorRecord message={message} />
      ) : isEditing ? (
        <Editor message={message} />
      ) : message.role === 'assistant' ? (
        <Markdown text={message.content} eager={eager} />
      ) : (
        <div class="plain user-text">{message.content}</div>
      )}
      {!isEditing && (
        <footer class="message-bar">
          <Siblings message={message} />
          {message.role !== 'error' && (
            <button type="button" class="link" data-label="Copy" onClick={(e) => void copy(message.content, e.currentTarget)}>
              Copy
            </button>
          )}
          {message.role === 'user' && (
            <button type="button" class="link" onClick={() => (editing.value = message.id)}>
              Edit
            </button>
          )}
          {message.role === 'assistant' && (
            <button type="button" class="link" onClick={() => void regenerate(message)}>
              Regenerate
            </button>
          )}
          {message.role !== 'error' && (
            <button type="button" class="link" onClick={() => void fork(message)}>
              Fork
            </button>
          )}
          {message.role === 'assistant' && usage && (
            <span class="meta" title={`${message.meta.model ?? ''} · ${usage.input_tokens} in, ${usage.output_tokens} out, cache write ${usage.cache_creation_input_tokens ?? 0}, cache read ${usage.cache_read_input_tokens ?? 0}`}>
              {formatTokens(usage.input_tokens + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0))} in · {formatTokens(usage.output_tokens)} out · {formatCost(message.cost_usd)}
            </span>
          )}
          {last && message.meta.stop_reason === 'max_tokens' && <span class="meta warn">cut off at the token limit</span>}
        </footer>
      )}
    </article>
  );
}

export const Message = memo(MessageItem);
