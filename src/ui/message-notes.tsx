/** What stands in a reply's place when there is none: a stopped attempt, or a failure with Retry (or the automatic retry's countdown). */
import { useEffect, useState } from 'preact/hooks';
import type { MessageView } from './protocol.js';
import { restoreFocus } from './focus.js';
import { failureHeadline } from './notices.js';
import { cancelAutoRetry, failures, retry } from './generation.js';

/**
 * Asks again where a reply stopped or failed. The note and its button give way to the reply being
 * written: the focus goes to the message box, which stays, rather than falling to the page.
 */
function again(parentId: string): Promise<void> {
  restoreFocus(() => document.getElementById('composer-input'));
  return retry(parentId);
}

/** A stopped reply is the person's own doing: a quiet note, and the way to ask again. */
export function StoppedNote({ message }: { message: MessageView }) {
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

export function ErrorRecord({ message }: { message: MessageView }) {
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
