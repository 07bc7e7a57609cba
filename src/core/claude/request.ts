/**
 * The Messages API request for a branch: root to leaf, error records left out, consecutive turns
 * of one role merged, and a cache breakpoint at the end of the stable prefix (the system prompt and
 * every turn but the newest), so a long chat and its sibling branches read from the cache.
 */
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { Role } from '../dag/node.js';

export const TextBlock = z.object({ type: z.literal('text'), text: z.string(), cache_control: z.object({ type: z.literal('ephemeral') }).optional() });
export type TextBlock = z.infer<typeof TextBlock>;

/** Also what a job carries to a generator, so a generator parses it with this same schema. */
export const ClaudeRequest = z.object({
  model: z.string(),
  max_tokens: z.number().int().positive(),
  system: z.array(TextBlock).optional(),
  messages: z.array(z.object({ role: z.enum(['user', 'assistant']), content: z.array(TextBlock) })).min(1),
});
export type ClaudeRequest = z.infer<typeof ClaudeRequest>;

export interface Turn {
  role: Role;
  content: string;
}

const EPHEMERAL = { type: 'ephemeral' } as const;

export function buildRequest(branch: readonly Turn[], options: { model: string; max_tokens: number; system: string | null }): ClaudeRequest {
  const messages: ClaudeRequest['messages'] = [];
  for (const turn of branch) {
    if (turn.role === 'error' || turn.content.trim() === '') continue;
    const last = messages.at(-1);
    if (last?.role === turn.role) last.content[0]!.text += `\n\n${turn.content}`;
    else if (messages.length > 0 || turn.role === 'user') messages.push({ role: turn.role, content: [{ type: 'text', text: turn.content }] });
  }
  if (messages.length === 0) throw new AppError('bad_request', 'there is no user message to answer on this branch');
  if (messages.at(-1)!.role !== 'user') throw new AppError('bad_request', 'the branch already ends with a reply: send a message, or regenerate that reply');

  const system: TextBlock[] | undefined = options.system?.trim() ? [{ type: 'text', text: options.system }] : undefined;
  const stable = messages.at(-2);
  if (stable) stable.content.at(-1)!.cache_control = EPHEMERAL;
  else if (system) system[0]!.cache_control = EPHEMERAL;
  return { model: options.model, max_tokens: options.max_tokens, ...(system ? { system } : {}), messages };
}
