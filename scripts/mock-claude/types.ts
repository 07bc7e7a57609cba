/** What a test sees of the mock: faults it can inject, the request log, and the recorded requests. */
import type { RequestSummary } from './validate.js';

export type { RequestSummary };

export interface Fault {
  status?: number;
  type?: string;
  message?: string;
  /** seconds, sent as `retry-after` */
  retry_after?: number;
  delay_ms?: number;
  /** send half of a valid body, then close */
  truncate?: boolean;
  /** 200 with a body that is not a Message */
  malformed?: boolean;
  /** close the connection without an answer */
  drop?: boolean;
  /** keep the request unanswered until `release()` (or `close()`); then answer it normally */
  hold?: boolean;
}

/** What happened to one /v1/messages request; `text` is its last user message. */
export interface MockEvent {
  event: 'received' | 'answered' | 'closed';
  /** 1, 2, … in the order the requests arrived */
  request: number;
  text: string;
}

/** What the mock answered, for requests it answered with a message. */
export interface ReplySummary {
  /** `type` of each content block, in order */
  blocks: string[];
  thinking: boolean;
  redactedThinking: boolean;
  webSearches: number;
  citations: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** Size of the request body in bytes. */
  bytes?: number;
  /** /v1/messages requests that passed the checks: what they carried. */
  summary?: RequestSummary;
  reply?: ReplySummary;
}

export interface MockClaude {
  url: string;
  requests: RecordedRequest[];
  /** Faults for the next /v1/messages requests, one each, in order. */
  queueFaults(faults: Fault[]): void;
  /** /v1/messages requests as things happened to them: received, then answered or closed unanswered. */
  log: MockEvent[];
  /** Last user messages of the requests received and not yet answered nor closed, oldest first. */
  inFlight(): string[];
  /** Resolves once `condition` holds over the log (checked at every new entry); rejects after timeoutMs, saying `what`. */
  until(condition: (log: MockEvent[]) => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** Lets held requests whose last user message contains `match` (all without it) be answered; returns how many. */
  release(match?: string): number;
  close(): Promise<void>;
}
