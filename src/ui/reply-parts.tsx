/**
 * A reply that came as more than text, in the order it came: thinking folded away, "Searched the
 * web" steps with their results, text with citation marks, and the numbered sources under it.
 * Every title and URL is data: shown as text, and a link only from an http(s) `href`.
 */
import type { JSX } from 'preact';
import type { MessageView } from './protocol.js';
import type { ReplyPart, Source } from '../core/chats/reply-parts.js';
import { citeMark, copy, Markdown, sourceAnchor, type CiteMark } from './markdown-view.js';
import { formatTokens } from './format.js';

type Part = ReplyPart;
type Result = Omit<Source, 'n'>;

/** Checked here again: whatever the server sent, only a web address becomes a link. */
const webHref = (href: string | null): string | null => (href && /^https?:\/\//i.test(href) ? href : null);

function hostOf(source: Result): string {
  const href = webHref(source.href);
  if (!href) return '';
  try {
    return new URL(href).host;
  } catch {
    return '';
  }
}

function SourceLink({ source }: { source: Result }) {
  const href = webHref(source.href);
  const title = source.title || source.url || 'Untitled';
  if (!href) {
    return (
      <span class="source-title" title="Not a web address, so not a link">
        {title}
      </span>
    );
  }
  return (
    <a class="source-title" href={href} target="_blank" rel="noopener noreferrer nofollow">
      {title}
    </a>
  );
}

const SEARCH_FAILURES: Record<string, string> = {
  max_uses_exceeded: 'the limit of searches for this reply was reached',
  too_many_requests: 'too many searches right now',
  query_too_long: 'the query was too long',
  invalid_tool_input: 'the query could not be used',
  unavailable: 'search was unavailable',
};

function SearchStep({ part }: { part: Extract<Part, { type: 'search' }> }) {
  const label = (
    <>
      Searched the web: <q>{part.query}</q>
    </>
  );
  if (part.error !== undefined) {
    return (
      <p class="search-step failed">
        {label} · failed: {SEARCH_FAILURES[part.error] ?? 'search was unavailable'}
      </p>
    );
  }
  return (
    <details class="search-step">
      <summary>
        {label} · {part.results.length === 1 ? '1 result' : `${part.results.length} results`}
      </summary>
      <ol class="search-results">
        {part.results.map((r, i) => (
          <li key={i}>
            <SourceLink source={r} />
            {hostOf(r) && <span class="source-host"> — {hostOf(r)}</span>}
          </li>
        ))}
      </ol>
    </details>
  );
}

function Thinking({ parts, label }: { parts: Part[]; label: string }) {
  const text = parts.map((p) => (p.type === 'thinking' ? p.text : '')).filter(Boolean).join('\n\n');
  const redacted = parts.some((p) => p.type === 'redacted_thinking');
  return (
    <div class="thinking">
      {text && (
        <details>
          <summary>{label}</summary>
          <div class="thinking-text plain">{text}</div>
          <button type="button" class="link" data-label="Copy thinking" onClick={(e) => void copy(text, e.currentTarget)}>
            Copy thinking
          </button>
        </details>
      )}
      {redacted && <p class="redacted">Some of the thinking is hidden (redacted by safety systems).</p>}
    </div>
  );
}

/** Consecutive text parts are one piece of Markdown (the API splits sentences at citations), with marks after each cited part. */
function markdownOf(parts: Extract<Part, { type: 'text' }>[], marks: CiteMark[]): string {
  return parts
    .map((p) => {
      const text = p.text.replace(/[\uE010\uE011]/g, '');
      const seen = new Set<number>();
      let after = '';
      for (const c of p.citations ?? []) {
        if (seen.has(c.source)) continue;
        seen.add(c.source);
        after += citeMark(marks.push({ n: c.source, cited: c.cited_text }) - 1);
      }
      return text + after;
    })
    .join('');
}

export function ReplyParts({ message, eager }: { message: MessageView; eager: boolean }) {
  const parts = message.parts ?? [];
  const thinkingTokens = message.meta.usage?.thinking_tokens;
  const out: JSX.Element[] = [];
  let thoughts = 0;
  for (let i = 0; i < parts.length; ) {
    const part = parts[i]!;
    if (part.type === 'thinking' || part.type === 'redacted_thinking') {
      const group: Part[] = [];
      while (i < parts.length && (parts[i]!.type === 'thinking' || parts[i]!.type === 'redacted_thinking')) group.push(parts[i++]!);
      const label = thoughts++ > 0 ? 'Thought further' : thinkingTokens ? `Thought for ${formatTokens(thinkingTokens)} tokens` : 'Thought';
      out.push(<Thinking key={`t${i}`} parts={group} label={label} />);
    } else if (part.type === 'search') {
      out.push(<SearchStep key={`s${i}`} part={part} />);
      i++;
    } else {
      const run: Extract<Part, { type: 'text' }>[] = [];
      while (i < parts.length && parts[i]!.type === 'text') run.push(parts[i++] as Extract<Part, { type: 'text' }>);
      const marks: CiteMark[] = [];
      const text = markdownOf(run, marks);
      if (text.trim()) out.push(<Markdown key={`m${i}`} text={text} eager={eager} cites={{ messageId: message.id, marks }} />);
    }
  }
  return (
    <div class="reply-parts">
      {out}
      {message.sources && message.sources.length > 0 && <Sources messageId={message.id} sources={message.sources} />}
    </div>
  );
}

function Sources({ messageId, sources }: { messageId: string; sources: Source[] }) {
  return (
    <section class="sources" aria-label="Sources">
      <h3>Sources</h3>
      <ol>
        {sources.map((s) => (
          <li key={s.n} id={sourceAnchor(messageId, s.n)} value={s.n} tabIndex={-1}>
            <SourceLink source={s} />
            {hostOf(s) && <span class="source-host"> — {hostOf(s)}</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}
