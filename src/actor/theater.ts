/**
 * Every import from Theater c50b1871's WIT (`theater:simple/*`) made by either component, and
 * nothing else: the rest of src/actor works through these names, so a second Theater target
 * (theater-868.md) needs a sibling of this file. The build drops what a component does not use
 * (an unused import has no side effects), so the generator never imports http-framework;
 * `check:theater --child generator.toml` proves it on every `npm test`.
 */
import * as runtime from 'theater:simple/runtime';
import * as store from 'theater:simple/store';
import * as framework from 'theater:simple/http-framework';
import * as supervisor from 'theater:simple/supervisor';
import * as messages from 'theater:simple/message-server-host';
import * as httpClient from 'theater:simple/http-client';
import * as environment from 'theater:simple/environment';
import * as filesystem from 'theater:simple/filesystem';

export type { HttpRequest, HttpResponse } from 'theater:simple/http-types';
export type { WebsocketMessage } from 'theater:simple/websocket-types';
export type { WitActorError } from 'theater:simple/supervisor-handlers';
export type { ChannelAccept } from 'theater:simple/message-server-client';
/** The export interfaces, so each export table can be checked against its WIT. */
export type * as ActorExports from 'theater:simple/actor';
export type * as HttpHandlerExports from 'theater:simple/http-handlers';
export type * as SupervisorHandlerExports from 'theater:simple/supervisor-handlers';
export type * as MessageClientExports from 'theater:simple/message-server-client';

export { runtime, store, framework, supervisor, messages, httpClient, environment, filesystem };
