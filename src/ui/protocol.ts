/** The protocol's types, shared with the actor: the UI keeps no second definition. */
export type { ServerFrame } from '../core/protocol/frames.js';
export type { ChatView, MessageView, TreeNode } from '../core/chats/service.js';
export type { ModelInfo } from '../core/claude/models.js';
export type { SearchHit } from '../core/search/index.js';
import type { ClientCommandInput } from '../core/protocol/commands.js';

/** A command as sent, without request_id (the connection adds it); distributive over the union. */
export type Command = ClientCommandInput extends infer C ? (C extends unknown ? Omit<C, 'request_id'> : never) : never;
import { Reply, type ServerFrame } from '../core/protocol/frames.js';

export type Frame = ServerFrame & { request_id?: string };

/** Every frame from the actor is checked against the protocol's schema; one that fails is dropped and reported. */
export function parseFrame(text: string): Frame | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    console.warn('theater-chat: a frame that is not JSON was dropped');
    return undefined;
  }
  const parsed = Reply.safeParse(json);
  if (parsed.success) return parsed.data;
  console.warn(`theater-chat: a frame that does not follow the protocol was dropped: ${parsed.error.issues[0]?.message ?? ''}`);
  return undefined;
}
export type FrameOf<T extends Frame['type']> = Extract<Frame, { type: T }>;
