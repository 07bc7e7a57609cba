/** Faults a request can ask for in its last user text (`[[fault:529]]`, `[[hold]]`, …), and the API's error types. */
import type { Fault } from './types.js';

export const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  409: 'conflict_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

export function markersIn(text: string): Fault | undefined {
  const fault = /\[\[fault:(\d{3})(?::retry-after=(\d+))?\]\]/.exec(text);
  if (fault) return { status: Number(fault[1]), retry_after: fault[2] === undefined ? undefined : Number(fault[2]) };
  const delay = /\[\[delay:(\d+)\]\]/.exec(text);
  if (delay) return { delay_ms: Number(delay[1]) };
  if (text.includes('[[truncate]]')) return { truncate: true };
  if (text.includes('[[malformed]]')) return { malformed: true };
  if (text.includes('[[drop]]')) return { drop: true };
  if (text.includes('[[hold]]')) return { hold: true };
  return undefined;
}
