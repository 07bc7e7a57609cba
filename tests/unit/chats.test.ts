import { NativeApp } from '../helpers/native-app.js';
import { runChatScenarios } from '../scenarios/chat-scenarios.js';
import { runListScenarios } from '../scenarios/list-scenarios.js';
import type { ChatDriver, Frame } from '../scenarios/driver.js';

function nativeDriver(): ChatDriver {
  let app = new NativeApp();
  return {
    connect: (name) => app.connect(name),
    command: async (name, command) => (await app.command(name, command)) as Frame,
    events: async (name) => app.take(name) as Frame[],
    http: (method, path, body, headers) => app.http(method, path, body, headers) as Promise<{ status: number; json: any }>,
    restart: async () => {
      app = app.restart();
    },
    close: async () => undefined,
  };
}

runChatScenarios('native core', async () => nativeDriver());
runListScenarios('native core', async () => nativeDriver());
