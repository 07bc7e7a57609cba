/**
 * Generations that run in generator actors: what the chat remembers while one runs (a few bytes
 * per generation, never the request), the messages on a generator's channel, and how the end of a
 * generation becomes a stored reply or a recorded failure.
 */
import { z } from 'zod';
import { MessageIdField } from './protocol/fields.js';
import { StoredMessageId } from './ids.js';
import { ClaudeRequest } from './claude/request.js';
import { finishGeneration, type GenerationJob } from './generation.js';
import type { ChatService } from './chats/service.js';
import type { Change } from './ops/change.js';
import type { ServerFrame } from './protocol/frames.js';
import { LlmOutcome } from './claude/llm.js';

export const Pending = z.object({
  chat_id: z.string(),
  parent_id: StoredMessageId,
  attempt: z.number().int().positive(),
  spent_ms: z.number().int().nonnegative(),
  /** The model asked for by the command, when it named one (else the chat's). */
  model: z.string().optional(),
  /** The generator working on it; absent while it waits for a free one. */
  generator: z.string().optional(),
  /** The chat's leaf when the reply was asked for: the reply is shown only if the chat is still there. */
  leaf: StoredMessageId.nullable().optional(),
});
export type Pending = z.infer<typeof Pending>;

export const JobSchema = z.object({
  chat_id: z.string(),
  parent_id: MessageIdField,
  request: ClaudeRequest,
  attempt: z.number().int().positive(),
  spent_ms: z.number().int().nonnegative(),
}) satisfies z.ZodType<GenerationJob>;

/** A job, from the chat to a generator. No key: the generator reads its own. */
export const JobMessage = z.object({
  v: z.literal(1),
  job_id: z.string(),
  job: JobSchema,
  anthropic_base_url: z.string().optional(),
});
export type JobMessage = z.infer<typeof JobMessage>;

/** A job's outcome, from a generator back to the chat. */
export const ResultMessage = z.object({ v: z.literal(1), job_id: z.string(), outcome: LlmOutcome, attempt: z.number().int().positive() });
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
  return finishGeneration(chats, pending, outcome, attempt);
}
