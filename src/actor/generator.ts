/**
 * The generator component: a long-lived actor that the chat actor starts and talks to on one
 * message-server channel. It makes one Claude call at a time and answers on the same channel.
 * It imports no http-framework, so its end never stops the chat's server (theater-c50.md §14).
 * Every export is total: on Theater an Err or a trap stops the actor.
 */
import { messages, type ActorExports, type ChannelAccept, type MessageClientExports } from './theater.js';
import { JobMessage, encodeMessage, parseMessage, type ResultMessage } from '../core/generations.js';
import { runGeneration, type GenerationJob } from '../core/generation.js';
import { theaterClaude } from './claude.js';
import { describe, log, ownBytes, shutdown, withoutTimers, type Awaitable } from './common.js';

withoutTimers();

type State = Uint8Array | undefined;

function answer(channel: string, result: ResultMessage): void {
  try {
    messages.sendOnChannel(channel, encodeMessage(result));
  } catch (e) {
    // The chat actor is gone or closed the channel: nobody is waiting for this answer.
    log(`warn: could not answer on ${channel}: ${describe(e)}`);
  }
}

async function work(channel: string, bytes: Uint8Array): Promise<void> {
  const message = parseMessage(JobMessage, ownBytes(bytes));
  if (!message) {
    log('error: a job that is not one; ignored');
    return;
  }
  try {
    const baseUrl = message.anthropic_base_url;
    const { outcome, attempt } = await runGeneration(theaterClaude(() => baseUrl), message.job);
    answer(channel, { v: 1, job_id: message.job_id, outcome, attempt });
  } catch (e) {
    log(`error: generator: ${describe(e)}`);
    answer(channel, { v: 1, job_id: message.job_id, attempt: message.job.attempt, outcome: { ok: false, failure: { kind: 'generator', message: `the generator failed: ${describe(e)}` } } });
  }
}

export const actor = {
  init: (state: State): [State] => [state],
} satisfies { [K in keyof typeof ActorExports]: Awaitable<(typeof ActorExports)[K]> };

export const messageServerClient = {
  handleSend: (state: State): [State] => [state],
  handleRequest: (state: State): [State, [Uint8Array | undefined]] => [state, [undefined]],
  /** The chat actor opens the one channel it sends jobs on. */
  handleChannelOpen: (state: State): [State, [ChannelAccept]] => [state, [{ accepted: true, message: undefined }]],
  async handleChannelMessage(state: State, [channel, bytes]: [string, Uint8Array]): Promise<[State]> {
    try {
      await work(channel, bytes);
    } catch (e) {
      log(`error: generator: ${describe(e)}`);
    }
    return [state];
  },
  /** The chat actor retires this generator (or is gone): nothing is left to do. */
  handleChannelClose(state: State): [State] {
    try {
      shutdown();
    } catch (e) {
      log(`error: could not shut down: ${describe(e)}`);
    }
    return [state];
  },
} satisfies { [K in keyof typeof MessageClientExports]: Awaitable<(typeof MessageClientExports)[K]> };
