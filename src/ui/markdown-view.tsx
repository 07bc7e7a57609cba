/** A reply's Markdown on screen: rendered when it comes near, with Copy on code blocks and citation marks that lead to their sources. */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { mathReady, renderMarkdown } from './markdown.js';
import { say } from './notices.js';

export async function copy(text: string, button: HTMLElement): Promise<void> {
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

/**
 * Where a citation goes in the Markdown: private-use characters around the source's number, which
 * no honest reply holds. They pass through marked and DOMPurify as text and become links after, so
 * the only markup added to sanitised HTML is this fixed link with a number in it.
 */
export const citeMark = (n: number) => `\uE010${n}\uE011`;
const CITE_MARK = /\uE010(\d{1,4})\uE011/g;
const stripMarks = (text: string) => text.replace(CITE_MARK, '').replace(/[\uE010\uE011]/g, '');

/** The id of source `n` of a message, the target of its citation marks. */
export const sourceAnchor = (messageId: string, n: number) => `src-${messageId.replace(/[^a-z0-9]/gi, '')}-${n}`;

function withCitations(html: string, messageId: string): string {
  return html.replace(CITE_MARK, (_m, n: string) => `<sup class="cite"><a href="#${sourceAnchor(messageId, Number(n))}" data-source="${Number(n)}" aria-label="Source ${Number(n)}">[${Number(n)}]</a></sup>`);
}

/** Brings a source entry into view and gives it the focus: the reader lands on what the mark pointed at. */
export function goToSource(anchor: string): void {
  const target = document.getElementById(anchor);
  if (!target) return;
  target.scrollIntoView({ block: 'nearest' });
  target.focus({ preventScroll: true });
  target.classList.add('targeted');
  setTimeout(() => target.classList.remove('targeted'), 2000);
}

/** Markdown is rendered when the message comes near the screen: a long branch opens at once. */
export function Markdown({ text, eager, citesOf }: { text: string; eager: boolean; citesOf?: string }) {
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
  const html = useMemo(() => {
    if (!visible) return '';
    const safe = renderMarkdown(citesOf ? text : stripMarks(text));
    return citesOf ? withCitations(safe, citesOf) : safe;
  }, [text, visible, math, citesOf]);
  if (!visible) return <div ref={ref} class="plain">{stripMarks(text)}</div>;
  return (
    <div
      ref={ref}
      class="markdown"
      // Sanitized by DOMPurify in renderMarkdown; withCitations adds only its own fixed links.
      dangerouslySetInnerHTML={{ __html: html }}
      onClick={(e) => {
        const target = e.target as HTMLElement;
        const cite = target.closest<HTMLAnchorElement>('.cite a');
        if (cite) {
          // The page's address keeps naming the chat: the mark moves the view, not the location.
          e.preventDefault();
          goToSource(cite.hash.slice(1));
          return;
        }
        const button = target.closest<HTMLElement>('.copy-code');
        const code = button?.closest('.code')?.querySelector('code');
        if (button && code) void copy(code.textContent ?? '', button);
      }}
    />
  );
}
