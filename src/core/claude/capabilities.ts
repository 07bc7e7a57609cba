/**
 * What each model accepts beyond plain text, as documented on the date below; GET /v1/models says
 * some of it (a `capabilities` object) where reachable, and this table fills in the rest. Sources
 * and the reasoning per row are in docs/claude-features.md.
 *
 * A model that is not here gets UNKNOWN_MODEL: no thinking offered (the wrong thinking setting is
 * a 400 on every model that has one), images and PDFs (every current model reads both), and web
 * search with the oldest tool version, which every model with web search accepts.
 */
export const CAPABILITIES_AS_OF = '2026-12-05';

/** USD per web search, on top of tokens: $10 per 1,000 searches. */
export const WEB_SEARCH_PRICE = Object.freeze({ usd_per_search: 10 / 1000, as_of: '2026-12-05' });

export type Effort = 'low' | 'medium' | 'high' | 'xhigh' | 'max';
export type WebSearchTool = 'web_search_20250305' | 'web_search_20260209' | 'web_search_20260318';

export interface Capabilities {
  /** False for a model not in the table: the values are UNKNOWN_MODEL's guesses. */
  known: boolean;
  /**
   * adaptive: `thinking: {type: 'adaptive'}`, its depth set by `output_config.effort`;
   * budget: `thinking: {type: 'enabled', budget_tokens}` (at least 1,024, under max_tokens);
   * none: offer no thinking.
   */
  thinking: 'adaptive' | 'budget' | 'none';
  /**
   * How to ask for no thinking: leave `thinking` out; send `{type: 'disabled'}` (models that think
   * when it is left out); send `{type: 'between_tools'}` (no thinking before the answer, only short
   * notes between tool calls); or null when it cannot be turned off (`disabled` is a 400).
   * With thinking off, send no effort above `high`: Opus 5 and Haiku 5.5 refuse `disabled` above it.
   */
  thinking_off: 'omit' | 'disabled' | 'between_tools' | null;
  /** The values `output_config.effort` accepts; empty: send no effort. */
  efforts: readonly Effort[];
  /** The API's default effort, when the model takes one. */
  default_effort?: Effort;
  vision: boolean;
  pdf: boolean;
  web_search: boolean;
  /**
   * The web search tool to send. Always the basic version: the later ones add dynamic filtering,
   * which runs code on the results (code-execution blocks in the reply, not eligible for ZDR).
   */
  web_search_tool: WebSearchTool;
  /** Every version this model accepts, oldest first. */
  web_search_tools: readonly WebSearchTool[];
  max_output_tokens?: number;
  context_window?: number;
}

const ALL_EFFORTS: readonly Effort[] = ['low', 'medium', 'high', 'xhigh', 'max'];
const NO_XHIGH: readonly Effort[] = ['low', 'medium', 'high', 'max'];
const BASIC: readonly WebSearchTool[] = ['web_search_20250305'];
/** Dynamic filtering came with web_search_20260209: Claude 4.6 and later, and Mythos Preview. */
const FILTERING: readonly WebSearchTool[] = ['web_search_20250305', 'web_search_20260209', 'web_search_20260318'];
const M = 1_000_000;
const K = 1000;

type Row = Omit<Capabilities, 'known' | 'vision' | 'pdf' | 'web_search' | 'web_search_tool'>;

const adaptive = (thinking_off: Capabilities['thinking_off'], efforts: readonly Effort[], default_effort: Effort, max_output_tokens = 128 * K, context_window = M): Row => ({
  thinking: 'adaptive',
  thinking_off,
  efforts,
  default_effort,
  web_search_tools: FILTERING,
  max_output_tokens,
  context_window,
});
const budget = (max_output_tokens: number, context_window = 200 * K, efforts: readonly Effort[] = []): Row => ({
  thinking: 'budget',
  thinking_off: 'omit',
  efforts,
  web_search_tools: BASIC,
  max_output_tokens,
  context_window,
});

/** For a model whose context window and output limit were not found: better unknown than wrong. */
function unsized(row: Row): Row {
  const { max_output_tokens: _out, context_window: _context, ...rest } = row;
  return rest;
}

const TABLE: Record<string, Row> = {
  // Thinking always on: `disabled` and budgets are 400s.
  'claude-fable-5-2': adaptive(null, ALL_EFFORTS, 'high'),
  'claude-fable-5-1': adaptive(null, ALL_EFFORTS, 'high'),
  'claude-fable-5': adaptive(null, ALL_EFFORTS, 'high'),
  'claude-mythos-5-2': adaptive(null, ALL_EFFORTS, 'high'),
  'claude-mythos-5-1': adaptive(null, ALL_EFFORTS, 'high'),
  'claude-mythos-5': adaptive(null, ALL_EFFORTS, 'high'),
  'claude-opus-5-5': adaptive(null, ALL_EFFORTS, 'medium'),
  'claude-mythos-preview': unsized(adaptive(null, NO_XHIGH, 'high')),
  // Think when `thinking` is left out; Sonnet 5.5 replaced `disabled` with `between_tools`.
  'claude-sonnet-5-5': adaptive('between_tools', ALL_EFFORTS, 'high'),
  // Haiku 5.5's effort levels above high are not documented yet: offer what is.
  'claude-haiku-5-5': adaptive('disabled', ['low', 'medium', 'high'], 'medium'),
  'claude-opus-5': adaptive('disabled', ALL_EFFORTS, 'high'),
  'claude-sonnet-5': adaptive('disabled', ALL_EFFORTS, 'high'),
  // Adaptive only (budgets are 400s on 4.7 and 4.8, deprecated on 4.6); no thinking unless asked.
  'claude-opus-4-8': adaptive('omit', ALL_EFFORTS, 'high'),
  'claude-opus-4-7': adaptive('omit', ALL_EFFORTS, 'high'),
  'claude-opus-4-6': adaptive('omit', NO_XHIGH, 'high'),
  'claude-sonnet-4-6': adaptive('omit', NO_XHIGH, 'high'),
  // Manual extended thinking with a token budget; Opus 4.5 also takes effort (low to high).
  'claude-opus-4-5': budget(64 * K, 200 * K, ['low', 'medium', 'high']),
  'claude-sonnet-4-5': budget(64 * K),
  'claude-haiku-4-5': budget(64 * K),
  'claude-opus-4-1': budget(32 * K),
};

export const UNKNOWN_MODEL: Readonly<Capabilities> = Object.freeze({
  known: false,
  thinking: 'none',
  thinking_off: 'omit',
  efforts: [],
  vision: true,
  pdf: true,
  web_search: true,
  web_search_tool: 'web_search_20250305',
  web_search_tools: BASIC,
});

/** Dated snapshots (`claude-haiku-4-5-20251001`) have their alias's capabilities. */
export function capabilitiesOf(model: string): Readonly<Capabilities> {
  const row = TABLE[model] ?? TABLE[model.replace(/-\d{8}$/, '')];
  if (!row) return UNKNOWN_MODEL;
  return { known: true, vision: true, pdf: true, web_search: true, web_search_tool: 'web_search_20250305', ...row };
}

/** The models the table knows, for tests and documentation. */
export const KNOWN_MODELS: readonly string[] = Object.keys(TABLE);
