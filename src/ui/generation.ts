/** Replies being written: where and since when, their failures and retries, their timeout, Stop. */
import { effect, signal } from '@preact/signals';
import type { Command, Frame, FrameOf, MessageView } from './protocol.js';
import { currentId } from './chats.js';
import { failureHeadline, notice, problem, say } from './notices.js';
import { connection, run } from './socket.js';

/** A reply being written: where it will appear (the message it answers) and since when (page clock). */
export interface Generation {
  since: number;
  parent_id: string | null;
}

export interface Failure {
  error: FrameOf<'generation_failed'>['error'];
  /** Automatic retry scheduled for this time (ms, page clock). */
  retryAt?: number;
  attempt: number;
}

/** chat id → the reply being written there */
export const generating = signal<Record<string, Generation>>({});
/** parent message id → the failure of the last generation there */
export const failures = signal<Record<string, Failure>>({});

/** One timer per key: starting one replaces the key's earlier timer, which then never fires. */
class KeyedTimers {
  private timers = new Map<string, ReturnType<typeof setTimeout>>();

  start(key: string, ms: number, fire: () => void): void {
    this.stop(key);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        fire();
      }, ms),
    );
  }

  stop(key: string): void {
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
  }
}

/** parent message id → its automatic retry */
const retryTimers = new KeyedTimers();
/** parent message id → the chat of its automatic retry */
const retryChats = new Map<string, string>();
/** Milliseconds already waited for retries at each point, so the actor can keep the 30 s bound. */
const retrySpent = new Map<string, number>();

/** The actor has no clock: this page stops a generation that runs past the actor's limit. */
let generationTimeoutMs = 180_000;
/** chat id → the timeout of the reply being written there */
const timeoutTimers = new KeyedTimers();

function watchTimeout(chatId: string): void {
  timeoutTimers.start(chatId, generationTimeoutMs, () => {
    if (generating.value[chatId] !== undefined) void cancelGeneration(chatId, 'timeout');
  });
}

/**
 * The actor moves only when called: a reply waiting for a generator that is still starting (on
 * Theater a generator compiles for seconds) is handed over at the actor's next call. While a reply
 * is under way this page makes sure there is one every few seconds.
 */
const NUDGE_EVERY_MS = 3000;
let nudge: ReturnType<typeof setInterval> | undefined;
effect(() => {
  const busy = Object.keys(generating.value).length > 0;
  // Only while connected: a ping asked for while connecting would wait, and they would pile up.
  const ping = () => connection.status.value === 'connected' && void connection.request({ type: 'ping' });
  if (busy && !nudge) nudge = setInterval(ping, NUDGE_EVERY_MS);
  if (!busy && nudge) {
    clearInterval(nudge);
    nudge = undefined;
  }
});

/** This tab's own cancel (Stop, or the timeout above): the error record and its Retry arrive as an event. */
function cancelGeneration(chatId: string, reason: 'timeout' | 'cancelled'): Promise<Frame> {
  // The reply shown as coming, by the message it answers: not a newer one that started meanwhile.
  const parentId = generating.value[chatId]?.parent_id;
  return connection.request({ type: 'cancel_generation', chat_id: chatId, reason, ...(parentId ? { parent_id: parentId } : {}) });
}

/** After a (re)connect: the generations still running (their start time is not known here: from now). */
export function resumeGenerations(welcome: FrameOf<'welcome'>): void {
  generationTimeoutMs = welcome.generation_timeout_ms;
  generating.value = Object.fromEntries(welcome.generating.map((g) => [g.chat_id, { since: generating.value[g.chat_id]?.since ?? Date.now(), parent_id: g.parent_id }]));
  for (const g of welcome.generating) watchTimeout(g.chat_id);
}

/**
 * What the server says is running in a chat as this page opens it: a reply that ended while the page
 * looked at another chat (whose events it then did not get) no longer shows as coming.
 */
export function generationNow(chatId: string, running: { parent_id: string } | null): void {
  const shown = generating.value[chatId];
  if (running === null) {
    if (shown) forget(chatId);
  } else if (shown?.parent_id !== running.parent_id) {
    generating.value = { ...generating.value, [chatId]: { since: Date.now(), parent_id: running.parent_id } };
    watchTimeout(chatId);
  }
}

export function generationStarted(frame: FrameOf<'generation_started'>): void {
  // The page may have shown this reply as coming already (its own request): keep that start.
  generating.value = { ...generating.value, [frame.chat_id]: { since: generating.value[frame.chat_id]?.since ?? Date.now(), parent_id: frame.parent_id } };
  watchTimeout(frame.chat_id);
  if (frame.chat_id === currentId.value) say('Generating a reply');
}

export function generationFinished(frame: FrameOf<'generation_finished'>): void {
  // Said only when no other reply is still coming there (a late word about an earlier one).
  const other = generating.value[frame.chat_id];
  const quiet = other !== undefined && other.parent_id !== frame.parent_id;
  settled(frame.chat_id, frame.parent_id);
  forgetFailure(frame.parent_id);
  if (frame.chat_id === currentId.value && !quiet) say('Reply complete');
}

