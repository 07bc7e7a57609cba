/**
 * Generations that run in child actors: what the parent remembers while one runs (a few bytes per
 * generation, never the request), what a child is told, what it hands back, and how the parent
 * turns a child's exit, error or disappearance into a stored reply or a recorded failure.
 */
import { z } from 'zod';
import { MessageIdField } from './protocol/fields.js';
import { finishGeneration, type GenerationJob } from './generation.js';
import type { ChatService } from './chats/service.js';
import type { Effects } from './commands.js';
import type { LlmOutcome } from './claude/llm.js';

export const Pending = z.object({
  chat_id: z.string(),
  parent_id: z.string(),
  attempt: z.number().int().positive(),
  spent_ms: z.number().int().nonnegative(),
});
export type Pending = z.infer<typeof Pending>;

const TextBlock = z.object({ type: z.literal('text'), text: z.string(), cache_control: z.object({ type: z.literal('ephemeral') }).optional() });

export const JobSchema = z.object({
  chat_id: z.string(),
  parent_id: MessageIdField,
  request: z.object({
    model: z.string(),
    max_tokens: z.number().int().positive(),
    system: z.array(TextBlock).optional(),
    messages: z.array(z.object({ role: z.enum(['user', 'assistant']), content: z.array(TextBlock) })).min(1),
  }),
  attempt: z.number().int().positive(),
  spent_ms: z.number().int().nonnegative(),
});

/** The init state of a child in the generator role. No key: the child reads its own. */
export const GeneratorInit = z.object({
  role: z.literal('generator'),
  job: JobSchema,
  anthropic_base_url: z.string().optional(),
});
export type GeneratorInit = z.infer<typeof GeneratorInit>;

const Usage = z.object({
  input_tokens: z.number().int().nonnegative(),
  output_tokens: z.number().int().nonnegative(),
  cache_creation_input_tokens: z.number().int().nonnegative().optional(),
  cache_read_input_tokens: z.number().int().nonnegative().optional(),
});

const Outcome = z.union([
  z.object({
    ok: z.literal(true),
    reply: z.object({
      id: z.string(),
      model: z.string(),
      content: z.string(),
      stop_reason: z.string(),
      usage: Usage,
      request_id: z.string().optional(),
      date: z.string().optional(),
    }),
  }),
  z.object({
    ok: z.literal(false),
    failure: z.object({
      kind: z.enum(['api', 'connection', 'malformed', 'no_key', 'timeout', 'cancelled', 'generator']),
      status: z.number().int().optional(),
      headers: z.record(z.string(), z.string()).optional(),
      type: z.string().optional(),
      message: z.string(),
      request_id: z.string().optional(),
    }),
  }),
]);

/** What a generator child hands back as its exit data. */
export const GeneratorExit = z.object({ v: z.literal(1), outcome: Outcome, attempt: z.number().int().positive() });
export type GeneratorExit = z.infer<typeof GeneratorExit>;

const encoder = new TextEncoder();

export function generatorInit(job: GenerationJob, baseUrl: string | undefined): Uint8Array {
  const init: GeneratorInit = { role: 'generator', job, ...(baseUrl ? { anthropic_base_url: baseUrl } : {}) };
  return encoder.encode(JSON.stringify(init));
}

export function encodeExit(exit: GeneratorExit): Uint8Array {
  return encoder.encode(JSON.stringify(exit));
}

/** The child's exit data, parsed; anything unreadable becomes a failure the user can retry. */
export function parseExit(data: Uint8Array | undefined): { outcome: LlmOutcome; attempt?: number } {
  try {
    const parsed = GeneratorExit.safeParse(JSON.parse(new TextDecoder().decode(data ?? new Uint8Array())));
    if (parsed.success) return { outcome: parsed.data.outcome as LlmOutcome, attempt: parsed.data.attempt };
  } catch {
    // fall through
  }
  return { outcome: { ok: false, failure: { kind: 'generator', message: 'the generator ended without a readable result' } } };
}

/** Turns the end of a pending generation into stored results and frames. */
export async function settle(chats: ChatService, pending: Pending, outcome: LlmOutcome, attempt = pending.attempt): Promise<Effects> {
  const job = { chat_id: pending.chat_id, parent_id: pending.parent_id, attempt: pending.attempt, spent_ms: pending.spent_ms } as GenerationJob;
  return finishGeneration(chats, job, outcome, attempt);
}
