/** @module Interface theater:simple/websocket-types **/
export type MessageType = MessageTypeText | MessageTypeBinary | MessageTypeConnect | MessageTypeClose | MessageTypePing | MessageTypePong | MessageTypeOther;
export interface MessageTypeText {
  tag: 'text',
}
export interface MessageTypeBinary {
  tag: 'binary',
}
export interface MessageTypeConnect {
  tag: 'connect',
}
export interface MessageTypeClose {
  tag: 'close',
}
export interface MessageTypePing {
  tag: 'ping',
}
export interface MessageTypePong {
  tag: 'pong',
}
export interface MessageTypeOther {
  tag: 'other',
  val: string,
}
export interface WebsocketMessage {
  ty: MessageType,
  data?: Uint8Array,
  text?: string,
}
