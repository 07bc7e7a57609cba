/// <reference path="./theater-simple-http-types.d.ts" />
declare module 'theater:simple/http-client' {
  export function sendHttp(req: HttpRequest): HttpResponse;
  export type HttpRequest = import('theater:simple/http-types').HttpRequest;
  export type HttpResponse = import('theater:simple/http-types').HttpResponse;
}
