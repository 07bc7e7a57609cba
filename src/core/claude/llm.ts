/** The port to Claude: the core says what to ask, an adapter asks it (through whatever fetch it has). */
import { z } from 'zod';
import { Usage } from '../dag/node.js';
import { ReplyBlocks } from '../dag/parts.js';
import type { ClaudeRequest } from './request.js';
import type { ListedModel } from './models.js';

export const LlmReply = z.object({
  id: z.string(),
  model: z.string(),
  content: z.string(),
  /** Every block, when the reply holds more than plain text (thinking, searches, citations). */
  blocks: ReplyBlocks.optional(),
  stop_reason: z.string(),
  usage: Usage,
  request_id: z.string().optional(),
  /** The response's `date` header: the only clock the component has. */
  date: z.string().optional(),
});
export type LlmReply = z.infer<typeof LlmReply>;

export const FailureKind = z.enum(['api', 'connection', 'malformed', 'no_key', 'timeout', 'cancelled', 'generator']);

export const LlmFailure = z.object({
  kind: FailureKind,
  status: z.number().int().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  /** The API's error type (`rate_limit_error`, …) when it said one. */
  type: z.string().optional(),
  /** What to show the user: the API's own message where there is one. */
  message: z.string(),
  request_id: z.string().optional(),
});
export type LlmFailure = z.infer<typeof LlmFailure>;

/** Also what a generator sends back on its channel, so it is parsed there with this same schema. */
export const LlmOutcome = z.union([z.object({ ok: z.literal(true), reply: LlmReply }), z.object({ ok: z.literal(false), failure: LlmFailure })]);
export type LlmOutcome = z.infer<typeof LlmOutcome>;

export interface Llm {
  /** Whether an API key is available right now (read at call time, never stored). */
  hasKey(): boolean;
  send(request: ClaudeRequest): Promise<LlmOutcome>;
  models(): Promise<ListedModel[] | undefined>;
}
