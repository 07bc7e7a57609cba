/** The app's state as signals, and the actions that change it through the socket. */
import { batch, computed, effect, signal } from '@preact/signals';
import { Connection } from './connection.js';
import type { ChatView, Frame, FrameOf, MessageView, ModelInfo, SearchHit, TreeNode } from './protocol.js';

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

export const chats = signal<ChatView[]>([]);
export const currentId = signal<string | null>(null);
export const messages = signal<MessageView[]>([]);
/** chat id → the reply being written there */
export const generating = signal<Record<string, Generation>>({});
/** parent message id → the failure of the last generation there */
export const failures = signal<Record<string, Failure>>({});
export const apiKeyConfigured = signal(true);
export const models = signal<ModelInfo[]>([]);
export const editing = signal<string | null>(null);
export const tree = signal<TreeNode[] | null>(null);
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
export const loaded = signal(false);
export const searchResults = signal<SearchHit[] | null>(null);
/** The message to bring into view once its branch is shown (a search result). */
export const reveal = signal<string | null>(null);

export const currentChat = computed(() => chats.value.find((c) => c.id === currentId.value) ?? null);

const retryTimers = new Map<string, ReturnType<typeof setTimeout>>();
/** Milliseconds already waited for retries at each point, so the actor can keep the 30 s bound. */
const retrySpent = new Map<string, number>();
const LAST_CHAT = 'theater-chat:last-chat';

/** The actor has no clock: this page stops a generation that runs past the actor's limit. */
let generationTimeoutMs = 180_000;
const timeoutTimers = new Map<string, ReturnType<typeof setTimeout>>();

function watchTimeout(chatId: string): void {
  clearTimeout(timeoutTimers.get(chatId));
  timeoutTimers.set(
    chatId,
    setTimeout(() => {
      timeoutTimers.delete(chatId);
      if (generating.value[chatId] !== undefined) void cancelGeneration(chatId, 'timeout');
    }, generationTimeoutMs),
  );
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
  if (busy && !nudge) nudge = setInterval(() => void connection.request({ type: 'ping' }).catch(() => undefined), NUDGE_EVERY_MS);
  if (!busy && nudge) {
    clearInterval(nudge);
    nudge = undefined;
  }
});

/** This tab's own cancel (Stop, or the timeout above): the error record and its Retry arrive as an event. */
function cancelGeneration(chatId: string, reason: 'timeout' | 'cancelled'): Promise<Frame> {
  return connection.request({ type: 'cancel_generation', chat_id: chatId, reason });
}

export const connection = new Connection(onEvent, (welcome) => {
  generationTimeoutMs = welcome.generation_timeout_ms;
  batch(() => {
    chats.value = welcome.chats;
    apiKeyConfigured.value = welcome.api_key_configured;
    // After a reconnect: generations still running (their start time is not known here: from now).
    generating.value = Object.fromEntries(welcome.generating.map((g) => [g.chat_id, { since: generating.value[g.chat_id]?.since ?? Date.now(), parent_id: g.parent_id }]));
  });
  for (const g of welcome.generating) watchTimeout(g.chat_id);
  // Resync after (re)connecting: the chat we were on, as it is now.
  const wanted = currentId.value ?? chatFromHash() ?? localStorage.getItem(LAST_CHAT);
  const target = welcome.chats.find((c) => c.id === wanted)?.id ?? welcome.chats[0]?.id ?? null;
  if (target) void openChat(target);
  loaded.value = true;
  // "Not connected" was true until now.
  if (notice.value?.offline) notice.value = null;
  void loadModels();
});

function chatFromHash(): string | null {
  return /^#chat=([0-9a-f-]{36})$/.exec(location.hash)?.[1] ?? null;
}

export function say(text: string): void {
  // Re-setting the same text would not be announced again.
  announcement.value = '';
  queueMicrotask(() => (announcement.value = text));
}

function upsertChat(chat: ChatView): void {
  chats.value = chats.value.some((c) => c.id === chat.id) ? chats.value.map((c) => (c.id === chat.id ? chat : c)) : [chat, ...chats.value];
}

