/**
 * The state Theater keeps for the chat actor: the core's wire form beside the ids only this
 * adapter knows, in one flat JSON object (every byte of it is in c50's chain twice per call).
 */
import { z } from 'zod';
import { CoreStateWire, ROUTES, packState, unpackState, type CoreState } from '../core/app.js';

const ActorStateWire = CoreStateWire.extend({
  /** u64 ids kept as decimal strings: JSON has no bigint. */
  server: z.string(),
  /**
   * Which route a handler id serves: the first id when the ids came out consecutive (always, unless
   * another actor registered handlers at the same moment: c50's counter is server-wide), else a map.
   */
  routes: z.union([z.string(), z.record(z.string(), z.number().int().nonnegative())]),
});

export interface ActorState {
  core: CoreState;
  server: string;
  routes: z.infer<typeof ActorStateWire>['routes'];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The state Theater hands back is almost always the bytes this instance returned last time, so
 * keep their decoded form: parsing with zod inside the component costs more than the call itself.
 */
let lastState: { text: string; state: ActorState } | undefined;

export function encodeState(state: ActorState): Uint8Array {
  const text = JSON.stringify({ ...packState(state.core), server: state.server, routes: state.routes });
  lastState = { text, state };
  return encoder.encode(text);
}

/** undefined when the bytes are missing or are not this build's state. */
export function decodeState(bytes: Uint8Array | undefined): ActorState | undefined {
  if (!bytes) return undefined;
  // Decoding and comparing strings are native in the engine; a byte loop is interpreted and slower.
  const text = decoder.decode(bytes);
  if (lastState?.text === text) return lastState.state;
  try {
    const parsed = ActorStateWire.safeParse(JSON.parse(text));
    if (!parsed.success) return undefined;
    const { server, routes } = parsed.data;
    const state: ActorState = { core: unpackState(parsed.data), server, routes };
    lastState = { text, state };
    return state;
  } catch {
    return undefined;
  }
}

export function withCore(state: ActorState, core: CoreState): ActorState {
  return core === state.core ? state : { ...state, core };
}

export function routeIndex(routes: ActorState['routes'], handler: bigint): number | undefined {
  if (typeof routes !== 'string') return routes[handler.toString()];
  const index = Number(handler - BigInt(routes));
  return index >= 0 && index < ROUTES.length ? index : undefined;
}

export function compactRoutes(ids: Map<bigint, number>): ActorState['routes'] {
  const entries = [...ids];
  const first = entries[0]![0];
  if (entries.every(([handler, index]) => handler === first + BigInt(index))) return first.toString();
  return Object.fromEntries(entries.map(([handler, index]) => [handler.toString(), index]));
}
