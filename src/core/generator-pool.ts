/**
 * A few long-lived generator actors, each on its own channel, that make the Claude calls so the
 * chat actor never blocks on one (docs/child-actors.md). Everything here is a pure step over the
 * pool's state plus the runtime's link; the chat's state carries the pool between calls.
 */
import type { ModelDirectory } from './claude/directory.js';
import type { BlobStore } from './blobs/store.js';
import { z } from 'zod';
import type { ChatService } from './chats/service.js';
import type { Broadcast } from './ops/change.js';
import type { Logger } from './ports.js';
import { prepareGeneration, unrecordedEnd } from './generation.js';
import { ResultMessage, encodeMessage, parseMessage, settle, type Pending } from './generations.js';
import type { LlmOutcome } from './claude/llm.js';
import type { MessageId } from './dag/node.js';

export const GeneratorSlot = z.object({
  /** Open once the generator has started and accepted it; until then it is still starting. */
  channel: z.string().optional(),
  /** The job it works on; absent when idle. */
  job: z.string().optional(),
});
export type GeneratorSlot = z.infer<typeof GeneratorSlot>;

/** What the chat needs from the runtime to run generators (on Theater: supervisor and message-server). */
export interface GeneratorLink {
  /** Starts a generator actor; returns its id at once, before it has started. Throws when it cannot. */
  spawn(): string;
  /** The channel to a started generator, or undefined while it is still starting. */
  open(generator: string): string | undefined;
  /** Throws when the generator is gone. */
  send(channel: string, message: Uint8Array): void;
  /** Retires a generator: it ends once its current job is done. */
  close(channel: string): void;
}

export interface Pool {
  generators: Record<string, GeneratorSlot>;
  generations: Record<string, Pending>;
  /** Generators in a row that ended before they ever started (absent: none). */
  failed_starts?: number;
}

/**
 * Generators that end before they start (a missing component, a broken manifest) are not started
 * again and again: after this many in a row, waiting replies fail with the reason, until a user asks
 * for a reply again.
 */
export const MAX_FAILED_STARTS = 3;

/**
 * Enough for a few chats generating at once; each generator holds a whole engine in memory. A
 * generator is started only when none is idle or starting, so one spare is ready for the next reply.
 */
export const MAX_GENERATORS = 3;

export interface PoolContext {
  chats: ChatService;
  blobs: BlobStore;
  /** The model list this instance has read, for what each model can do. */
  models?: ModelDirectory;
  link: GeneratorLink;
  maxTokens: number;
  baseUrl?: string;
  log: Logger;
}

export interface PoolStep {
  pool: Pool;
  broadcasts: Broadcast[];
}

function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  const { [key]: _gone, ...rest } = record;
  return rest;
}

/**
 * Records the end of a pending generation. One that cannot be recorded (its chat was deleted
 * meanwhile) still ends for everyone: every connection was told it started.
 */
async function finish(ctx: PoolContext, pending: Pending, outcome: LlmOutcome, attempt?: number): Promise<Broadcast[]> {
  try {
    return (await settle(ctx.chats, pending, outcome, attempt)).events;
  } catch (e) {
    ctx.log.warn(`a generation for chat ${pending.chat_id} ended but could not be recorded: ${e instanceof Error ? e.message : String(e)}`);
    return unrecordedEnd(pending, attempt ?? pending.attempt, e).events;
  }
}

function tryOpen(link: GeneratorLink, generator: string): string | undefined {
  try {
    return link.open(generator);
  } catch {
    return undefined;
  }
}

/**
 * Nothing for `pump` to do: every generator has its channel, no job waits for one, and one is free
 * (or the pool is full). Every call ends with a pump, and most find the pool like this: checking
 * first spares them building its context inside the component (≈ 0.1 ms a call).
 */
export function settled(pool: Pool): boolean {
  const slots = Object.values(pool.generators);
  if (slots.some((s) => !s.channel)) return false;
  for (const pending of Object.values(pool.generations)) if (!pending.generator) return false;
  return slots.length >= MAX_GENERATORS || slots.some((s) => !s.job);
}

/**
 * Brings the pool forward after any call: channels to generators that have started since, waiting
 * jobs handed to idle generators (oldest first), and a spare generator started when none is.
 * The actor has no clock, so every call is a chance to move; clients ping while a reply waits.
 */
