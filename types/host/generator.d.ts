// world theater-chat:actor/generator
export type * as TheaterSimpleEnvironment from './interfaces/theater-simple-environment.js'; // import theater:simple/environment
export type * as TheaterSimpleFilesystem from './interfaces/theater-simple-filesystem.js'; // import theater:simple/filesystem
export type * as TheaterSimpleHttpClient from './interfaces/theater-simple-http-client.js'; // import theater:simple/http-client
export type * as TheaterSimpleHttpTypes from './interfaces/theater-simple-http-types.js'; // import theater:simple/http-types
export type * as TheaterSimpleMessageServerHost from './interfaces/theater-simple-message-server-host.js'; // import theater:simple/message-server-host
export type * as TheaterSimpleRuntime from './interfaces/theater-simple-runtime.js'; // import theater:simple/runtime
export type * as TheaterSimpleTypes from './interfaces/theater-simple-types.js'; // import theater:simple/types
export * as actor from './interfaces/theater-simple-actor.js'; // export theater:simple/actor
export * as messageServerClient from './interfaces/theater-simple-message-server-client.js'; // export theater:simple/message-server-client
