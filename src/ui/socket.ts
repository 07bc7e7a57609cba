/** The page's one connection to the actor, and commands sent through it that show their refusal. */
import { Connection } from './connection.js';
import type { Command, Frame, FrameOf } from './protocol.js';
import { notice, problem } from './notices.js';

// What events and the welcome do needs the actions, and the actions need this socket: session.ts
// hands its handlers over before the socket opens, so the imports go one way.
const handlers: { event?: (frame: Frame) => void; welcome?: (welcome: FrameOf<'welcome'>) => void } = {};

export const connection = new Connection(
  (frame) => handlers.event?.(frame),
  (welcome) => handlers.welcome?.(welcome),
);

export function listen(event: (frame: Frame) => void, welcome: (welcome: FrameOf<'welcome'>) => void): void {
  handlers.event = event;
  handlers.welcome = welcome;
}

export async function run(command: Command): Promise<Frame> {
  const reply = await connection.request(command);
  if (reply.type === 'error') notice.value = problem(reply);
  return reply;
}
