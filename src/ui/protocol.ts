/** The protocol's types, shared with the actor: the UI keeps no second definition. */
export type { ServerFrame } from '../core/protocol/frames.js';
export type { ChatView, MessageView, TreeNode } from '../core/chats/service.js';
export type { ModelInfo } from '../core/claude/models.js';
export type { SearchHit } from '../core/search/index.js';
import type { ClientCommandInput } from '../core/protocol/commands.js';

/** A command as sent, without request_id (the connection adds it); distributive over the union. */
export type Command = ClientCommandInput extends infer C ? (C extends unknown ? Omit<C, 'request_id'> : never) : never;
import type { ServerFrame } from '../core/protocol/frames.js';

export type Frame = ServerFrame & { request_id?: string };
export type FrameOf<T extends Frame['type']> = Extract<Frame, { type: T }>;
