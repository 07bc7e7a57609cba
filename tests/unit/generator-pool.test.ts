/**
 * The generator pool as a pure step: jobs wait for a started generator, answers land on the right
 * branch, a late answer after Stop changes nothing, a timeout retires the generator, and a spare
 * is always starting or idle. The link below behaves as c50's message-server does for the chat:
 * "Actor not found" until the child has started, "Recipient actor not found" once it is gone.
 */
import { BlobStore } from '../../src/core/blobs/store.js';
import { describe, expect, it } from 'vitest';
import { ChatService } from '../../src/core/chats/service.js';
import { memoryPorts } from '../helpers/memory-ports.js';
import { MAX_FAILED_STARTS, MAX_GENERATORS, onGeneratorGone, onResult, pump, release, settled, type GeneratorLink, type Pool, type PoolContext } from '../../src/core/generator-pool.js';
import { JobMessage, encodeMessage, parseMessage } from '../../src/core/generations.js';

class TestLink implements GeneratorLink {
  started = new Set<string>();
  gone = new Set<string>();
  spawned: string[] = [];
  closed: string[] = [];
  sent: { channel: string; job: JobMessage }[] = [];
  spawn(): string {
    const id = `gen-${this.spawned.length + 1}`;
    this.spawned.push(id);
    return id;
  }
  open(id: string): string | undefined {
    if (!this.started.has(id)) throw new Error(`Error opening channel: Actor not found: ${id}`);
    return `ch_${id}`;
  }
  send(channel: string, message: Uint8Array): void {
    if (this.gone.has(channel.slice(3))) throw new Error(`Recipient actor not found: ${channel.slice(3)}`);
    this.sent.push({ channel, job: parseMessage(JobMessage, message)! });
  }
  close(channel: string): void {
    this.closed.push(channel);
  }
}

const reply = (jobId: string, content: string) =>
  encodeMessage({ v: 1, job_id: jobId, attempt: 1, outcome: { ok: true, reply: { id: 'msg_1', model: 'claude-test', content, stop_reason: 'end_turn', usage: { input_tokens: 1, output_tokens: 1 } } } });

async function setup() {
  const ports = memoryPorts();
  const chats = new ChatService(ports);
  const link = new TestLink();
  const ctx: PoolContext = { chats, blobs: new BlobStore(ports), link, maxTokens: 100, log: ports.log };
  const chat = await chats.create({ name: 'c' });
  const asked = await chats.append(chat.id, { role: 'user', content: 'hi', meta: {} });
  const pool: Pool = { generators: {}, generations: { '1': { chat_id: chat.id, parent_id: asked.message.id, attempt: 1, spent_ms: 0 } } };
  return { chats, link, ctx, chat, asked, pool };
}

