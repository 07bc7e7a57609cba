// world theater-chat:actor/chat-actor
export type * as TheaterSimpleEnvironment from './interfaces/theater-simple-environment.js'; // import theater:simple/environment
export type * as TheaterSimpleFilesystem from './interfaces/theater-simple-filesystem.js'; // import theater:simple/filesystem
export type * as TheaterSimpleHttpClient from './interfaces/theater-simple-http-client.js'; // import theater:simple/http-client
export type * as TheaterSimpleHttpFramework from './interfaces/theater-simple-http-framework.js'; // import theater:simple/http-framework
export type * as TheaterSimpleHttpTypes from './interfaces/theater-simple-http-types.js'; // import theater:simple/http-types
export type * as TheaterSimpleMessageServerHost from './interfaces/theater-simple-message-server-host.js'; // import theater:simple/message-server-host
export type * as TheaterSimpleRuntime from './interfaces/theater-simple-runtime.js'; // import theater:simple/runtime
export type * as TheaterSimpleStore from './interfaces/theater-simple-store.js'; // import theater:simple/store
export type * as TheaterSimpleSupervisor from './interfaces/theater-simple-supervisor.js'; // import theater:simple/supervisor
export type * as TheaterSimpleTypes from './interfaces/theater-simple-types.js'; // import theater:simple/types
export type * as TheaterSimpleWebsocketTypes from './interfaces/theater-simple-websocket-types.js'; // import theater:simple/websocket-types
export * as actor from './interfaces/theater-simple-actor.js'; // export theater:simple/actor
export * as httpHandlers from './interfaces/theater-simple-http-handlers.js'; // export theater:simple/http-handlers
export * as supervisorHandlers from './interfaces/theater-simple-supervisor-handlers.js'; // export theater:simple/supervisor-handlers
export * as messageServerClient from './interfaces/theater-simple-message-server-client.js'; // export theater:simple/message-server-client
