// A component that does nothing but echo each WebSocket frame, built against the chat's own world
// with the same componentize-js settings: its `ping` round trip on the Node host is the least any
// component can take there (the socket, the worker hop, jco's glue, the engine's entry and exit).
import * as framework from 'theater:simple/http-framework';

let server = 0n;

export const actor = {
  init: (config) => {
    const { host, port } = JSON.parse(new TextDecoder().decode(config));
    server = framework.createServer({ host, port });
    const handler = framework.registerHandler('websocket');
    framework.enableWebsocket(server, '/ws', handler, handler, handler);
    framework.startServer(server);
    return [config];
  },
};

export const httpHandlers = {
  handleRequest: (state) => [state, [{ status: 404, headers: [], body: undefined }]],
  handleMiddleware: (state, [, request]) => [state, [{ proceed: true, request }]],
  handleWebsocketConnect: (state) => [state],
  handleWebsocketMessage: (state, [, connection, message]) => {
    framework.sendWebsocketMessage(server, connection, message);
    return [state, [[]]];
  },
  handleWebsocketDisconnect: (state) => [state],
};

export const supervisorHandlers = {
  handleChildExit: (state) => [state],
  handleChildError: (state) => [state],
  handleChildExternalStop: (state) => [state],
};

export const messageServerClient = {
  handleSend: (state) => [state],
  handleRequest: (state) => [state, [undefined]],
  handleChannelOpen: (state) => [state, [{ accepted: false, message: undefined }]],
  handleChannelMessage: (state) => [state],
  handleChannelClose: (state) => [state],
};
