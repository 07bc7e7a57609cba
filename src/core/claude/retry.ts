/**
 * When to try a failed Claude call again, as the official SDK decides it: honour x-should-retry,
 * else retry 408, 409, 429, 5xx and lost connections; wait retry-after-ms, else retry-after, else
 * back off 0.5 s · 2^n up to 8 s. Bounded: at most 3 attempts and 30 s in all.
 * The component has no clock and no timer, so a wait longer than zero is carried out by the client
 * (the UI), which sends `retry` when it is due; a zero wait is retried at once inside the call.
 */
import type { LlmFailure } from './llm.js';

export const MAX_ATTEMPTS = 3;
export const RETRY_BUDGET_MS = 30_000;

export type FailureFacts = Pick<LlmFailure, 'kind' | 'status' | 'headers'>;

const RETRY_STATUSES = new Set([408, 409, 429, 500, 502, 503, 504, 529]);

export function isRetryable(f: FailureFacts): boolean {
  if (f.kind === 'connection' || f.kind === 'generator') return true;
  if (f.kind !== 'api' || f.status === undefined) return false;
  const should = f.headers?.['x-should-retry'];
  if (should === 'true') return true;
  if (should === 'false') return false;
  return RETRY_STATUSES.has(f.status);
}

/** How long to wait before attempt `attempt + 1` (attempts count from 1). */
export function retryDelayMs(f: FailureFacts, attempt: number): number {
  const ms = Number(f.headers?.['retry-after-ms']);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const after = f.headers?.['retry-after'];
  if (after !== undefined) {
    const seconds = Number(after);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const at = Date.parse(after);
    const now = Date.parse(f.headers?.date ?? '');
    if (Number.isFinite(at) && Number.isFinite(now)) return Math.max(0, at - now);
  }
  return Math.min(8000, 500 * 2 ** (attempt - 1));
}

export interface RetryPlan {
  /** the attempt that would come next */
  attempt: number;
  after_ms: number;
}

/** The next attempt, or undefined when this failure is final. `spentMs`: time already used by earlier waits. */
export function planRetry(f: FailureFacts, attempt: number, spentMs = 0): RetryPlan | undefined {
  if (!isRetryable(f) || attempt >= MAX_ATTEMPTS) return undefined;
  const after = retryDelayMs(f, attempt);
  if (spentMs + after > RETRY_BUDGET_MS) return undefined;
  return { attempt: attempt + 1, after_ms: after };
}
