/** @module Interface theater:simple/message-server-client **/
export function handleSend(state: Uint8Array | undefined, params: [Uint8Array]): [Uint8Array | undefined];
export function handleRequest(state: Uint8Array | undefined, params: [string, Uint8Array]): [Uint8Array | undefined, [Uint8Array | undefined]];
export function handleChannelOpen(state: Uint8Array | undefined, params: [string, Uint8Array]): [Uint8Array | undefined, [ChannelAccept]];
export function handleChannelMessage(state: Uint8Array | undefined, params: [ChannelId, Uint8Array]): [Uint8Array | undefined];
export function handleChannelClose(state: Uint8Array | undefined, params: [ChannelId]): [Uint8Array | undefined];
export type Event = import('./theater-simple-types.js').Event;
export type ChannelId = import('./theater-simple-types.js').ChannelId;
export type ChannelAccept = import('./theater-simple-types.js').ChannelAccept;
