/** Asking Claude for a reply, again after a failure, and stopping one. */
import { AppError } from '../errors.js';
import type { MessageId } from '../dag/node.js';
import type { ServerFrame } from '../protocol/frames.js';
import { finishGeneration, prepareGeneration, runGeneration, startedFrame, unrecordedEnd } from '../generation.js';
import { settle, type Pending } from '../generations.js';
import type { Change } from './change.js';
import type { OpDeps } from './deps.js';

export interface GenerateSpec {
  chat_id: string;
  /** The user message to answer (default: the selected leaf): naming an earlier one regenerates. */
  parent_id?: MessageId;
  model?: string;
  attempt?: number;
  spent_ms?: number;
}

/** The generation running in a chat (for that parent, when given): its job id and what it is. */
export function runningIn(generations: OpDeps['generations'], chatId: string, parentId?: string): [string, Pending] | undefined {
  return Object.entries(generations).find(([, p]) => p.chat_id === chatId && (!parentId || p.parent_id === parentId));
}

export async function generate(d: OpDeps, spec: GenerateSpec): Promise<Change<ServerFrame>> {
  const llm = d.llm;
  if (!llm) throw new AppError('internal', 'this host has no Claude client');
  const leaf = d.chats.get(spec.chat_id).leaf;
  const job = await prepareGeneration(d.chats, d.blobs, { ...spec, maxTokens: d.limits.max_tokens, capabilities: (m) => d.models.capabilitiesOf(m) });
  // Two replies to one message at once would race for the same place: the second is refused.
  if (runningIn(d.generations, job.chat_id, job.parent_id)) {
    throw new AppError('conflict', 'a reply to this message is being generated already: wait for it, or stop it first');
  }
  const started = startedFrame(job);
  // Every connection hears of it, not only the chat's viewers: each list marks the chats being answered.
  const change: Change<ServerFrame> = { result: started, events: [{ to: 'all', frame: started, skipSender: true }] };
  if (d.pooled) {
    const pending: Pending = { chat_id: job.chat_id, parent_id: job.parent_id, attempt: job.attempt, spent_ms: job.spent_ms, leaf, ...(spec.model ? { model: spec.model } : {}) };
    return { ...change, pending: { add: pending } };
  }
  return {
    ...change,
    after: async () => {
      const { outcome, attempt } = await runGeneration(llm, job);
      return finishGeneration(d.chats, { ...job, leaf }, outcome, attempt).catch((e: unknown) => unrecordedEnd(job, attempt, e));
    },
  };
}

/** Again from the same point: the message an error record failed on (or that message itself). */
export async function retry(d: OpDeps, spec: Omit<GenerateSpec, 'parent_id' | 'model'> & { message_id: MessageId }): Promise<Change<ServerFrame>> {
  const node = await d.chats.held(spec.chat_id, spec.message_id);
  const parent = node.role === 'error' ? node.parent : spec.message_id;
  if (!parent) throw new AppError('bad_request', 'nothing to retry from here');
  return generate(d, { chat_id: spec.chat_id, parent_id: parent, attempt: spec.attempt, spent_ms: spec.spent_ms });
}

/** Stops a running generation (the user's Stop, or the client's timeout: the actor has no clock). */
export async function cancelGeneration(d: OpDeps, chatId: string, parentId: MessageId | undefined, reason: 'cancelled' | 'timeout' = 'cancelled'): Promise<Change<ServerFrame>> {
  const entry = runningIn(d.generations, chatId, parentId);
  if (!entry) throw new AppError('not_found', 'no reply is being generated in this chat');
  const [jobId, pending] = entry;
  const timeout = reason === 'timeout';
  const message = timeout ? `no reply within ${Math.round(d.generationTimeoutMs / 1000)} s: stopped` : 'stopped';
  const settled = await settle(d.chats, pending, { ok: false, failure: { kind: timeout ? 'timeout' : 'cancelled', message } });
  // The asker has the outcome as its result; the error record it stored reaches the asker too.
  const events = settled.events.map((b) => (b.frame.type === 'generation_failed' ? { ...b, skipSender: true } : b));
  return { ...settled, events, pending: { remove: jobId, timedOut: timeout } };
}
