/**
 * The request fields around the messages: `thinking` (enabled with a budget, adaptive, disabled),
 * `output_config.effort`, and `tools` (a web search tool is what the mock acts on). Each is checked
 * as the API checks it, and against the model's capabilities in the mock's model list.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import { CacheControl, invalid, parseAt, tagOf } from './schema.js';

export interface Thinking {
  type: 'enabled' | 'adaptive';
  budget_tokens?: number;
  display?: 'summarized' | 'omitted';
}

const Display = z.enum(['summarized', 'omitted']).nullable().optional();
const THINKING = {
  enabled: z.object({ type: z.literal('enabled'), budget_tokens: z.number().int().min(1024), display: Display }).loose(),
  adaptive: z.object({ type: z.literal('adaptive'), display: Display }).loose(),
  disabled: z.object({ type: z.literal('disabled') }).loose(),
  between_tools: z.object({ type: z.literal('between_tools') }).loose(),
};

export function thinkingConfig(value: unknown, maxTokens: number, info: Anthropic.ModelInfo | undefined): Thinking | undefined {
  if (value === undefined || value === null) return undefined;
  const type = tagOf(value, 'thinking', Object.keys(THINKING)) as keyof typeof THINKING;
  const parsed = parseAt(THINKING[type], value, `thinking.${type}`);
  const budget = parsed.type === 'enabled' ? parsed.budget_tokens : undefined;
  if (budget !== undefined && maxTokens <= budget) {
    throw invalid('`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size');
  }
  if (info?.capabilities && !info.capabilities.thinking.types[type].supported) throw invalid(`thinking.type: '${type}' thinking is not supported by ${info.id} (see capabilities.thinking.types in GET /v1/models)`);
  if (parsed.type !== 'enabled' && parsed.type !== 'adaptive') return undefined;
  const display = 'display' in parsed ? (parsed.display ?? undefined) : undefined;
  return { type: parsed.type, ...(budget !== undefined ? { budget_tokens: budget } : {}), ...(display ? { display } : {}) };
}

const EFFORTS = ['low', 'medium', 'high', 'xhigh', 'max'] as const;
const OutputConfig = z
  .object({
    effort: z.enum(EFFORTS).nullable().optional(),
    format: z.object({ type: z.literal('json_schema'), schema: z.record(z.string(), z.unknown()) }).loose().nullable().optional(),
  })
  .loose();

export function effortOf(value: unknown, info: Anthropic.ModelInfo | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  const effort = parseAt(OutputConfig, value, 'output_config').effort ?? undefined;
  if (effort && info?.capabilities && !info.capabilities.effort[effort]?.supported) throw invalid(`output_config.effort: effort is not supported by ${info.id} (see capabilities.effort in GET /v1/models)`);
  return effort;
}

const WEB_SEARCH = ['web_search_20250305', 'web_search_20260209', 'web_search_20260318'];
/** The `type` tags of `ToolUnion` (SDK 1.14.0); a client tool may leave `type` out. */
const TOOL_TAGS = [
  'custom',
  'bash_20250124',
  'code_execution_20250522',
  'code_execution_20250825',
  'code_execution_20260120',
  'code_execution_20260521',
  'browser_toolset_20260801',
  'memory_20250818',
  'computer_toolset_20260801',
  'text_editor_20250124',
  'text_editor_20250429',
  'text_editor_20250728',
  ...WEB_SEARCH,
  'web_fetch_20250910',
  'web_fetch_20260209',
  'web_fetch_20260309',
  'web_fetch_20260318',
  'tool_search_tool_bm25_20251119',
  'tool_search_tool_bm25',
  'tool_search_tool_regex_20251119',
  'tool_search_tool_regex',
];

const WebSearchTool = z
  .object({
    name: z.literal('web_search'),
    max_uses: z.number().int().min(1).nullable().optional(),
    allowed_domains: z.array(z.string()).nullable().optional(),
    blocked_domains: z.array(z.string()).nullable().optional(),
    cache_control: CacheControl,
  })
  .loose();
const CustomTool = z.object({ name: z.string().min(1), input_schema: z.record(z.string(), z.unknown()), cache_control: CacheControl }).loose();
const OtherTool = z.object({ cache_control: CacheControl }).loose();

export interface Tools {
  types: string[];
  webSearch?: { type: string; max_uses?: number };
  breakpoints: number;
}

export function toolsOf(value: unknown): Tools {
  const tools: Tools = { types: [], breakpoints: 0 };
  if (value === undefined || value === null) return tools;
  const list = parseAt(z.array(z.unknown()), value, 'tools');
  const names = new Set<string>();
  for (const [i, tool] of list.entries()) {
    const hasType = typeof tool === 'object' && tool !== null && (tool as { type?: unknown }).type != null;
    const type = hasType ? tagOf(tool, `tools.${i}`, TOOL_TAGS) : 'custom';
    const loc = `tools.${i}.${type}`;
    const parsed = parseAt(WEB_SEARCH.includes(type) ? WebSearchTool : type === 'custom' ? CustomTool : OtherTool, tool, loc);
    if (parsed.cache_control != null) tools.breakpoints++;
    const name = typeof parsed.name === 'string' ? parsed.name : type;
    if (names.has(name)) throw invalid('tools: Tool names must be unique.');
    names.add(name);
    tools.types.push(type);
    if (WEB_SEARCH.includes(type)) {
      if (parsed.allowed_domains && parsed.blocked_domains) throw invalid(`${loc}: Cannot specify both allowed_domains and blocked_domains.`);
      tools.webSearch = { type, ...(typeof parsed.max_uses === 'number' ? { max_uses: parsed.max_uses } : {}) };
    }
  }
  return tools;
}
