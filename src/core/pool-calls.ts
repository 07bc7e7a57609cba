/**
 * The generator pool inside calls: a reply asked for or stopped changes it, and every call ends by
 * letting it move on (the actor has no clock, so calls are its ticks).
 */
import { onGeneratorGone, onResult, pump, release, settled, type Pool, type PoolStep } from './generator-pool.js';
import { toAppError } from './errors.js';
import type { CoreState } from './state.js';
import type { Change } from './ops/change.js';
import { blobsOf, chatsOf, deliver, type CallResult, type Context } from './context.js';
import type { ChatService } from './chats/service.js';

export function withPending(ctx: Context, state: CoreState, change: Change<unknown>): CoreState {
  const pending = change.pending;
  if (!pending) return state;
  let pool = poolOf(state);
  if (pending.remove) pool = release(ctx.generators, pool, pending.remove, pending.timedOut === true);
  // A user asking for a reply gives generators that failed to start another chance.
  if (pending.add) pool = { generators: pool.generators, generations: { ...pool.generations, [nextJobId(pool)]: pending.add } };
  return withPool(state, pool);
}

function poolOf(state: CoreState): Pool {
  return { generators: state.generators, generations: state.generations, ...(state.failed_starts ? { failed_starts: state.failed_starts } : {}) };
}

function withPool(state: CoreState, pool: Pool): CoreState {
  const { failed_starts: _old, ...rest } = state;
  return { ...rest, generators: pool.generators, generations: pool.generations, ...(pool.failed_starts ? { failed_starts: pool.failed_starts } : {}) };
}

/** Larger than any job still running or still owed an answer, so a late answer never matches a new job. */
function nextJobId(pool: Pool): string {
  const ids = [...Object.keys(pool.generations), ...Object.values(pool.generators).map((s) => s.job ?? '0')].map(Number);
  return String(Math.max(0, ...ids) + 1);
}

function poolContext(ctx: Context, chats: ChatService): Parameters<typeof pump>[0] | undefined {
  if (!ctx.generators) return undefined;
  return { chats, blobs: blobsOf(ctx.ports), models: ctx.models, link: ctx.generators, maxTokens: ctx.settings.limits.max_tokens, baseUrl: ctx.settings.anthropic_base_url, log: ctx.ports.log };
}

/**
 * The end of every call: the generator pool moves on (the actor has no clock, so calls are its
 * ticks), and what that settled goes out with the call's own frames.
 */
export async function advance<R extends CallResult>(ctx: Context, result: R, step?: (pc: NonNullable<ReturnType<typeof poolContext>>, pool: Pool) => Promise<PoolStep>): Promise<R> {
  if (!step && settled(poolOf(result.state))) return result;
  const chats = chatsOf(ctx);
  const pc = poolContext(ctx, chats);
  if (!pc) return result;
  let state = result.state;
  let outbound = result.outbound;
  const apply = (s: PoolStep) => {
    state = withPool(state, s.pool);
    outbound = [...outbound, ...deliver(state, undefined, s.broadcasts)];
  };
  try {
    if (step) apply(await step(pc, poolOf(state)));
    const pool = poolOf(state);
    const moved = await pump(pc, pool);
    const changed = moved.pool.generators !== pool.generators || moved.pool.generations !== pool.generations || moved.pool.failed_starts !== pool.failed_starts;
    if (changed || moved.broadcasts.length > 0) apply(moved);
  } catch (e) {
    ctx.ports.log.error(`generators: ${toAppError(e).message}`);
  }
  return state === result.state && outbound === result.outbound ? result : { ...result, state, outbound };
}

/** A generator's answer on its channel. */
export function onGeneratorMessage(ctx: Context, channel: string, bytes: Uint8Array): Promise<CallResult> {
  return advance(ctx, { state: ctx.state, outbound: [] }, (pc, pool) => onResult(pc, pool, channel, bytes));
}

/** A generator closed its channel, ended, failed or was stopped: its job fails and can be retried. */
export function onGeneratorGoneAway(ctx: Context, match: { id?: string; channel?: string }, why: string): Promise<CallResult> {
  return advance(ctx, { state: ctx.state, outbound: [] }, (pc, pool) => onGeneratorGone(pc, pool, match, why));
}

