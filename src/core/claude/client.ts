/**
 * The Llm port on the official SDK, over any fetch: the component's (Theater's http-client) or
 * Node's. No retries inside the SDK: the component cannot sleep, so retry.ts decides instead.
 */
import Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import type { Llm, LlmFailure, LlmOutcome } from './llm.js';
import type { ListedModel } from './models.js';
import { capabilitiesOf } from './capabilities.js';
import { ApiCapabilities, withApiCapabilities } from './api-capabilities.js';
import type { ClaudeRequest } from './request.js';
import type { Usage } from '../dag/node.js';
import type { ReplyBlock } from '../dag/parts.js';

/** The fetch the SDK is given: the core names no global fetch (the component has none of its own). */
export type Fetch = NonNullable<NonNullable<ConstructorParameters<typeof Anthropic>[0]>['fetch']>;

export interface ClientOptions {
  fetch: Fetch;
  /** Read when a call is made; the key is never kept. */
  apiKey: () => string | undefined;
  baseURL?: () => string | undefined;
}

/** What we rely on in a reply: parsed, so a malformed body fails with a clear message. */
const Reply = z.object({
  id: z.string(),
  model: z.string(),
  content: z.array(z.looseObject({ type: z.string(), text: z.string().optional(), citations: z.unknown().optional() })),
  stop_reason: z.string().nullable(),
  usage: z.object({
    input_tokens: z.number().int().nonnegative(),
    output_tokens: z.number().int().nonnegative(),
    cache_creation_input_tokens: z.number().int().nonnegative().nullable().optional(),
    cache_read_input_tokens: z.number().int().nonnegative().nullable().optional(),
    output_tokens_details: z.object({ thinking_tokens: z.number().int().nonnegative().nullable().optional() }).nullable().optional(),
    server_tool_use: z.object({ web_search_requests: z.number().int().nonnegative().nullable().optional() }).nullable().optional(),
  }),
});
type Reply = z.infer<typeof Reply>;

/** Plain text replies keep only their text; anything more (thinking, searches, citations) keeps every block. */
function blocksWorthKeeping(content: Reply['content']): ReplyBlock[] | undefined {
  const plain = content.every((b) => b.type === 'text' && !(Array.isArray(b.citations) && b.citations.length > 0));
  return plain ? undefined : (content as ReplyBlock[]);
}

function usageOf(u: Reply['usage']): Usage {
  const count = (n: number | null | undefined) => (n ? n : undefined);
  const extra = {
    cache_creation_input_tokens: count(u.cache_creation_input_tokens),
    cache_read_input_tokens: count(u.cache_read_input_tokens),
    thinking_tokens: count(u.output_tokens_details?.thinking_tokens),
    web_search_requests: count(u.server_tool_use?.web_search_requests),
  };
  return { input_tokens: u.input_tokens, output_tokens: u.output_tokens, ...Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined)) };
}

/** A capabilities object this app cannot read leaves the model to the dated table, not out of the list. */
const ModelList = z.object({ data: z.array(z.object({ id: z.string(), display_name: z.string().optional(), capabilities: ApiCapabilities.nullable().optional().catch(null) })) });

function headerRecord(headers: Headers | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  headers?.forEach((value, name) => (out[name.toLowerCase()] = value));
  return out;
}

/** Never let the key travel in a message, whatever an error happens to quote. */
function scrub(text: string, key: string | undefined): string {
  return key && key.length >= 8 ? text.split(key).join('[redacted]') : text;
}

/** `eventStream`: the response had begun as a stream of events (so one that stops short was cut). */
function failureOf(e: unknown, key: string | undefined, eventStream = false): LlmFailure {
  if (e instanceof Anthropic.APIConnectionError) {
    const cause = (e as { cause?: unknown }).cause;
    const detail = cause instanceof Error ? cause.message : String(cause ?? e.message);
    return { kind: 'connection', message: scrub(`could not reach the Claude API: ${detail}`, key) };
  }
  if (e instanceof Anthropic.APIError && e.status !== undefined) {
    const body = e.error as { error?: { type?: string; message?: string } } | undefined;
    const message = body?.error?.message ?? e.message;
    return {
      kind: 'api',
      status: e.status,
      type: body?.error?.type,
      message: scrub(`${message}`, key),
      headers: headerRecord(e.headers as Headers | undefined),
      request_id: e.requestID ?? undefined,
    };
  }
  const message = e instanceof Error ? e.message : String(e);
  // The API ends every stream with message_stop: one that stops before it was cut on the way, and is
  // worth asking again like any lost connection.
  if (eventStream && e instanceof Anthropic.AnthropicError && STREAM_CUT.test(message)) {
    return { kind: 'connection', message: 'the connection to the Claude API was cut before the reply was complete' };
  }
  return { kind: 'malformed', message: scrub(`the Claude API sent a reply this app cannot read: ${message}`, key) };
}

/** What the SDK says when a stream ends before its message did. */
const STREAM_CUT = /^(stream ended without producing|request ended without sending any chunks)/;

export function claudeClient(options: ClientOptions): Llm {
  const client = (key: string) =>
    new Anthropic({
      apiKey: key,
      baseURL: options.baseURL?.() || undefined,
      fetch: options.fetch,
      maxRetries: 0,
      // Not a browser: inside the component the SDK cannot tell, and the key stays in the actor.
      dangerouslyAllowBrowser: true,
    });

  return {
    hasKey: () => Boolean(options.apiKey()),

    async send(request: ClaudeRequest): Promise<LlmOutcome> {
      const key = options.apiKey();
      if (!key) return { ok: false, failure: { kind: 'no_key', message: 'no API key: set ANTHROPIC_API_KEY, or put the key in assets/api-key.txt, then retry' } };
      let eventStream = false;
      try {
        // Streaming, because the SDK refuses long non-streaming requests; on Theater the body arrives whole anyway.
        const stream = client(key).messages.stream(request as unknown as Anthropic.MessageCreateParams);
        const { response, request_id } = await stream.withResponse();
        eventStream = response.headers.get('content-type')?.includes('text/event-stream') ?? false;
        const parsed = Reply.safeParse(await stream.finalMessage());
        if (!parsed.success) return { ok: false, failure: { kind: 'malformed', message: 'the Claude API sent a reply without the fields of a message' } };
        const r = parsed.data;
        const text = r.content.filter((b) => b.type === 'text').map((b) => b.text ?? '').join('');
        const blocks = blocksWorthKeeping(r.content);
        const date = response.headers.get('date') ?? undefined;
        const reply = { id: r.id, model: r.model, content: text, ...(blocks ? { blocks } : {}), stop_reason: r.stop_reason ?? 'end_turn', usage: usageOf(r.usage), request_id: request_id ?? undefined, date };
        return { ok: true, reply };
      } catch (e) {
        return { ok: false, failure: failureOf(e, key, eventStream) };
      }
    },

    async models(): Promise<ListedModel[] | undefined> {
      const key = options.apiKey();
      if (!key) return undefined;
      try {
        const page = await client(key).models.list({ limit: 100 });
        const parsed = ModelList.safeParse({ data: page.data });
        if (!parsed.success) return undefined;
        return parsed.data.data.map((m) => ({ id: m.id, display_name: m.display_name ?? m.id, capabilities: withApiCapabilities(capabilitiesOf(m.id), m.capabilities) }));
      } catch {
        return undefined;
      }
    },
  };
}
