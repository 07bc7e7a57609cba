/**
 * Zod schemas for what the mock reads from a request, and their failures worded the way the API
 * words its own (it validates with pydantic): `messages.0.content.1.image.source.base64.media_type:
 * Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'`. Unions are picked by
 * their `type` by hand, so the location carries the tag as the API's does (`….image.source.base64…`).
 */
import { z } from 'zod';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** `error.details` of the body: the SDK picks its typed error class by `details.error_code`. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const invalid = (message: string, details?: Record<string, unknown>) => new ApiError(400, message, details);

const quoted = (values: readonly unknown[]) => {
  const q = values.map((v) => `'${String(v)}'`);
  return q.length < 2 ? q.join('') : `${q.slice(0, -1).join(', ')} or ${q.at(-1)}`;
};

const TYPE_WORDS: Record<string, string> = {
  string: 'a valid string',
  number: 'a valid number',
  int: 'a valid integer',
  boolean: 'a valid boolean',
  object: 'a valid dictionary',
  array: 'a valid list',
};

/** Pydantic's wording for the failures these schemas can have. */
const pydantic: z.core.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case 'invalid_type':
      return iss.input === undefined ? 'Field required' : `Input should be ${TYPE_WORDS[iss.expected] ?? `a valid ${iss.expected}`}`;
    case 'invalid_value':
      return `Input should be ${quoted(iss.values)}`;
    case 'too_small':
      return iss.origin === 'string' ? `String should have at least ${iss.minimum} character${iss.minimum === 1 ? '' : 's'}` : `Input should be greater than${iss.inclusive ? ' or equal to' : ''} ${iss.minimum}`;
    case 'too_big':
      return `Input should be less than${iss.inclusive ? ' or equal to' : ''} ${iss.maximum}`;
    default:
      return undefined;
  }
};

/** Parses `value` or throws the API's 400 for its first failure, located under `loc`. */
export function parseAt<S extends z.ZodType>(schema: S, value: unknown, loc: string): z.infer<S> {
  const result = schema.safeParse(value, { error: pydantic });
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const where = [loc, ...issue.path.map(String)].filter(Boolean).join('.');
  throw invalid(`${where}: ${issue.message}`);
}

const Tagged = z.object({ type: z.string() }).loose();

/** The `type` of a member of a tagged union, refused as pydantic refuses an unknown tag. */
export function tagOf(value: unknown, loc: string, tags: readonly string[]): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(`${loc}: Input should be a valid dictionary`);
  const parsed = Tagged.safeParse(value);
  if (!parsed.success) throw invalid(`${loc}: Unable to extract tag using discriminator 'type'`);
  const { type } = parsed.data;
  if (!tags.includes(type)) throw invalid(`${loc}: Input tag '${type}' found using 'type' does not match any of the expected tags: ${tags.map((t) => `'${t}'`).join(', ')}`);
  return type;
}

export const CacheControl = z.object({ type: z.literal('ephemeral'), ttl: z.enum(['5m', '1h']).optional() }).nullable().optional();

export const WebSearchLocation = z.object({ type: z.literal('web_search_result_location'), url: z.string(), title: z.string().nullable(), cited_text: z.string(), encrypted_index: z.string() }).loose();

export const TextBlock = z.object({ type: z.literal('text'), text: z.string(), cache_control: CacheControl, citations: z.array(z.unknown()).nullable().optional() }).loose();

export const ImageBlock = z
  .object({ type: z.literal('image'), source: z.unknown(), cache_control: CacheControl, transformations: z.object({ oversized_image: z.enum(['downsize', 'error']).optional() }).nullable().optional() })
  .loose();

export const Base64Source = <T extends readonly [string, ...string[]]>(mediaTypes: T) => z.object({ type: z.literal('base64'), media_type: z.enum(mediaTypes), data: z.string() }).loose();

export const PlainTextSource = z.object({ type: z.literal('text'), media_type: z.literal('text/plain'), data: z.string() }).loose();

export const DocumentBlock = z
  .object({
    type: z.literal('document'),
    source: z.unknown(),
    cache_control: CacheControl,
    citations: z.object({ enabled: z.boolean().optional() }).nullable().optional(),
    context: z.string().nullable().optional(),
    title: z.string().nullable().optional(),
  })
  .loose();

export const ThinkingBlock = z.object({ type: z.literal('thinking'), thinking: z.string(), signature: z.string(), cache_control: CacheControl }).loose();

export const RedactedThinkingBlock = z.object({ type: z.literal('redacted_thinking'), data: z.string(), cache_control: CacheControl }).loose();

export const SERVER_TOOL_NAMES = ['web_search', 'web_fetch', 'code_execution', 'bash_code_execution', 'text_editor_code_execution', 'tool_search_tool_regex', 'tool_search_tool_bm25'] as const;

export const ServerToolUseBlock = z
  .object({ type: z.literal('server_tool_use'), id: z.string(), name: z.enum(SERVER_TOOL_NAMES), input: z.record(z.string(), z.unknown()), cache_control: CacheControl })
  .loose();

export const WebSearchResult = z.object({ type: z.literal('web_search_result'), encrypted_content: z.string(), title: z.string(), url: z.string(), page_age: z.string().nullable().optional() }).loose();

export const WEB_SEARCH_ERROR_CODES = ['invalid_tool_input', 'unavailable', 'max_uses_exceeded', 'too_many_requests', 'query_too_long', 'request_too_large'] as const;

export const WebSearchToolResultBlock = z
  .object({
    type: z.literal('web_search_tool_result'),
    tool_use_id: z.string(),
    content: z.union([z.array(WebSearchResult), z.object({ type: z.literal('web_search_tool_result_error'), error_code: z.enum(WEB_SEARCH_ERROR_CODES) }).loose()]),
    cache_control: CacheControl,
  })
  .loose();
