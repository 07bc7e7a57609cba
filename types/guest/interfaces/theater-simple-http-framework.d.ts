/// <reference path="./theater-simple-http-types.d.ts" />
/// <reference path="./theater-simple-websocket-types.d.ts" />
declare module 'theater:simple/http-framework' {
  export function createServer(config: ServerConfig): ServerId;
  export function getServerInfo(serverId: ServerId): ServerInfo;
  export function startServer(serverId: ServerId): number;
  export function stopServer(serverId: ServerId): void;
  export function destroyServer(serverId: ServerId): void;
  export function registerHandler(handlerName: string): HandlerId;
  export function addRoute(serverId: ServerId, path: string, method: string, handlerId: HandlerId): RouteId;
  export function removeRoute(routeId: RouteId): void;
  export function addMiddleware(serverId: ServerId, path: string, handlerId: HandlerId): MiddlewareId;
  export function removeMiddleware(middlewareId: MiddlewareId): void;
  export function enableWebsocket(serverId: ServerId, path: string, connectHandlerId: HandlerId | undefined, messageHandlerId: HandlerId, disconnectHandlerId: HandlerId | undefined): void;
  export function sendWebsocketMessage(serverId: ServerId, connectionId: bigint, message: WebsocketMessage): void;
  export function closeWebsocket(serverId: ServerId, connectionId: bigint): void;
  export type HttpRequest = import('theater:simple/http-types').HttpRequest;
  export type HttpResponse = import('theater:simple/http-types').HttpResponse;
  export type ServerConfig = import('theater:simple/http-types').ServerConfig;
  export type ServerInfo = import('theater:simple/http-types').ServerInfo;
  export type TlsConfig = import('theater:simple/http-types').TlsConfig;
  export type WebsocketMessage = import('theater:simple/websocket-types').WebsocketMessage;
  export type ServerId = bigint;
  export type HandlerId = bigint;
  export type RouteId = bigint;
  export type MiddlewareId = bigint;
}
