/** The port to Claude: the core says what to ask, an adapter asks it (through whatever fetch it has). */
import type { Usage } from '../dag/node.js';
import type { ClaudeRequest } from './request.js';
import type { FailureFacts } from './retry.js';
import type { ModelInfo } from './models.js';

export interface LlmReply {
  id: string;
  model: string;
  content: string;
  stop_reason: string;
  usage: Usage;
  request_id?: string;
  /** The response's `date` header: the only clock the component has. */
  date?: string;
}

export interface LlmFailure extends FailureFacts {
  /** The API's error type (`rate_limit_error`, …) when it said one. */
  type?: string;
  /** What to show the user: the API's own message where there is one. */
  message: string;
  request_id?: string;
}

export type LlmOutcome = { ok: true; reply: LlmReply } | { ok: false; failure: LlmFailure };

export interface Llm {
  /** Whether an API key is available right now (read at call time, never stored). */
  hasKey(): boolean;
  send(request: ClaudeRequest): Promise<LlmOutcome>;
  models(): Promise<ModelInfo[] | undefined>;
}