function showBranch(chat: ChatView, list: MessageView[]): void {
  batch(() => {
    upsertChat(chat);
    if (currentId.value === chat.id) messages.value = list;
  });
  if (tree.value && currentId.value === chat.id) void loadTree();
}

function onEvent(frame: Frame): void {
  switch (frame.type) {
    case 'chats_update':
      chats.value = frame.chats;
      break;
    case 'chat_created':
    case 'chat_updated':
      upsertChat(frame.chat);
      break;
    case 'chat_deleted':
      chats.value = chats.value.filter((c) => c.id !== frame.chat_id);
      if (currentId.value === frame.chat_id) {
        const next = chats.value[0]?.id ?? null;
        if (next) void openChat(next);
        else batch(() => ((currentId.value = null), (messages.value = [])));
      }
      break;
    case 'branch':
      showBranch(frame.chat, frame.messages);
      break;
    case 'message_added': {
      upsertChat(frame.chat);
      if (frame.chat.id !== currentId.value) break;
      const list = messages.value;
      if (list.some((m) => m.id === frame.message.id)) {
        messages.value = list.map((m) => (m.id === frame.message.id ? frame.message : m));
      } else if (frame.message.parent_id === null) {
        messages.value = [frame.message];
      } else {
        const at = list.findIndex((m) => m.id === frame.message.parent_id);
        if (at >= 0) messages.value = [...list.slice(0, at + 1), frame.message];
        else void openChat(frame.chat.id);
      }
      if (tree.value) void loadTree();
      break;
    }
    case 'generation_started':
      // The page may have shown this reply as coming already (its own request): keep that start.
      generating.value = { ...generating.value, [frame.chat_id]: { since: generating.value[frame.chat_id]?.since ?? Date.now(), parent_id: frame.parent_id } };
      watchTimeout(frame.chat_id);
      if (frame.chat_id === currentId.value) say('Generating a reply');
      break;
    case 'generation_finished': {
      settled(frame.chat_id);
      const { [frame.parent_id]: _cleared, ...others } = failures.value;
      failures.value = others;
      retrySpent.delete(frame.parent_id);
      if (frame.chat_id === currentId.value) say('Reply complete');
      break;
    }
    case 'generation_failed': {
      settled(frame.chat_id);
      const failure: Failure = { error: frame.error, attempt: frame.attempt };
      if (frame.retry) {
        failure.retryAt = Date.now() + frame.retry.after_ms;
        const spent = (retrySpent.get(frame.parent_id) ?? 0) + frame.retry.after_ms;
        retrySpent.set(frame.parent_id, spent);
        scheduleRetry(frame.chat_id, frame.parent_id, frame.retry, spent);
      }
      failures.value = { ...failures.value, [frame.parent_id]: failure };
      if (frame.chat_id === currentId.value) say(frame.error.code === 'cancelled' ? 'Stopped' : `${failureHeadline(frame.error.code, frame.error.status)}${frame.retry ? ' Retrying.' : ''}`);
      break;
    }
    default:
      break;
  }
}

