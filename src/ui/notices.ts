/** What the page tells the person: announcements for screen readers, problems, news, and failures in plain words. */
import { signal } from '@preact/signals';
import type { FrameOf } from './protocol.js';

export const announcement = signal('');
/** A problem to show: in plain words, with the server's own text behind Details when there is one. */
export interface Notice {
  text: string;
  detail?: string;
  /** Said because the socket was down: taken away once it is back. */
  offline?: boolean;
}
export const notice = signal<Notice | null>(null);
/** News that is not a problem (an import done): said calmly, not as an alert. */
export const info = signal<string | null>(null);

export function say(text: string): void {
  // Re-setting the same text would not be announced again.
  announcement.value = '';
  queueMicrotask(() => (announcement.value = text));
}

/**
 * A failure in plain words, by its class: the API's own text ("overloaded_error …") means little
 * to a person and stays behind a Details toggle.
 */
export function failureHeadline(code: string | undefined, status?: number): string {
  if (code === 'cancelled') return 'Stopped.';
  if (code === 'timeout') return 'The reply took too long and was stopped.';
  if (code === 'overloaded_error' || status === 529) return 'Claude is overloaded right now.';
  if (code === 'rate_limit_error' || status === 429) return 'Too many requests for now: the rate limit was reached.';
  if (code === 'connection_error') return 'Claude could not be reached.';
  if (code === 'no_api_key') return 'No API key is set.';
  if (code === 'authentication_error' || status === 401) return 'The API key was not accepted.';
  if (code === 'billing_error' || status === 402) return 'The account cannot pay for this request.';
  if (code === 'malformed_response') return 'Claude’s answer could not be read.';
  if (code === 'generator_failed') return 'The reply could not be generated here.';
  if (code === 'api_error' || code === 'timeout_error' || (status !== undefined && status >= 500) || /^http_5\d\d$/.test(code ?? '')) return 'Claude’s servers had a problem.';
  return 'Claude refused the request.';
}

/** The connection's own failures (Connection.request): nothing reached the server. */
export const isOffline = (reply: FrameOf<'error'>) => reply.code === 'internal' && /^(not connected|connection lost)$/.test(reply.message);

export function problem(reply: FrameOf<'error'>): Notice {
  if (isOffline(reply)) return { text: 'Not connected: that did not reach the server. Try again once the page has reconnected.', offline: true };
  return { text: reply.message };
}
