/**
 * What an operation returns, whichever transport reached it: its result for the asker, the events
 * others hear, and what it changes about connections and running generations. The transports map
 * `result` to their own reply (a frame, a JSON body); app.ts applies the rest, once for both.
 */
import type { ServerFrame } from '../protocol/frames.js';
import type { Pending } from '../generations.js';
import type { ChatView } from '../chats/views.js';

/** Who else hears about a change: everyone, or those viewing one chat. */
export interface Broadcast {
  to: 'all' | { chat: string };
  frame: ServerFrame;
  /** A WebSocket asker already has the same news as its reply. */
  skipSender?: boolean;
}

export interface Change<R> {
  result: R;
  events: Broadcast[];
  /** The asker now views this chat (a WebSocket connection; an HTTP request views nothing). */
  opens?: string;
  /** Everyone viewing this chat stops viewing it (it was deleted). */
  closes?: string;
  /** Changes to the running generations: one to queue for a generator, or one stopped. */
  pending?: { add?: Pending; remove?: string; timedOut?: boolean };
  /** Work that continues after the result and events have gone out (a Claude call inside this call). */
  after?: () => Promise<Change<ServerFrame>>;
}

export const changed = <R>(result: R, events: Broadcast[] = []): Change<R> => ({ result, events });

/**
 * Everyone's chat list changed at one chat: it is new or moved to the top (`top`), or it changed
 * where it stands (`same`). One chat, never the whole list: with a list in every event, each
 * message cost every connection every chat (issue 16).
 */
export const chatListed = (chat: ChatView, at: 'top' | 'same'): Broadcast => ({ to: 'all', frame: { type: 'chat_listed', chat, at } });

/** The same, for a change whose reply carries the chat: the asker's list takes it from there. */
export const chatListedToOthers = (chat: ChatView, at: 'top' | 'same'): Broadcast => ({ ...chatListed(chat, at), skipSender: true });
