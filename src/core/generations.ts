/**
 * Generations that run in generator actors: what the chat remembers while one runs (a few bytes
 * per generation, never the request), the messages on a generator's channel, and how the end of a
 * generation becomes a stored reply or a recorded failure.
 */
import { z } from 'zod';
import { MessageIdField } from './protocol/fields.js';
import { finishGeneration, type GenerationJob } from './generation.js';
import type { ChatService } from './chats/service.js';
import type { Change } from './ops/change.js';
import type { ServerFrame } from './protocol/frames.js';
import type { LlmOutcome } from './claude/llm.js';

export const Pending = z.object({
  chat_id: z.string(),
  parent_id: z.string(),
  attempt: z.number().int().positive(),
  spent_ms: z.number().int().nonnegative(),
  /** The model asked for by the command, when it named one (else the chat's). */
  model: z.string().optional(),
  /** The generator working on it; absent while it waits for a free one. */
  generator: z.string().optional(),
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

/** A job, from the chat to a generator. No key: the generator reads its own. */
export const JobMessage = z.object({
  v: z.literal(1),
  job_id: z.string(),
  job: JobSchema,
  anthropic_base_url: z.string().optional(),
});
export type JobMessage = z.infer<typeof JobMessage>;

/** A job's outcome, from a generator back to the chat. */
export const ResultMessage = z.object({ v: z.literal(1), job_id: z.string(), outcome: Outcome, attempt: z.number().int().positive() });
export type ResultMessage = z.infer<typeof ResultMessage>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeMessage(message: JobMessage | ResultMessage): Uint8Array {
  return encoder.encode(JSON.stringify(message));
}

export function parseMessage<T>(schema: z.ZodType<T>, bytes: Uint8Array): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(decoder.decode(bytes)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Turns the end of a pending generation into stored results and frames. */
export async function settle(chats: ChatService, pending: Pending, outcome: LlmOutcome, attempt = pending.attempt): Promise<Change<ServerFrame>> {
  const job = { chat_id: pending.chat_id, parent_id: pending.parent_id, attempt: pending.attempt, spent_ms: pending.spent_ms } as GenerationJob;
  return finishGeneration(chats, job, outcome, attempt);
}
