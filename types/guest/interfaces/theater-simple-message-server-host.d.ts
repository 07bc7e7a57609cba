/// <reference path="./theater-simple-types.d.ts" />
declare module 'theater:simple/message-server-host' {
  export function send(actorId: ActorId, msg: Uint8Array): void;
  export function request(actorId: ActorId, msg: Uint8Array): Uint8Array;
  export function openChannel(actorId: ActorId, initialMsg: Uint8Array): ChannelId;
  export function sendOnChannel(channelId: ChannelId, msg: Uint8Array): void;
  export function closeChannel(channelId: ChannelId): void;
  export function listOutstandingRequests(): Array<string>;
  export function respondToRequest(requestId: string, response: Uint8Array): void;
  export function cancelRequest(requestId: string): void;
  export type ActorId = import('theater:simple/types').ActorId;
  export type ChannelId = import('theater:simple/types').ChannelId;
}
