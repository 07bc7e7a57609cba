/**
 * Input tokens and the prompt cache: the prefix up to the last `cache_control` breakpoint is
 * written once per model, then read. Text counts a token per four characters; images and PDFs add
 * their own estimates (`Flat.extra`), and are told apart by a hash of their data.
 */
import { createHash } from 'node:crypto';
import type { Flat } from './blocks.js';

export const tokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));

export interface InputUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

export function inputUsage(model: string, flat: Flat[], cachedPrefixes: Set<string>): InputUsage {
  const lastBreak = flat.map((f) => f.cached).lastIndexOf(true);
  const head = lastBreak >= 0 ? flat.slice(0, lastBreak + 1) : [];
  const rest = flat.slice(lastBreak + 1);
  const extra = (part: Flat[]) => part.reduce((sum, f) => sum + f.extra, 0);
  const prefix = head.map((f) => f.key).join('\u0000');
  const prefixTokens = head.length > 0 ? tokens(head.map((f) => f.text).join('\u0000')) + extra(head) : 0;
  const prefixKey = `${model}:${createHash('sha256').update(prefix).digest('hex')}`;
  const read = head.length > 0 && cachedPrefixes.has(prefixKey) ? prefixTokens : 0;
  const write = head.length > 0 && !read ? prefixTokens : 0;
  if (head.length > 0) cachedPrefixes.add(prefixKey);
  return { input_tokens: tokens(rest.map((f) => f.text).join('') || ' ') + extra(rest), cache_creation_input_tokens: write, cache_read_input_tokens: read };
}
