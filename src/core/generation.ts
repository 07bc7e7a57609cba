/**
 * Generating a reply: say that it started, ask Claude, then store the reply or the failure on the
 * branch. Split in two so the asking can run elsewhere (a child actor) without changing the protocol.
 */
import { AppError } from './errors.js';
import { chatView, type ChatService, type MessageView } from './chats/service.js';
import type { MessageId } from './dag/node.js';
import { chatListed, type Broadcast, type Change } from './ops/change.js';
import { buildRequest, turnsSent, type ClaudeRequest } from './claude/request.js';
import type { Llm, LlmFailure, LlmOutcome } from './claude/llm.js';
import { planRetry, isRetryable, type RetryPlan } from './claude/retry.js';
import { DEFAULT_MODEL } from './claude/models.js';
import type { ServerFrame } from './protocol/frames.js';
import type { BlobStore } from './blobs/store.js';
import { toBase64 } from './blobs/base64.js';
import { apiLimitsFor, checkRequestAttachments } from './claude/attachments.js';
import { capabilitiesOf, type Capabilities } from './claude/capabilities.js';
import type { BlobId } from './ids.js';

export interface GenerationJob {
  chat_id: string;
  /** The user message being answered: the reply (or the failure) becomes its child. */
  parent_id: MessageId;
  request: ClaudeRequest;
  attempt: number;
  /** Milliseconds already waited between earlier attempts (the client's count). */
  spent_ms: number;
}

export interface GenerationOptions {
  chat_id: string;
  parent_id?: MessageId;
  model?: string;
  attempt?: number;
  spent_ms?: number;
  maxTokens: number;
  /** What the model can do, as this instance knows it (default: the dated table). */
  capabilities?: (model: string) => Readonly<Capabilities>;
}

/** Where a reply goes when none is named: the leaf, or past trailing error records to the message they failed on. */
async function answerPoint(chats: ChatService, leaf: MessageId | null): Promise<MessageId> {
  for (let id = leaf; id !== null; ) {
    const node = await chats.node(id);
    if (node.role !== 'error') return id;
    id = node.parent;
  }
  throw new AppError('bad_request', 'the chat has no message to answer yet');
}

export async function prepareGeneration(chats: ChatService, blobs: BlobStore, opts: GenerationOptions): Promise<GenerationJob> {
  const chat = chats.get(opts.chat_id);
  const parent = opts.parent_id ?? (await answerPoint(chats, chat.leaf));
  const node = await chats.held(chat.id, parent);
  if (node.role === 'error') return prepareGeneration(chats, blobs, { ...opts, parent_id: (await answerPoint(chats, parent)) });
  if (node.role !== 'user') throw new AppError('bad_request', 'a reply answers a user message: regenerate by naming the user message before the reply');
  // Only what the request carries counts against its file limits, and only its files are loaded.
  const path = turnsSent(await chats.pathTo(parent));
  const model = opts.model ?? chat.model ?? DEFAULT_MODEL;
  // What the API would refuse for the whole request (too many images, pages or bytes) is said now.
  const capabilities = (opts.capabilities ?? capabilitiesOf)(model);
  checkRequestAttachments(path.flatMap((turn) => turn.attachments ?? []), apiLimitsFor(capabilities.context_window));
  const files = new Map<BlobId, string>();
  for (const turn of path) for (const a of turn.attachments ?? []) if (!files.has(a.cid)) files.set(a.cid, toBase64(await blobs.get(a.cid)));
  const request = buildRequest(path, {
    model,
    max_tokens: opts.maxTokens,
    system: chat.system,
    features: { thinking: chat.thinking, web_search: chat.web_search },
    capabilities,
    files,
  });
  return { chat_id: chat.id, parent_id: parent, request, attempt: opts.attempt ?? 1, spent_ms: opts.spent_ms ?? 0 };
}

export function startedFrame(job: GenerationJob): ServerFrame {
  return { type: 'generation_started', chat_id: job.chat_id, parent_id: job.parent_id, model: job.request.model, attempt: job.attempt };
}

/** Calls Claude; a failure that may be retried at once (no wait) is retried here, within the bounds. */
export async function runGeneration(llm: Llm, job: GenerationJob): Promise<{ outcome: LlmOutcome; attempt: number }> {
  let attempt = job.attempt;
  for (;;) {
    const outcome = await llm.send(job.request);
    if (outcome.ok) return { outcome, attempt };
    const plan = planRetry(outcome.failure, attempt, job.spent_ms);
    if (!plan || plan.after_ms > 0) return { outcome, attempt };
    attempt = plan.attempt;
  }
}