export async function pump(ctx: PoolContext, pool: Pool): Promise<PoolStep> {
  let generators = pool.generators;
  let generations = pool.generations;
  let failedStarts = pool.failed_starts;
  const broadcasts: Broadcast[] = [];
  for (const [id, slot] of Object.entries(generators)) {
    if (slot.channel) continue;
    const channel = tryOpen(ctx.link, id);
    if (channel) {
      generators = { ...generators, [id]: { channel } };
      failedStarts = undefined;
    }
  }
  if ((failedStarts ?? 0) >= MAX_FAILED_STARTS && Object.keys(generators).length === 0) {
    for (const [jobId, pending] of Object.entries(generations)) {
      if (pending.generator) continue;
      generations = without(generations, jobId);
      const message = `no generator could be started (${failedStarts} ended before starting): check generator_manifest and the component it names; the log has more`;
      broadcasts.push(...(await finish(ctx, pending, { ok: false, failure: { kind: 'generator', message } })));
    }
    return { pool: { generators, generations, failed_starts: failedStarts }, broadcasts };
  }
  const waiting = Object.entries(generations)
    .filter(([, p]) => !p.generator)
    .sort(([a], [b]) => Number(a) - Number(b));
  for (const [jobId, pending] of waiting) {
    let job;
    try {
      const models = ctx.models;
      job = await prepareGeneration(ctx.chats, ctx.blobs, {
        ...pending,
        parent_id: pending.parent_id as MessageId,
        maxTokens: ctx.maxTokens,
        ...(models ? { capabilities: (m: string) => models.capabilitiesOf(m) } : {}),
      });
    } catch (e) {
      generations = without(generations, jobId);
      broadcasts.push(...(await finish(ctx, pending, { ok: false, failure: { kind: 'generator', message: `the reply could not be prepared: ${e instanceof Error ? e.message : String(e)}` } })));
      continue;
    }
    const message = encodeMessage({ v: 1, job_id: jobId, job, ...(ctx.baseUrl ? { anthropic_base_url: ctx.baseUrl } : {}) });
    for (;;) {
      const idle = Object.entries(generators).find(([, s]) => s.channel && !s.job);
      if (!idle) break;
      const [id, slot] = idle;
      try {
        ctx.link.send(slot.channel!, message);
      } catch (e) {
        ctx.log.warn(`generator ${id} is gone (${e instanceof Error ? e.message : String(e)}); starting another`);
        generators = without(generators, id);
        continue;
      }
      generators = { ...generators, [id]: { ...slot, job: jobId } };
      generations = { ...generations, [jobId]: { ...pending, generator: id } };
      break;
    }
  }
  const slots = Object.values(generators);
  const spare = slots.some((s) => !s.channel || !s.job);
  if (!spare && slots.length < MAX_GENERATORS) {
    try {
      generators = { ...generators, [ctx.link.spawn()]: {} };
    } catch (e) {
      ctx.log.error(`could not start a generator: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return { pool: { generators, generations, ...(failedStarts ? { failed_starts: failedStarts } : {}) }, broadcasts };
}

/** A generator answered on its channel: record the outcome if it is still wanted; the generator is idle again. */
export async function onResult(ctx: PoolContext, pool: Pool, channel: string, bytes: Uint8Array): Promise<PoolStep> {
  const entry = Object.entries(pool.generators).find(([, s]) => s.channel === channel);
  if (!entry) return { pool, broadcasts: [] };
  const [id, slot] = entry;
  const result = parseMessage(ResultMessage, bytes);
  const jobId = result?.job_id ?? slot.job;
  const generators = { ...pool.generators, [id]: { channel } };
  if (!result) ctx.log.error(`generator ${id} sent something unreadable`);
  const pending = jobId === undefined ? undefined : pool.generations[jobId];
  // A job stopped meanwhile (or handed to another generator) is no longer this generator's to settle.
  if (!pending || pending.generator !== id || jobId !== slot.job) return { pool: { ...pool, generators }, broadcasts: [] };
  const outcome: LlmOutcome = result ? result.outcome : { ok: false, failure: { kind: 'generator', message: 'the generator answered with something unreadable' } };
  const broadcasts = await finish(ctx, pending, outcome, result?.attempt);
  return { pool: { generators, generations: without(pool.generations, jobId!) }, broadcasts };
}

/** A generator ended, failed or closed its channel: its job fails (and can be retried), and it leaves the pool. */
export async function onGeneratorGone(ctx: PoolContext, pool: Pool, match: { id?: string; channel?: string }, why: string): Promise<PoolStep> {
  const entry = Object.entries(pool.generators).find(([id, s]) => id === match.id || (match.channel !== undefined && s.channel === match.channel));
  if (!entry) return { pool, broadcasts: [] };
  const [id, slot] = entry;
  const generators = without(pool.generators, id);
  if (!slot.channel) {
    ctx.log.error(`generator ${id} ${why} before it started`);
    return { pool: { ...pool, generators, failed_starts: (pool.failed_starts ?? 0) + 1 }, broadcasts: [] };
  }
  const pending = slot.job === undefined ? undefined : pool.generations[slot.job];
  if (!pending || pending.generator !== id) return { pool: { ...pool, generators }, broadcasts: [] };
  const broadcasts = await finish(ctx, pending, { ok: false, failure: { kind: 'generator', message: `the generator ${why} before it answered` } });
  return { pool: { ...pool, generators, generations: without(pool.generations, slot.job!) }, broadcasts };
}

/**
 * A stopped generation: on a timeout its generator may be stuck, so it is retired and another
 * starts; on the user's Stop it finishes the call and its late answer is dropped.
 */
export function release(link: GeneratorLink | undefined, pool: Pool, jobId: string, timedOut: boolean): Pool {
  const pending = pool.generations[jobId];
  let generators = pool.generators;
  const id = pending?.generator;
  if (timedOut && id && generators[id]) {
    const channel = generators[id].channel;
    try {
      if (channel) link?.close(channel);
    } catch {
      // Gone already: nothing to retire.
    }
    generators = without(generators, id);
  } else if (timedOut && !id) {
    // Waited for a generator that never started: give up on the starting one and start afresh.
    const starting = Object.entries(generators).find(([, s]) => !s.channel);
    if (starting) generators = without(generators, starting[0]);
  }
  return { ...pool, generators, generations: without(pool.generations, jobId) };
}
