/** One message: its files, Markdown (or thinking, searches and sources) for replies, actions, ‹ 2/3 › between siblings, tokens and cost. */
import { memo } from 'preact/compat';
import type { MessageView } from './protocol.js';
import { keepFocus } from './focus.js';
import { formatCost, formatTokens } from './format.js';
import { editing } from './chats.js';
import { regenerate } from './generation.js';
import { fork, moveSibling } from './actions.js';
import { copy, Markdown } from './markdown-view.js';
import { ErrorRecord, StoppedNote } from './message-notes.js';
import { Editor } from './editor.js';
import { MessageFiles } from './attachments.js';
import { ReplyParts } from './reply-parts.js';

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
        message.parts ? <ReplyParts message={message} eager={eager} /> : <Markdown text={message.content} eager={eager} />
      ) : (
        <>
          {message.attachments && <MessageFiles files={message.attachments} />}
          <div class="plain user-text">{message.content}</div>
        </>
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
            <span
              class="meta"
              title={`${message.meta.model ?? ''} · ${usage.input_tokens} in, ${usage.output_tokens} out (${usage.thinking_tokens ?? 0} thinking), cache write ${usage.cache_creation_input_tokens ?? 0}, cache read ${usage.cache_read_input_tokens ?? 0}, ${usage.web_search_requests ?? 0} web searches`}
            >
              {formatTokens(usage.input_tokens + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0))} in · {formatTokens(usage.output_tokens)} out
              {usage.web_search_requests ? ` · ${searchCount(usage.web_search_requests)}` : ''} · {formatCost(message.cost_usd)}
            </span>
          )}
          {last && message.meta.stop_reason === 'max_tokens' && <span class="meta warn">cut off at the token limit</span>}
        </footer>
      )}
    </article>
  );
}

const searchCount = (n: number) => (n === 1 ? '1 search' : `${n} searches`);

export const Message = memo(MessageItem);
