/**
 * What survives between calls, and its wire form. On Theater c50 the state is in every call's
 * chain record twice, written as a list of numbers (≈ 3.7 chain bytes per state byte, theater-c50.md
 * §14), so the wire form drops what it can rebuild: empty records and the wrapper around an idle
 * generator's channel. The core works on the full form only.
 */
import { z } from 'zod';
import { Pending } from './generations.js';
import { GeneratorSlot } from './generator-pool.js';
import { DEFAULT_STORE_ID } from './config.js';

/**
 * A connection: `false` until it has presented the page's session token; then the chat it views,
 * or null.
 */
export const Connection = z.union([z.literal(false), z.string(), z.null()]);
export type Connection = z.infer<typeof Connection>;

export interface CoreState {
  store_id: string;
  connections: Record<string, Connection>;
  /** Generations running in generator actors or waiting for one, by job id: a few bytes each, never the request. */
  generations: Record<string, Pending>;
  /** The generator actors, by actor id. */
  generators: Record<string, GeneratorSlot>;
  /** Generators in a row that ended before they started (absent: none). */
  failed_starts?: number;
  /** Beyond loopback: the tag of the access key the connections past hello said hello under (sessions.ts keyTagOf). */
  key_tag?: string;
}

/**
 * The wire form. Its keys are short on purpose: with one browser viewing a chat and two idle
 * ready generators the state is ~230 bytes, of which ids take most (issue 13's bound is 256).
 * `store` store_id (absent: the default store), `conns` connections, `jobs` generations, `gens`
 * generators (an idle, started one is just its channel id), `fails` failed_starts, `keytag`
 * key_tag. Empty records are left out.
 */
export const CoreStateWire = z.object({
  store: z.string().optional(),
  conns: z.record(z.string(), Connection).optional(),
  jobs: z.record(z.string(), Pending).optional(),
  gens: z.record(z.string(), z.union([z.string(), GeneratorSlot])).optional(),
  fails: z.number().int().positive().optional(),
  keytag: z.string().max(64).optional(),
});
export type CoreStateWire = z.infer<typeof CoreStateWire>;

const some = <T>(record: Record<string, T>): Record<string, T> | undefined => (Object.keys(record).length ? record : undefined);

export function unpackState(wire: CoreStateWire): CoreState {
  const generators = Object.fromEntries(Object.entries(wire.gens ?? {}).map(([id, slot]) => [id, typeof slot === 'string' ? { channel: slot } : slot]));
  return {
    store_id: wire.store ?? DEFAULT_STORE_ID,
    connections: wire.conns ?? {},
    generations: wire.jobs ?? {},
    generators,
    ...(wire.fails ? { failed_starts: wire.fails } : {}),
    ...(wire.keytag ? { key_tag: wire.keytag } : {}),
  };
}

export function packState(state: CoreState): CoreStateWire {
  const gens = Object.entries(state.generators).map(([id, slot]) => [id, slot.channel && !slot.job ? slot.channel : slot] as const);
  const wire: CoreStateWire = state.store_id === DEFAULT_STORE_ID ? {} : { store: state.store_id };
  const conns = some(state.connections);
  const jobs = some(state.generations);
  if (conns) wire.conns = conns;
  if (jobs) wire.jobs = jobs;
  if (gens.length) wire.gens = Object.fromEntries(gens);
  if (state.failed_starts) wire.fails = state.failed_starts;
  if (state.key_tag) wire.keytag = state.key_tag;
  return wire;
}

export function initialState(storeId: string): CoreState {
  return { store_id: storeId, connections: {}, generations: {}, generators: {} };
}
