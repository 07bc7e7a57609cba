/**
 * Markdown to safe HTML: marked renders, highlight.js colours code, KaTeX writes LaTeX as MathML,
 * DOMPurify removes anything active.
 */
import { Marked, type TokenizerAndRendererExtension } from 'marked';
import { signal } from '@preact/signals';
import type Katex from 'katex';
import DOMPurify from 'dompurify';
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import css from 'highlight.js/lib/languages/css';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';
import diff from 'highlight.js/lib/languages/diff';

for (const [name, lang] of Object.entries({ bash, c, cpp, css, go, java, javascript, json, python, rust, sql, typescript, xml, yaml, diff })) {
  hljs.registerLanguage(name, lang);
}
hljs.registerAliases(['sh', 'shell', 'zsh'], { languageName: 'bash' });
hljs.registerAliases(['js', 'jsx', 'mjs'], { languageName: 'javascript' });
hljs.registerAliases(['ts', 'tsx'], { languageName: 'typescript' });
hljs.registerAliases(['html', 'svg'], { languageName: 'xml' });
hljs.registerAliases(['py'], { languageName: 'python' });
hljs.registerAliases(['rs'], { languageName: 'rust' });
hljs.registerAliases(['yml'], { languageName: 'yaml' });

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/**
 * KaTeX is a third of a megabyte: it is fetched (a chunk of its own, from this origin) the first time
 * a message holds maths, and messages render again once it is here. Until then the TeX shows as code.
 */
let katex: typeof Katex | null = null;
let loading: Promise<void> | null = null;
export const mathReady = signal(false);

function loadKatex(): void {
  loading ??= import('katex').then(
    (module) => {
      katex = module.default;
      mathReady.value = true;
    },
    () => {
      // Offline or refused: the TeX stays readable as code; a later message may try again.
      loading = null;
    },
  );
}

/**
 * MathML, not KaTeX's HTML: the browser lays it out itself, with no stylesheet or fonts to serve
 * under the page's CSP (style-src and font-src 'self'). Untrusted input: no \href, \url, \html…;
 * bounded expansion so a message cannot make the page spin.
 */
function tex(source: string, display: boolean): string {
  if (!katex) {
    loadKatex();
    return `<code class="math-pending">${escapeHtml(source)}</code>`;
  }
  const html = katex.renderToString(source, { displayMode: display, output: 'mathml', throwOnError: false, trust: false, strict: 'ignore', maxExpand: 500, maxSize: 20 });
  // A formula KaTeX cannot read comes back as its source in a span coloured by a style attribute,
  // which the CSP reports even in DOMPurify's parsing document: the colour comes from style.css.
  // (DOMPurify drops the <annotation> holding the TeX source; the test checks none shows.)
  return html.replace(/\sstyle="[^"]*"/g, '');
}

/**
 * $…$ and \(…\) inline, $$…$$ and \[…\] displayed. A $ opens only before a non-space and closes
 * only after one, not before a digit: "$5 and $10" stays money.
 */
const math: TokenizerAndRendererExtension[] = [
  {
    name: 'mathBlock',
    level: 'block',
    start: (src) => /\$\$|\\\[/.exec(src)?.index,
    tokenizer(src) {
      const m = /^ {0,3}\$\$([^]+?)\$\$[^\S\n]*(?:\n|$)/.exec(src) ?? /^ {0,3}\\\[([^]+?)\\\][^\S\n]*(?:\n|$)/.exec(src);
      if (m) return { type: 'mathBlock', raw: m[0], text: m[1]!.trim() };
      return undefined;
    },
    renderer: (token) => `<div class="math-display">${tex(token.text as string, true)}</div>`,
  },
  {
    name: 'mathInline',
    level: 'inline',
    start: (src) => /\$|\\[([]/.exec(src)?.index,
    tokenizer(src) {
      const display = /^\$\$([^$]+?)\$\$/.exec(src) ?? /^\\\[([^]+?)\\\]/.exec(src);
      if (display) return { type: 'mathInline', raw: display[0], text: display[1]!.trim(), display: true };
      const inline = /^\\\(([^]+?)\\\)/.exec(src) ?? /^\$(?!\s)((?:\\.|[^\\$\n])+?)(?<!\s)\$(?!\d)/.exec(src);
      if (inline) return { type: 'mathInline', raw: inline[0], text: inline[1]!, display: false };
      return undefined;
    },
    renderer: (token) => tex(token.text as string, token.display === true),
  },
];

const marked = new Marked({
  extensions: math,
  gfm: true,
  breaks: true,
  renderer: {
    // A task list's boxes: marked writes <input> elements, which the sanitizer removes (no form
    // controls in a reply), and "done" and "to do" looked the same. A mark that says which it is.
    checkbox({ checked }) {
      return checked ? '<span class="task done" role="img" aria-label="done">☑</span> ' : '<span class="task" role="img" aria-label="to do">☐</span> ';
    },
    code({ text, lang }) {
      const language = (lang ?? '').split(/\s/)[0]!.toLowerCase();
      const known = language && hljs.getLanguage(language);
      const body = known ? hljs.highlight(text, { language, ignoreIllegals: true }).value : escapeHtml(text);
      const label = known ? escapeHtml(language) : 'text';
      return `<div class="code"><div class="code-bar"><span>${label}</span><button type="button" class="copy-code" aria-label="Copy code">Copy</button></div><pre><code class="hljs">${body}</code></pre></div>`;
    },
  },
});

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

export function renderMarkdown(text: string): string {
  const html = marked.parse(text, { async: false });
  return DOMPurify.sanitize(html, { FORBID_TAGS: ['style', 'form', 'input', 'textarea', 'select'], FORBID_ATTR: ['style'] });
}