export function generationFailed(frame: FrameOf<'generation_failed'>): void {
  settled(frame.chat_id, frame.parent_id);
  // Another chat's failure only ends its mark in the list: the pages showing that chat retry it and
  // say why (every open page retrying would ask Claude once per page). A retry this page planned
  // there earlier is over too: coming back, the error record offers Retry, not a countdown.
  if (frame.chat_id !== currentId.value) return forgetFailure(frame.parent_id);
  const failure: Failure = { error: frame.error, attempt: frame.attempt };
  if (frame.retry) {
    failure.retryAt = Date.now() + frame.retry.after_ms;
    const spent = (retrySpent.get(frame.parent_id) ?? 0) + frame.retry.after_ms;
    retrySpent.set(frame.parent_id, spent);
    scheduleRetry(frame.chat_id, frame.parent_id, frame.retry, spent);
  }
  failures.value = { ...failures.value, [frame.parent_id]: failure };
  say(frame.error.code === 'cancelled' ? 'Stopped' : `${failureHeadline(frame.error.code, frame.error.status)}${frame.retry ? ' Retrying.' : ''}`);
}

/**
 * The reply, or its error record, has arrived: it is no longer coming. The frame that says so comes
 * a message later, and a person who sees the reply may act in between (↑, Enter, Retry).
 */
export function replyArrived(chatId: string, message: MessageView): void {
  if (message.role !== 'user' && message.parent_id !== null) settled(chatId, message.parent_id);
}

/** Only the reply this page is waiting for: a late word about an earlier one leaves a newer one running. */
function settled(chatId: string, parentId: string): void {
  if (generating.value[chatId]?.parent_id === parentId) forget(chatId);
}

function forget(chatId: string): void {
  const { [chatId]: _done, ...rest } = generating.value;
  generating.value = rest;
}

/** The actor has no timer: this tab waits and asks again, within the bounds the actor set. */
function scheduleRetry(chatId: string, parentId: string, retry: { attempt: number; after_ms: number }, spent: number): void {
  retryChats.set(parentId, chatId);
  retryTimers.start(parentId, retry.after_ms, () => {
    retryChats.delete(parentId);
    void connection.request({ type: 'retry', chat_id: chatId, message_id: parentId, attempt: retry.attempt, spent_ms: spent });
  });
}

function forgetFailure(parentId: string): void {
  retryTimers.stop(parentId);
  retrySpent.delete(parentId);
  const { [parentId]: _gone, ...others } = failures.value;
  failures.value = others;
}

/** A deleted chat: nothing more will be said about its reply (the actor drops it without a word). */
export function chatGone(chatId: string): void {
  timeoutTimers.stop(chatId);
  if (generating.value[chatId]) forget(chatId);
}

export function cancelAutoRetry(parentId: string): void {
  retryTimers.stop(parentId);
  retryChats.delete(parentId);
  const f = failures.value[parentId];
  if (f) failures.value = { ...failures.value, [parentId]: { ...f, retryAt: undefined } };
}

/**
 * The reader went on in this chat (sent, edited, regenerated, chose another version): a retry still
 * counting down there would answer the old question later and take the view back to it. Its
 * failure keeps its Retry button.
 */
export function cancelAutoRetriesIn(chatId: string): void {
  for (const [parentId, chat] of [...retryChats]) if (chat === chatId) cancelAutoRetry(parentId);
}

/**
 * The reply shows as coming from the moment it is asked for, where it will appear; a refusal
 * (another reply running there) takes that back.
 */
async function expectReply(chatId: string, parentId: string, command: Command): Promise<void> {
  cancelAutoRetriesIn(chatId);
  const before = generating.value[chatId];
  const mine: Generation = { since: Date.now(), parent_id: parentId };
  generating.value = { ...generating.value, [chatId]: mine };
  const reply = await run(command);
  // Refused: what was shown before comes back, unless news about this chat replaced the guess meanwhile
  // (another tab's reply to the same message started: it is running, whoever asked).
  if (reply.type !== 'error' || generating.value[chatId] !== mine) return;
  if (before) generating.value = { ...generating.value, [chatId]: before };
  else forget(chatId);
}

export function generate(chatId: string, parentId: string): Promise<void> {
  return expectReply(chatId, parentId, { type: 'generate_llm_response', chat_id: chatId, parent_id: parentId });
}

/** A reply is being written in this chat: one at a time, so its place and its Stop stay clear. */
export const busy = (chatId: string | null): boolean => chatId !== null && generating.value[chatId] !== undefined;

export async function regenerate(message: MessageView): Promise<void> {
  const chatId = currentId.value;
  if (chatId && message.parent_id && !busy(chatId)) await generate(chatId, message.parent_id);
}

export async function retry(parentId: string): Promise<void> {
  cancelAutoRetry(parentId);
  const chatId = currentId.value;
  if (chatId && !busy(chatId)) await expectReply(chatId, parentId, { type: 'retry', chat_id: chatId, message_id: parentId });
}

export async function stopGeneration(chatId: string): Promise<void> {
  const reply = await cancelGeneration(chatId, 'cancelled');
  if (reply.type === 'error') notice.value = problem(reply);
}
