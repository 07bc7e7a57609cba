declare module 'theater:simple/types' {
  export type ActorId = string;
  export type ChannelId = string;
  export interface ChannelAccept {
    accepted: boolean,
    message?: Uint8Array,
  }
  export interface Event {
    eventType: string,
    parent?: bigint,
    data: Uint8Array,
  }
  export interface MetaEvent {
    hash: bigint,
    event: Event,
  }
  export interface Chain {
    events: Array<MetaEvent>,
  }
  export interface ChainEvent {
    hash: Uint8Array,
    parentHash?: Uint8Array,
    eventType: string,
    data: Uint8Array,
    timestamp: bigint,
    description?: string,
  }
  /**
   * # Variants
   * 
   * ## `"operation-timeout"`
   * 
   * ## `"channel-closed"`
   * 
   * ## `"shutting-down"`
   * 
   * ## `"function-not-found"`
   * 
   * ## `"type-mismatch"`
   * 
   * ## `"internal"`
   * 
   * ## `"serialization-error"`
   * 
   * ## `"update-component-error"`
   * 
   * ## `"paused"`
   */
  export type WitErrorType = 'operation-timeout' | 'channel-closed' | 'shutting-down' | 'function-not-found' | 'type-mismatch' | 'internal' | 'serialization-error' | 'update-component-error' | 'paused';
  export interface WitActorError {
    errorType: WitErrorType,
    data?: Uint8Array,
  }
}
