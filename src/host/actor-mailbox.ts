/**
 * One actor's message-server mailbox: messages wait until its handlers start, then go to its
 * message-server-client exports one at a time, each after the previous call returned
 * (crates/theater-handler-message-server/src/lib.rs:1017-1034, 390-451).
 */
import { randomUUID } from 'node:crypto';
import type { MailboxMessage } from './message-router.js';

/** Calls one export of the actor, queued behind its other calls. */
export type ExportCall = (target: string, params: unknown[]) => Promise<unknown[]>;

const TARGET = 'messageServerClient';

export class ActorMailbox {
  private queue: MailboxMessage[] = [];
  private draining = false;
  private started = false;

  constructor(
    private readonly call: ExportCall,
    private readonly stopped: () => boolean,
  ) {}

  deliver(message: MailboxMessage): void {
    if (this.stopped()) return dropReply(message);
    this.queue.push(message);
    void this.drain();
  }

  /** Handlers start after the component is loaded and init is queued (crates/theater/src/actor/runtime.rs:409-465). */
  start(): void {
    this.started = true;
    void this.drain();
  }

  /** The actor stopped: whoever waits for an answer gets none. */
  dropAll(): void {
    for (const message of this.queue.splice(0)) dropReply(message);
  }

  private async drain(): Promise<void> {
    if (this.draining || !this.started) return;
    this.draining = true;
    try {
      for (let message = this.queue.shift(); message && !this.stopped(); message = this.queue.shift()) await this.handle(message);
    } finally {
      this.draining = false;
      if (this.stopped()) this.dropAll();
    }
  }

  private async handle(message: MailboxMessage): Promise<void> {
    try {
      switch (message.kind) {
        case 'send':
          return void (await this.call(`${TARGET}.handleSend`, [message.data]));
        case 'request': {
          const [[answer]] = (await this.call(`${TARGET}.handleRequest`, [randomUUID(), message.data])) as [[Uint8Array | undefined]];
          return message.reply(answer);
        }
        case 'channel-open': {
          const [[accept]] = (await this.call(`${TARGET}.handleChannelOpen`, [message.channelId, message.initial])) as [[{ accepted: boolean }]];
          return message.reply(accept.accepted);
        }
        case 'channel-message':
          return void (await this.call(`${TARGET}.handleChannelMessage`, [message.channelId, message.data]));
        case 'channel-close':
          return void (await this.call(`${TARGET}.handleChannelClose`, [message.channelId]));
      }
    } catch {
      dropReply(message);
    }
  }
}

/** A message whose sender waits for an answer gets none: c50 drops the oneshot sender. */
export function dropReply(message: MailboxMessage): void {
  if (message.kind === 'request' || message.kind === 'channel-open') message.reply(undefined);
}
