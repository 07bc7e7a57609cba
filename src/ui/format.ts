/** Numbers as people read them. */
export function formatCost(usd: number | null | undefined): string {
  if (usd === null || usd === undefined) return 'unknown cost';
  if (usd === 0) return '$0';
  return usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

export function formatTokens(n: number): string {
  return n >= 10_000 ? `${(n / 1000).toFixed(1)}k` : String(n);
}

/** Markdown as a line of plain text, for previews and snippets: `**bold**` reads as "bold". */
export function plainText(markdown: string): string {
  return markdown
    .replace(/```[a-z]*\n?/gi, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__|\*|_|~~|`)(?=\S)([^]*?\S)\1/g, '$2')
    .replace(/^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+|\d+\.\s+)/gm, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const MARK_START = '\uE000';
const MARK_END = '\uE001';

/**
 * A search snippet (a cut of the raw Markdown, with the matches as [start, end) ranges) as plain
 * text with its matches kept: the ranges travel through plainText as private-use marks.
 */
export function plainSnippet(snippet: string, ranges: [number, number][]): { text: string; mark: boolean }[] {
  const merged: [number, number][] = [];
  for (const [start, end] of [...ranges].sort((a, b) => a[0] - b[0])) {
    const last = merged.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  let marked = '';
  let at = 0;
  for (const [start, end] of merged) {
    marked += snippet.slice(at, start) + MARK_START + snippet.slice(start, end) + MARK_END;
    at = end;
  }
  marked += snippet.slice(at);
  const text = plainText(marked)
    // A cut can leave half of a construct: a link's target, an unclosed mark.
    .replace(/\]\([^)]*(\)|$)/g, (_m, close: string | undefined) => (close ? '' : '…'))
    .replace(/\[(?=[^\]]*$)|^[^[]*?\]/g, (m) => m.replace(/[[\]]/g, ''))
    .replace(/\*\*|__|~~|`/g, '')
    .replace(/(^|\s)\*(?=\S)|(?<=\S)\*(?=\s|$|[.,;:!?])/g, '$1');
  const parts: { text: string; mark: boolean }[] = [];
  let mark = false;
  for (const piece of text.split(/([\uE000\uE001])/)) {
    if (piece === MARK_START) mark = true;
    else if (piece === MARK_END) mark = false;
    else if (piece) parts.push({ text: piece, mark });
  }
  return parts;
}