function settled(chatId: string): void {
  const { [chatId]: _done, ...rest } = generating.value;
  generating.value = rest;
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

/** The actor has no timer: this tab waits and asks again, within the bounds the actor set. */
function scheduleRetry(chatId: string, parentId: string, retry: { attempt: number; after_ms: number }, spent: number): void {
  clearTimeout(retryTimers.get(parentId));
  retryTimers.set(
    parentId,
    setTimeout(() => {
      retryTimers.delete(parentId);
      void connection.request({ type: 'retry', chat_id: chatId, message_id: parentId, attempt: retry.attempt, spent_ms: spent });
    }, retry.after_ms),
  );
}

export function cancelAutoRetry(parentId: string): void {
  clearTimeout(retryTimers.get(parentId));
  retryTimers.delete(parentId);
  const f = failures.value[parentId];
  if (f) failures.value = { ...failures.value, [parentId]: { ...f, retryAt: undefined } };
}

/** The connection's own failures (Connection.request): nothing reached the server. */
const isOffline = (reply: FrameOf<'error'>) => reply.code === 'internal' && /^(not connected|connection lost)$/.test(reply.message);

function problem(reply: FrameOf<'error'>): Notice {
  if (isOffline(reply)) return { text: 'Not connected: that did not reach the server. Try again once the page has reconnected.', offline: true };
  return { text: reply.message };
}

async function run(command: Parameters<Connection['request']>[0]): Promise<Frame> {
  const reply = await connection.request(command);
  if (reply.type === 'error') notice.value = problem(reply);
  return reply;
}

export async function openChat(id: string): Promise<void> {
  currentId.value = id;
  editing.value = null;
  history.replaceState(null, '', `#chat=${id}`);
  localStorage.setItem(LAST_CHAT, id);
  const reply = await run({ type: 'switch_chat', chat_id: id });
  if (reply.type === 'branch') showBranch(reply.chat, reply.messages);
}

export async function createChat(): Promise<void> {
  // An empty chat already waiting is the new chat: clicking again does not pile up empty ones.
  const empty = chats.value.find((c) => c.leaf === null && c.name === 'New chat');
  if (empty) return openChat(empty.id);
  const reply = await run({ type: 'create_chat', name: 'New chat', created_at: new Date().toISOString() });
  if (reply.type === 'chat_created') await openChat(reply.chat.id);
}

export const renameChat = (id: string, name: string) => run({ type: 'rename_chat', chat_id: id, name });
export const deleteChat = (id: string) => run({ type: 'delete_chat', chat_id: id });
export const updateChat = (id: string, changes: { model?: string | null; system?: string | null }) => run({ type: 'update_chat', chat_id: id, ...changes });

/**
 * The reply shows as coming from the moment it is asked for, where it will appear; a refusal
 * (another reply running there) takes that back.
 */
async function expectReply(chatId: string, parentId: string, command: Parameters<Connection['request']>[0]): Promise<void> {
  generating.value = { ...generating.value, [chatId]: { since: Date.now(), parent_id: parentId } };
  const reply = await run(command);
  if (reply.type === 'error' && generating.value[chatId]?.parent_id === parentId) settled(chatId);
}

function generate(chatId: string, parentId: string): Promise<void> {
  return expectReply(chatId, parentId, { type: 'generate_llm_response', chat_id: chatId, parent_id: parentId });
}

/** A reply is being written in this chat: one at a time, so its place and its Stop stay clear. */
export const busy = (chatId: string | null): boolean => chatId !== null && generating.value[chatId] !== undefined;

export async function send(content: string): Promise<boolean> {
  let chatId = currentId.value;
  if (busy(chatId)) return false;
  if (!chatId) {
    const created = await run({ type: 'create_chat', name: content.slice(0, 60).trim() || 'New chat' });
    if (created.type !== 'chat_created') return false;
    await openChat(created.chat.id);
    chatId = created.chat.id;
  }
  const reply = await run({ type: 'send_message', chat_id: chatId, content, created_at: new Date().toISOString() });
  if (reply.type !== 'message_added') return false;
  const chat = chats.value.find((c) => c.id === chatId);
  // A new chat takes its name from its first message.
  if (chat && chat.name === 'New chat' && reply.message.parent_id === null) void renameChat(chatId, content.slice(0, 60).trim() || 'New chat');
  await generate(chatId, reply.message.id);
  return true;
}

export async function saveEdit(message: MessageView, content: string): Promise<void> {
  const chatId = currentId.value;
  if (!chatId) return;
  editing.value = null;
  const reply = await run({ type: 'edit_message', chat_id: chatId, message_id: message.id, content, created_at: new Date().toISOString() });
  if (reply.type === 'message_added') await generate(chatId, reply.message.id);
}

export async function regenerate(message: MessageView): Promise<void> {
  const chatId = currentId.value;
  if (chatId && message.parent_id && !busy(chatId)) await generate(chatId, message.parent_id);
}

export async function retry(parentId: string): Promise<void> {
  cancelAutoRetry(parentId);
  const chatId = currentId.value;
  if (chatId && !busy(chatId)) await expectReply(chatId, parentId, { type: 'retry', chat_id: chatId, message_id: parentId });
}

export async function moveSibling(message: MessageView, delta: number): Promise<void> {
  const chatId = currentId.value;
  if (!chatId) return;
  const s = await run({ type: 'get_siblings', chat_id: chatId, message_id: message.id });
  if (s.type !== 'siblings') return;
  // No wrapping round: at the last version, › stays there.
  const target = s.siblings[s.index + delta];
  if (target && target !== message.id) await selectMessage(target);
}

export async function selectMessage(id: string): Promise<void> {
  if (!currentId.value) return;
  const reply = await run({ type: 'select_sibling', chat_id: currentId.value, message_id: id });
  if (reply.type === 'branch') showBranch(reply.chat, reply.messages);
}

export async function fork(message: MessageView): Promise<void> {
  const name = `${currentChat.value?.name ?? 'Chat'} (fork)`.slice(0, 200);
  const reply = await run({ type: 'fork_chat', message_id: message.id, name });
  if (reply.type === 'chat_created') await openChat(reply.chat.id);
}

export async function stopGeneration(chatId: string): Promise<void> {
  const reply = await cancelGeneration(chatId, 'cancelled');
  if (reply.type === 'error') notice.value = problem(reply);
}

let searchTimer: ReturnType<typeof setTimeout> | undefined;
/** The query the results are wanted for: a slower answer to an earlier one is dropped. */
let wantedQuery = '';

/** Searches every message of every chat as the user types (after a short pause); '' clears. */
export function searchMessages(query: string): void {
  clearTimeout(searchTimer);
  wantedQuery = query.trim();
  if (wantedQuery.length < 2) {
    searchResults.value = null;
    return;
  }
  const wanted = wantedQuery;
  searchTimer = setTimeout(async () => {
    const reply = await connection.request({ type: 'search', query: wanted });
    if (reply.type === 'search_results' && wanted === wantedQuery) searchResults.value = reply.results;
  }, 200);
}

export async function openResult(hit: SearchHit): Promise<void> {
  await openChat(hit.chat_id);
  if (!hit.on_selected_branch) await selectMessage(hit.message_id);
  reveal.value = hit.message_id;
}

/** Why a file was refused, as a person can act on it; the checker's own words go behind Details. */
function importProblem(name: string, reply: FrameOf<'error'>): Notice {
  if (isOffline(reply)) return problem(reply);
  const refused = `“${name}” could not be imported`;
  const takes = 'Import takes a theater-chat export or a ChatGPT conversations.json.';
  if (reply.code === 'invalid_json') return { text: `${refused}: it is not JSON. ${takes}`, detail: reply.message };
  if (reply.code === 'payload_too_large') return { text: `${refused}: it is too large.`, detail: reply.message };
  return { text: `${refused}: it does not read as a theater-chat export or a ChatGPT conversations.json (or it was changed after export).`, detail: reply.message };
}

export async function importFile(file: File): Promise<void> {
  const reply = await connection.request({ type: 'import_chat', content: await file.text() });
  if (reply.type === 'error') {
    info.value = null;
    notice.value = importProblem(file.name, reply);
    return;
  }
  if (reply.type === 'imported' && reply.chats[0]) {
    notice.value = null;
    info.value = `Imported ${reply.chats.length === 1 ? `“${reply.chats[0].name}”` : `${reply.chats.length} chats`}.`;
    await openChat(reply.chats[0].id);
  }
}

export async function loadTree(): Promise<void> {
  if (!currentId.value) return;
  const reply = await connection.request({ type: 'get_tree', chat_id: currentId.value });
  if (reply.type === 'tree') tree.value = reply.nodes;
}

async function loadModels(): Promise<void> {
  const reply = await connection.request({ type: 'list_models' });
  if (reply.type === 'models_list') models.value = reply.models;
}
