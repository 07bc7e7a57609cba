/// <reference path="./theater-simple-http-framework.d.ts" />
/// <reference path="./theater-simple-http-types.d.ts" />
/// <reference path="./theater-simple-websocket-types.d.ts" />
declare module 'theater:simple/http-handlers' {
  export function handleRequest(state: Uint8Array | undefined, params: [HandlerId, HttpRequest]): [Uint8Array | undefined, [HttpResponse]];
  export function handleMiddleware(state: Uint8Array | undefined, params: [HandlerId, HttpRequest]): [Uint8Array | undefined, [MiddlewareResult]];
  export function handleWebsocketConnect(state: Uint8Array | undefined, params: [HandlerId, bigint, string, string | undefined]): [Uint8Array | undefined];
  export function handleWebsocketMessage(state: Uint8Array | undefined, params: [HandlerId, bigint, WebsocketMessage]): [Uint8Array | undefined, [Array<WebsocketMessage>]];
  export function handleWebsocketDisconnect(state: Uint8Array | undefined, params: [HandlerId, bigint]): [Uint8Array | undefined];
  export type HttpRequest = import('theater:simple/http-types').HttpRequest;
  export type HttpResponse = import('theater:simple/http-types').HttpResponse;
  export type WebsocketMessage = import('theater:simple/websocket-types').WebsocketMessage;
  export type MiddlewareResult = import('theater:simple/http-types').MiddlewareResult;
  export type HandlerId = import('theater:simple/http-framework').HandlerId;
}