function errorCode(f: LlmFailure): string {
  if (f.kind === 'no_key') return 'no_api_key';
  if (f.kind === 'timeout' || f.kind === 'cancelled') return f.kind;
  if (f.kind === 'generator') return 'generator_failed';
  if (f.kind === 'connection') return 'connection_error';
  if (f.kind === 'malformed') return 'malformed_response';
  return f.type ?? `http_${f.status}`;
}

/**
 * The end of a reply that could not be kept (its chat was deleted while it was written): it still
 * ends for everyone, since every connection was told it started.
 */
export function unrecordedEnd(job: Pick<GenerationJob, 'chat_id' | 'parent_id'>, attempt: number, e: unknown): Change<ServerFrame> {
  const message = e instanceof Error ? e.message : String(e);
  const code = e instanceof AppError ? e.code : 'internal';
  const frame: ServerFrame = { type: 'generation_failed', chat_id: job.chat_id, parent_id: job.parent_id, attempt, error: { code, message: `the reply could not be kept: ${message}`, retryable: false } };
  return { result: frame, events: [{ to: 'all', frame }] };
}

/** A message added beside the branch its viewers are reading says so: their view stays where it is. */
const offView = (added: { selected: boolean }) => (added.selected ? {} : { selected: false as const });

/** What finishing needs of a job: `leaf` is the chat's leaf when the reply was asked for (older records have none). */
export type FinishingJob = Pick<GenerationJob, 'chat_id' | 'parent_id' | 'spent_ms'> & { leaf?: MessageId | null };

/**
 * Stores the reply, or records the failure on the branch. The message goes to everyone viewing the
 * chat; that the reply ended goes to every connection, whose list marks the chats being answered.
 */
export async function finishGeneration(chats: ChatService, job: FinishingJob, outcome: LlmOutcome, attempt: number): Promise<Change<ServerFrame>> {
  const viewers = (frame: ServerFrame): Broadcast => ({ to: { chat: job.chat_id }, frame });
  const everyone = (frame: ServerFrame): Broadcast => ({ to: 'all', frame });
  if (outcome.ok) {
    const r = outcome.reply;
    const meta = {
      model: r.model,
      stop_reason: r.stop_reason,
      usage: r.usage,
      ...(r.request_id ? { request_id: r.request_id } : {}),
      ...(r.date ? { response_date: r.date } : {}),
    };
    const added = await chats.append(job.chat_id, { role: 'assistant', content: r.content, meta, ...(r.blocks?.length ? { blocks: r.blocks } : {}) }, job.parent_id, job.leaf ?? undefined);
    const message: MessageView = added.message;
    const chat = chatView(added.chat);
    const frames: Broadcast[] = [
      viewers({ type: 'message_added', chat, message, branched: added.branched, ...offView(added) }),
      everyone({ type: 'generation_finished', chat_id: job.chat_id, parent_id: job.parent_id, message_id: message.id }),
    ];
    if (added.reordered) frames.push(chatListed(chat, 'top'));
    return { result: frames[1]!.frame, events: frames };
  }
  const f = outcome.failure;
  const code = errorCode(f);
  const retry: RetryPlan | undefined = planRetry(f, attempt, job.spent_ms);
  // The failure stays on the branch as an error record (never sent to the model); the same
  // failure at the same point is the same node, so automatic retries do not pile records up.
  const added = await chats.append(job.chat_id, { role: 'error', content: f.message, meta: { error_code: code } }, job.parent_id, job.leaf ?? undefined);
  const error = {
    code,
    message: f.message,
    ...(f.status !== undefined ? { status: f.status } : {}),
    ...(f.request_id ? { request_id: f.request_id } : {}),
    retryable: isRetryable(f),
  };
  const frames: Broadcast[] = [
    viewers({ type: 'message_added', chat: chatView(added.chat), message: added.message, branched: added.branched, ...offView(added) }),
    everyone({ type: 'generation_failed', chat_id: job.chat_id, parent_id: job.parent_id, attempt, error, ...(retry ? { retry } : {}) }),
  ];
  return { result: frames[1]!.frame, events: frames };
}

