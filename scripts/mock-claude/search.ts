/**
 * What the mock's web search "finds": three results per search and the citations that point into
 * them, deterministic for a query. In hostile mode every title, URL and cited passage is an XSS
 * attempt (script tags, event handlers, `javascript:` and `data:` URLs), so a test can prove the
 * app shows them as inert text.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { digest } from './signing.js';

const HOSTILE: { title: string; url: string; cited: string }[] = [
  { title: '<img src=x onerror=alert(1)>', url: 'javascript:alert(document.cookie)', cited: '<script>alert("cited 1")</script>' },
  { title: '"><script>alert(2)</script>', url: 'data:text/html,<script>alert(document.domain)</script>', cited: '<a href="javascript:alert(3)">click me</a>' },
  { title: "</a><svg onload=alert('title')>", url: ' JaVaScRiPt:alert(4)', cited: '"><img src=x onerror=alert(5)>' },
];

const encrypted = (...parts: (string | number)[]) => Buffer.from(`mock-encrypted:${digest(...parts)}`).toString('base64');

export function searchResults(query: string, hostile: boolean): Anthropic.WebSearchResultBlock[] {
  return [0, 1, 2].map((i) => ({
    type: 'web_search_result',
    title: hostile ? HOSTILE[i]!.title : `Mock result ${i + 1} for “${query}”`,
    url: hostile ? HOSTILE[i]!.url : `https://example.com/mock-search/${i + 1}?q=${encodeURIComponent(query)}`,
    encrypted_content: encrypted('content', query, i),
    page_age: i === 2 ? null : 'March 12, 2026',
  }));
}

export function citation(result: Anthropic.WebSearchResultBlock, index: number, hostile: boolean): Anthropic.CitationsWebSearchResultLocation {
  return {
    type: 'web_search_result_location',
    url: result.url,
    title: result.title,
    cited_text: hostile ? HOSTILE[index]!.cited : `Page ${index + 1} says this about the question, in a passage of its own.`,
    encrypted_index: encrypted('index', result.url, index),
  };
}

/** The answer after a search: an intro, then sentences that cite the results (the second cites two). */
export function citedText(results: Anthropic.WebSearchResultBlock[], hostile: boolean): { text: string; citations?: Anthropic.CitationsWebSearchResultLocation[] }[] {
  const cite = (i: number) => citation(results[i]!, i, hostile);
  return [
    { text: '\n\nHere is what I found on the web:' },
    { text: '\n1. The first source answers the question directly.', citations: [cite(0)] },
    { text: '\n2. Two sources agree on the details.', citations: [cite(1), cite(2)] },
    { text: '\n\nThat is all I found.' },
  ];
}
