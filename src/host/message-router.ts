/**
 * Theater c50's message-server on Node: one router per server process, keyed by actor id, that
 * handles its commands one at a time (crates/theater-handler-message-server/src/lib.rs:103-337,
 * c50b1871). Error strings are c50's, with the prefixes its host functions add (lib.rs:511-925).
 */
import { randomBytes } from 'node:crypto';

export type MailboxMessage =
  | { kind: 'send'; data: Uint8Array }
  /** `reply(undefined)`: the actor answered none, or failed; the requester then gets "channel closed". */
  | { kind: 'request'; data: Uint8Array; reply: (answer: Uint8Array | undefined) => void }
  /** `reply(undefined)`: the actor failed or stopped before answering. */
  | { kind: 'channel-open'; channelId: string; initial: Uint8Array; reply: (accepted: boolean | undefined) => void }
  | { kind: 'channel-message'; channelId: string; data: Uint8Array }
  | { kind: 'channel-close'; channelId: string };

interface Channel {
  initiator: string;
  target: string;
  isOpen: boolean;
}

/** TheaterId::parse is Uuid::parse_str (crates/theater/src/id.rs:95). */
const UUID = /^(urn:uuid:)?(\{)?[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}(\})?$/;

function parseActor(address: string): string {
  // The uuid crate's own wording differs by case; the prefix is c50's (lib.rs:526, :586, :753).
  if (!UUID.test(address)) throw `Failed to parse actor ID: invalid UUID "${address}"`;
  return address.replace(/^urn:uuid:/, '').replace(/[{}]/g, '').toLowerCase();
}

/** ChannelId::parse (crates/theater/src/messages.rs:532-540), with the host functions' prefix. */
function parseChannel(id: string): string {
  if (id.length === 0) throw 'Failed to parse channel ID: Channel ID cannot be empty';
  if (!id.startsWith('ch_')) throw "Failed to parse channel ID: Channel ID must start with 'ch_' prefix";
  return id;
}

export class MessageRouter {
  private actors = new Map<string, (message: MailboxMessage) => void>();
  private channels = new Map<string, Channel>();
  /** The router task: one command at a time, so an open-channel to a busy actor stalls every route. */
  private queue: Promise<unknown> = Promise.resolve();

  private run<T>(command: () => T | Promise<T>): Promise<T> {
    const done = this.queue.then(command);
    this.queue = done.catch(() => undefined);
    return done;
  }

  /** In c50 the handler's setup_host_functions registers the mailbox, before instantiation and init (lib.rs:472-492). */
  register(actorId: string, deliver: (message: MailboxMessage) => void): Promise<void> {
    return this.run(() => void this.actors.set(actorId, deliver));
  }

  /** When the handler's start() loop ends at the actor's shutdown (lib.rs:1036-1038). */
  unregister(actorId: string): Promise<void> {
    return this.run(() => void this.actors.delete(actorId));
  }

  registered(actorId: string): boolean {
    return this.actors.has(actorId);
  }

  send(address: string, data: Uint8Array): Promise<void> {
    const target = parseActor(address);
    return this.run(() => {
      const deliver = this.actors.get(target);
      if (!deliver) throw `Actor not found: ${target}`;
      deliver({ kind: 'send', data });
    });
  }

  async request(address: string, data: Uint8Array): Promise<Uint8Array> {
    const target = parseActor(address);
    let reply!: (answer: Uint8Array | undefined) => void;
    const answered = new Promise<Uint8Array | undefined>((resolve) => (reply = resolve));
    await this.run(() => {
      const deliver = this.actors.get(target);
      if (!deliver) throw `Actor not found: ${target}`;
      deliver({ kind: 'request', data, reply });
    });
    const answer = await answered;
    // The oneshot sender is dropped without a value: tokio's RecvError reads "channel closed" (lib.rs:412-415, :612-618).
    if (answer === undefined) throw 'channel closed';
    return answer;
  }

  openChannel(initiator: string, address: string, initial: Uint8Array): Promise<string> {
    const target = parseActor(address);
    // ChannelId::new: "ch_" and 16 hex digits of a hash over both ids, the time and a random u64 (messages.rs:486-498).
    const channelId = `ch_${randomBytes(8).toString('hex')}`;
    return this.run(async () => {
      const deliver = this.actors.get(target);
      if (!deliver) throw `Error opening channel: Actor not found: ${target}`;
      // The router waits here for the target's handle-channel-open (lib.rs:223-247).
      const accepted = await new Promise<boolean | undefined>((reply) => deliver({ kind: 'channel-open', channelId, initial, reply }));
      if (accepted === undefined) throw "Error opening channel: Actor didn't respond to channel open: channel closed";
      if (!accepted) throw 'Channel request rejected by target actor';
      this.channels.set(channelId, { initiator, target, isOpen: true });
      return channelId;
    });
  }

  sendOnChannel(sender: string, channelId: string, data: Uint8Array): Promise<void> {
    const id = parseChannel(channelId);
    return this.run(() => {
      const channel = this.channels.get(id);
      if (!channel) throw `Channel not found: ${id}`;
      if (!channel.isOpen) throw 'Channel is closed';
      const recipient = sender === channel.initiator ? channel.target : sender === channel.target ? channel.initiator : undefined;
      if (recipient === undefined) throw 'Sender is not a participant in this channel';
      const deliver = this.actors.get(recipient);
      if (!deliver) throw `Recipient actor not found: ${recipient}`;
      deliver({ kind: 'channel-message', channelId: id, data });
    });
  }

  closeChannel(sender: string, channelId: string): Promise<void> {
    const id = parseChannel(channelId);
    return this.run(() => {
      const channel = this.channels.get(id);
      if (!channel) throw `Channel not found: ${id}`;
      // c50 removes the channel before checking the sender (lib.rs:299-304).
      this.channels.delete(id);
      if (sender !== channel.initiator && sender !== channel.target) throw 'Sender is not a participant in this channel';
      const other = sender === channel.initiator ? channel.target : channel.initiator;
      this.actors.get(other)?.({ kind: 'channel-close', channelId: id });
    });
  }
}
