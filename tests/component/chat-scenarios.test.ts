import { ChatClient } from '../helpers/chat-client.js';
import { expectNoFatal, startHost, type RunningHost } from '../helpers/host.js';
import { runChatScenarios } from '../scenarios/chat-scenarios.js';
import { runListScenarios } from '../scenarios/list-scenarios.js';
import type { ChatDriver, Frame } from '../scenarios/driver.js';

async function componentDriver(): Promise<ChatDriver> {
  let host: RunningHost = await startHost();
  const clients = new Map<string, ChatClient>();
  const client = (name: string) => {
    const c = clients.get(name);
    if (!c) throw new Error(`no connection ${name}`);
    return c;
  };
  const closeClients = async () => {
    await Promise.all([...clients.values()].map((c) => c.close()));
    clients.clear();
  };
  return {
    connect: async (name) => void clients.set(name, await ChatClient.open(host.url)),
    command: (name, command) => client(name).command(command),
    events: (name) => client(name).events(),
    async http(method, path, body, headers = {}) {
      const res = await fetch(`${host.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, json: json as Frame };
    },
    async restart() {
      await closeClients();
      await host.stop();
      expectNoFatal(host);
      host = await startHost({ data: host.data });
    },
    async close() {
      await closeClients();
      await host.stop();
      expectNoFatal(host);
    },
  };
}

runChatScenarios('component on the Node host', componentDriver);
runListScenarios('component on the Node host', componentDriver);