describe('generator pool', () => {
  it('keeps a job waiting while its generator starts, then hands it over and stores the answer', async () => {
    const { chats, link, ctx, chat, pool } = await setup();
    let step = await pump(ctx, pool);
    expect(link.spawned).toEqual(['gen-1']);
    expect(link.sent).toEqual([]);
    // Still compiling: nothing moves, and no second generator is started beside it.
    step = await pump(ctx, step.pool);
    expect(link.spawned).toEqual(['gen-1']);
    link.started.add('gen-1');
    step = await pump(ctx, step.pool);
    expect(link.sent.map((s) => s.job.job_id)).toEqual(['1']);
    expect(link.sent[0]!.job.job.request.messages.at(-1)!.content[0]!.text).toBe('hi');
    // gen-1 is busy: a spare starts for the next reply.
    expect(link.spawned).toEqual(['gen-1', 'gen-2']);
    step = await onResult(ctx, step.pool, 'ch_gen-1', reply('1', 'hello back'));
    expect(step.pool.generations).toEqual({});
    expect(step.broadcasts.map((b) => b.frame.type)).toContain('generation_finished');
    const leaf = chats.get(chat.id).leaf!;
    expect((await chats.node(leaf)).content).toBe('hello back');
  });

  it('drops a late answer to a stopped job and frees its generator', async () => {
    const { chats, link, ctx, chat, asked, pool } = await setup();
    link.started.add('gen-1');
    let step = await pump(ctx, await pump(ctx, pool).then((s) => s.pool));
    const busy = step.pool;
    const stopped = release(link, busy, '1', false);
    expect(stopped.generations).toEqual({});
    expect(link.closed).toEqual([]);
    step = await onResult(ctx, stopped, 'ch_gen-1', reply('1', 'too late'));
    expect(step.broadcasts).toEqual([]);
    expect(chats.get(chat.id).leaf).toBe(asked.message.id);
    expect(step.pool.generators['gen-1']).toEqual({ channel: 'ch_gen-1' });
  });

  it('retires the generator of a timed-out job and never settles it twice', async () => {
    const { link, ctx, pool } = await setup();
    link.started.add('gen-1');
    const busy = (await pump(ctx, (await pump(ctx, pool)).pool)).pool;
    expect(busy.generations['1']!.generator).toBe('gen-1');
    const after = release(link, busy, '1', true);
    expect(link.closed).toEqual(['ch_gen-1']);
    expect(Object.keys(after.generators)).not.toContain('gen-1');
    const late = await onResult(ctx, after, 'ch_gen-1', reply('1', 'late'));
    expect(late.broadcasts).toEqual([]);
  });

  it('a generator found gone is replaced and the job goes to another one', async () => {
    const { link, ctx, pool } = await setup();
    link.started.add('gen-1');
    let step = await pump(ctx, { ...pool, generations: {} });
    step = await pump(ctx, step.pool);
    expect(step.pool.generators['gen-1']).toEqual({ channel: 'ch_gen-1' });
    link.gone.add('gen-1');
    step = await pump(ctx, { ...step.pool, generations: pool.generations });
    expect(Object.keys(step.pool.generators)).toEqual(['gen-2']);
    expect(step.pool.generations['1']!.generator).toBeUndefined();
    link.started.add('gen-2');
    step = await pump(ctx, step.pool);
    expect(step.pool.generations['1']!.generator).toBe('gen-2');
  });

  it('a generator that ends mid-job records a failure the user can retry', async () => {
    const { link, ctx, pool } = await setup();
    link.started.add('gen-1');
    const busy = (await pump(ctx, (await pump(ctx, pool)).pool)).pool;
    const step = await onGeneratorGone(ctx, busy, { id: 'gen-1' }, 'ended');
    const failed = step.broadcasts.find((b) => b.frame.type === 'generation_failed')!.frame as { error: { code: string; retryable: boolean } };
    expect(failed.error).toMatchObject({ code: 'generator_failed' });
    expect(step.pool.generations).toEqual({});
  });

  it(`never runs more than ${MAX_GENERATORS} generators`, async () => {
    const { link, ctx, pool } = await setup();
    let step = { pool: { ...pool, generations: {} as Pool['generations'] }, broadcasts: [] as unknown[] };
    for (let i = 0; i < 10; i++) {
      step = await pump(ctx, step.pool);
      for (const id of link.spawned) link.started.add(id);
      // Keep every started generator busy so the pool wants another.
      step.pool = { ...step.pool, generators: Object.fromEntries(Object.entries(step.pool.generators).map(([id, s]) => [id, s.channel ? { ...s, job: `x${id}` } : s])) };
    }
    expect(link.spawned.length).toBe(MAX_GENERATORS);
  });

  it(`stops starting generators after ${MAX_FAILED_STARTS} end before they start, and fails the waiting reply with the reason`, async () => {
    const { link, ctx, pool } = await setup();
    let step = await pump(ctx, pool);
    for (let i = 0; i < MAX_FAILED_STARTS; i++) {
      const starting = Object.keys(step.pool.generators)[0]!;
      step = await onGeneratorGone(ctx, step.pool, { id: starting }, 'failed (instantiation)');
      step = await pump(ctx, step.pool);
    }
    expect(link.spawned).toHaveLength(MAX_FAILED_STARTS);
    expect(step.pool.generations).toEqual({});
    const failed = step.broadcasts.find((b) => b.frame.type === 'generation_failed')!.frame as { error: { message: string } };
    expect(failed.error.message).toMatch(/no generator could be started/);
    // Nothing more is started by itself, however often the actor is called.
    step = await pump(ctx, await pump(ctx, step.pool).then((s) => s.pool));
    expect(link.spawned).toHaveLength(MAX_FAILED_STARTS);
  });
  it('is called settled only when a pump would change nothing and ask nothing of the generators', async () => {
    const { link, ctx, pool } = await setup();
    const waiting = pool.generations['1']!;
    type Slot = Pool['generators'][string];
    const slotKinds: Record<string, (id: string) => Slot> = { starting: () => ({}), idle: (id) => ({ channel: `ch_${id}` }), busy: (id) => ({ channel: `ch_${id}`, job: '1' }) };
    const pools: Pool[] = [];
    const slotLists: string[][] = [[]];
    for (let n = 1; n <= MAX_GENERATORS; n++) for (const list of slotLists.filter((l) => l.length === n - 1)) for (const kind of Object.keys(slotKinds)) slotLists.push([...list, kind]);
    for (const kinds of slotLists) {
      const generators = Object.fromEntries(kinds.map((kind, i) => [`gen-${i + 1}`, slotKinds[kind]!(`gen-${i + 1}`)]));
      const running: Pool['generations'] = kinds.includes('busy') ? { '1': { ...waiting, generator: `gen-${kinds.indexOf('busy') + 1}` } } : {};
      for (const generations of [{}, running, { ...running, '2': waiting }]) pools.push({ generators, generations });
    }
    let settledPools = 0;
    for (const candidate of pools) {
      if (!settled(candidate)) continue;
      settledPools++;
      for (const id of Object.keys(candidate.generators)) link.started.add(id);
      const before = { spawned: link.spawned.length, sent: link.sent.length };
      const step = await pump(ctx, candidate);
      expect(step.broadcasts).toEqual([]);
      expect(step.pool).toEqual(candidate);
      expect({ spawned: link.spawned.length, sent: link.sent.length }).toEqual(before);
    }
    expect(settledPools).toBeGreaterThan(5);
    // Each of these needs the pump: a channel to open, a job to hand over, a spare to start.
    expect(settled({ generators: { a: {} }, generations: {} })).toBe(false);
    expect(settled({ generators: { a: { channel: 'ch_a' } }, generations: { '2': waiting } })).toBe(false);
    expect(settled({ generators: { a: { channel: 'ch_a', job: '1' } }, generations: {} })).toBe(false);
    expect(settled({ generators: {}, generations: {} })).toBe(false);
  });
});
