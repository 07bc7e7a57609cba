/**
 * A message as the API streams it, in the order a live capture shows (and the SDK's MessageStream
 * accumulates): text in `text_delta`s, a cited text block opening with `citations: []` and getting
 * its `citations_delta`s before its text; thinking in `thinking_delta`s then one `signature_delta`;
 * a server tool's input in `input_json_delta`s; redacted thinking and search results whole at their
 * start. Usage: `message_start` has the input known up front, `message_delta` the final totals.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { ReplyBlock } from './replies.js';

/** `message_start` carries the mock's message, which leaves out fields the mock never fills (`container`, …). */
type Event = Exclude<Anthropic.RawMessageStreamEvent, Anthropic.RawMessageStartEvent> | { type: 'message_start'; message: object } | { type: 'ping' };

export interface Streamed {
  message: { id: string; model: string; content: ReplyBlock[]; usage: Record<string, unknown> };
  /** Usage as `message_start` carries it (before the searches add their input). */
  startUsage: Record<string, unknown>;
  /** What `message_delta.usage` adds besides `output_tokens`, when the reply has it. */
  deltaUsage: Record<string, unknown>;
  output_tokens: number;
}

const chunks = (text: string, size = 24) => text.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g')) ?? [];

function blockEvents(block: ReplyBlock, index: number): Event[] {
  const delta = (d: Anthropic.RawContentBlockDelta): Event => ({ type: 'content_block_delta', index, delta: d });
  const start = (content_block: unknown): Event => ({ type: 'content_block_start', index, content_block }) as Event;
  switch (block.type) {
    case 'text':
      return [
        start(block.citations ? { citations: [], type: 'text', text: '' } : { type: 'text', text: '' }),
        ...(block.citations ?? []).map((citation) => delta({ type: 'citations_delta', citation })),
        ...chunks(block.text).map((text) => delta({ type: 'text_delta', text })),
      ];
    case 'thinking':
      return [start({ type: 'thinking', thinking: '', signature: '' }), ...chunks(block.thinking).map((thinking) => delta({ type: 'thinking_delta', thinking })), delta({ type: 'signature_delta', signature: block.signature })];
    case 'server_tool_use': {
      const json = JSON.stringify(block.input);
      const half = Math.ceil(json.length / 2);
      return [start({ ...block, input: {} }), ...['', json.slice(0, half), json.slice(half)].map((partial_json) => delta({ type: 'input_json_delta', partial_json }))];
    }
    default:
      return [start(block)];
  }
}

export function sseBody(s: Streamed): string {
  const { message } = s;
  const events: Event[] = [{ type: 'message_start', message: { ...message, type: 'message', role: 'assistant', content: [], stop_reason: null, stop_sequence: null, usage: s.startUsage } }];
  message.content.forEach((block, index) => {
    const [first, ...rest] = blockEvents(block, index);
    // A ping after the first block opens, as the API sends one early in every stream.
    events.push(first!, ...(index === 0 ? [{ type: 'ping' as const }] : []), ...rest, { type: 'content_block_stop', index });
  });
  events.push({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: s.output_tokens, ...s.deltaUsage } } as Event, { type: 'message_stop' });
  return events.map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`).join('');
}
