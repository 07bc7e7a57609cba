/// <reference path="./interfaces/theater-simple-actor.d.ts" />
/// <reference path="./interfaces/theater-simple-environment.d.ts" />
/// <reference path="./interfaces/theater-simple-filesystem.d.ts" />
/// <reference path="./interfaces/theater-simple-http-client.d.ts" />
/// <reference path="./interfaces/theater-simple-http-types.d.ts" />
/// <reference path="./interfaces/theater-simple-message-server-client.d.ts" />
/// <reference path="./interfaces/theater-simple-message-server-host.d.ts" />
/// <reference path="./interfaces/theater-simple-runtime.d.ts" />
/// <reference path="./interfaces/theater-simple-types.d.ts" />
declare module 'theater-chat:actor/generator' {
  export type * as TheaterSimpleEnvironment from 'theater:simple/environment'; // import theater:simple/environment
  export type * as TheaterSimpleFilesystem from 'theater:simple/filesystem'; // import theater:simple/filesystem
  export type * as TheaterSimpleHttpClient from 'theater:simple/http-client'; // import theater:simple/http-client
  export type * as TheaterSimpleHttpTypes from 'theater:simple/http-types'; // import theater:simple/http-types
  export type * as TheaterSimpleMessageServerHost from 'theater:simple/message-server-host'; // import theater:simple/message-server-host
  export type * as TheaterSimpleRuntime from 'theater:simple/runtime'; // import theater:simple/runtime
  export type * as TheaterSimpleTypes from 'theater:simple/types'; // import theater:simple/types
  export * as actor from 'theater:simple/actor'; // export theater:simple/actor
  export * as messageServerClient from 'theater:simple/message-server-client'; // export theater:simple/message-server-client
}
