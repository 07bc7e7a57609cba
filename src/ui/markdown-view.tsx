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
 * Where a citation goes in the Markdown: private-use characters around the index of the mark, which
 * no honest reply holds. They pass through marked and DOMPurify as text and become links after, so
 * the only markup added to sanitised HTML is this fixed link.
 */
export interface CiteMark {
  /** The source's number. */
  n: number;
  /** The passage it backs, shown on hover. */
  cited: string;
}
export interface Cites {
  messageId: string;
  marks: CiteMark[];
}
export const citeMark = (index: number) => `\uE010${index}\uE011`;
const CITE_GROUP = /(?:\uE010\d{1,5}\uE011)+/g;
const stripMarks = (text: string) => text.replace(/\uE010\d{0,5}\uE011?|[\uE010\uE011]/g, '');

/** The id of source `n` of a message, the target of its citation marks. */
export const sourceAnchor = (messageId: string, n: number) => `src-${messageId.replace(/[^a-z0-9]/gi, '')}-${n}`;

/**
 * The marks become links in the sanitised HTML's text only (a mark that landed in an attribute,
 * say a link's title, is dropped): built with DOM calls in an inert template, never spliced as text.
 */
function withCitations(html: string, cites: Cites): string {
  const template = document.createElement('template');
  template.innerHTML = html;
  const walker = document.createTreeWalker(template.content, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  const texts: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node instanceof Text) {
      if (/\uE010/.test(node.data)) texts.push(node);
    } else for (const attr of (node as Element).attributes) if (/[\uE010\uE011]/.test(attr.value)) attr.value = stripMarks(attr.value);
  }
  for (const text of texts) {
    const pieces = text.data.split(CITE_GROUP);
    const groups = text.data.match(CITE_GROUP) ?? [];
    const parts: Node[] = [];
    pieces.forEach((piece, i) => {
      if (piece) parts.push(document.createTextNode(stripMarks(piece)));
      // Marks side by side stay together, in one superscript that does not break between them.
      if (groups[i]) parts.push(citeGroup(groups[i], cites));
    });
    text.replaceWith(...parts);
  }
  return template.innerHTML;
}

function citeGroup(group: string, cites: Cites): HTMLElement {
  const sup = document.createElement('sup');
  sup.className = 'cite';
  for (const [, k] of group.matchAll(/\uE010(\d+)\uE011/g)) {
    const mark = cites.marks[Number(k)];
    if (!mark) continue;
    const a = document.createElement('a');
    a.href = `#${sourceAnchor(cites.messageId, mark.n)}`;
    a.setAttribute('aria-label', `Source ${mark.n}`);
    if (mark.cited) a.title = `“${mark.cited.slice(0, 300)}”`;
    a.textContent = `[${mark.n}]`;
    sup.append(a);
  }
  return sup;
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
export function Markdown({ text, eager, cites }: { text: string; eager: boolean; cites?: Cites }) {
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
    const safe = renderMarkdown(cites ? text : stripMarks(text));
    return cites ? withCitations(safe, cites) : safe;
  }, [text, visible, math, cites]);
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
