/**
 * A key rotation or a logout reaching the WebSockets already past hello. On c50 the actor never sees
 * a socket's cookie, so a socket is trusted from its hello on; the state remembers only a tag of the
 * key it said hello under (never the key), and a call that finds another key closes every such
 * socket before anything else happens: before a command from one runs, and before any event reaches
 * one. A logout closes them too, so that every open page learns its session is gone.
 */
import type { CallResult, Context, Outbound } from '../context.js';
import { isAuthed } from '../context.js';
import { connectionId } from '../ids.js';
import type { CoreState } from '../state.js';
import { accessKeyOf, needsLogin } from './login.js';
import { keyTagOf } from './sessions.js';

export const KEY_CHANGED = 'the access key changed: log in again';
export const LOGGED_OUT = 'logged out (here or in another browser tab): log in again';

/** Every connection past hello is told why it is no longer trusted, then closed. */
export function closeTrusted(state: CoreState, why: string): CallResult {
  const connections = { ...state.connections };
  const outbound: Outbound[] = [];
  for (const [id, c] of Object.entries(state.connections)) {
    if (!isAuthed(c)) continue;
    connections[id] = false;
    outbound.push({ connection: connectionId(id), frame: { type: 'error', code: 'unauthorized', message: why }, close: true });
  }
  return { state: { ...state, connections }, outbound };
}

/** The tag of the key configured now; undefined on loopback (no key) or when none is configured. */
export async function currentKeyTag(ctx: Context): Promise<string | undefined> {
  if (!needsLogin(ctx.settings)) return undefined;
  const key = accessKeyOf(ctx);
  return key ? keyTagOf(key) : undefined;
}

/**
 * Closes every connection past hello when the key it said hello under is not the key now. The key
 * is read only when there is a connection to protect, so a call with no socket open costs nothing.
 */
export async function closeStaleSockets(ctx: Context, state: CoreState): Promise<CallResult> {
  // Every call comes through here: the cheap checks first (on loopback there is never a tag).
  if (state.key_tag === undefined || !needsLogin(ctx.settings) || !Object.values(state.connections).some(isAuthed)) return { state, outbound: [] };
  if ((await currentKeyTag(ctx)) === state.key_tag) return { state, outbound: [] };
  const { key_tag: _old, ...rest } = state;
  return closeTrusted(rest, KEY_CHANGED);
}

/** After a hello under the key `tag`: sockets let in under another key were closed already (above). */
export const saidHelloUnder = (state: CoreState, tag: string | undefined): CoreState =>
  tag === undefined || state.key_tag === tag ? state : { ...state, key_tag: tag };
