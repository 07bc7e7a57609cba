/// <reference path="./theater-simple-types.d.ts" />
declare module 'theater:simple/supervisor-handlers' {
  export function handleChildError(state: Uint8Array | undefined, params: [string, WitActorError]): [Uint8Array | undefined];
  export function handleChildExit(state: Uint8Array | undefined, params: [string, Uint8Array | undefined]): [Uint8Array | undefined];
  export function handleChildExternalStop(state: Uint8Array | undefined, params: [string]): [Uint8Array | undefined];
  export type WitActorError = import('theater:simple/types').WitActorError;
}
