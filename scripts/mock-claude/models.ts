/**
 * The mock's models as `GET /v1/models` lists them, with the `capabilities` the real list carries
 * (SDK 1.14.0 `ModelInfo`), so an app can offer thinking, effort and web search only where the
 * model has them. The request checks read the same table, so the list and the 400s never disagree.
 * One model lists no capabilities (`null`), as the real list may: the app then needs its own table.
 */
import type Anthropic from '@anthropic-ai/sdk';

const on = { supported: true };
const off = { supported: false };
const flag = (b: boolean) => (b ? on : off);

function capabilities(o: { enabled: boolean; adaptive: boolean; effort: boolean }): Anthropic.ModelCapabilities {
  return {
    batch: on,
    citations: on,
    code_execution: off,
    context_management: { clear_thinking_20251015: off, clear_tool_uses_20250919: off, compact_20260112: off, supported: false },
    effort: { supported: o.effort, low: flag(o.effort), medium: flag(o.effort), high: flag(o.effort), xhigh: flag(o.effort), max: flag(o.effort) },
    image_input: on,
    pdf_input: on,
    server_tools: { supported: true, code_execution: off, web_search: on },
    structured_outputs: on,
    thinking: { supported: o.enabled || o.adaptive, types: { adaptive: flag(o.adaptive), between_tools: off, disabled: on, enabled: flag(o.enabled) } },
  };
}

const model = (m: Pick<Anthropic.ModelInfo, 'id' | 'display_name' | 'created_at' | 'capabilities' | 'line' | 'max_input_tokens' | 'max_tokens'>): Anthropic.ModelInfo => ({
  type: 'model',
  deprecated_at: null,
  lifecycle: 'active',
  retires_at: null,
  ...m,
});

/**
 * Sonnet 5 takes adaptive thinking only (manual `budget_tokens` is a 400 there, per the docs
 * snapshot in shared/docs/anthropic-api.md); Haiku 4.5 takes manual thinking only and no effort.
 * Opus 5 taking both is the mock's choice: the docs snapshot does not say.
 */
export const MOCK_MODELS: Anthropic.ModelInfo[] = [
  model({ id: 'claude-sonnet-5', display_name: 'Claude Sonnet 5', created_at: '2026-06-30T00:00:00Z', line: 'sonnet', max_input_tokens: 1_000_000, max_tokens: 64_000, capabilities: capabilities({ enabled: false, adaptive: true, effort: true }) }),
  model({ id: 'claude-opus-5', display_name: 'Claude Opus 5', created_at: '2026-07-24T00:00:00Z', line: 'opus', max_input_tokens: 1_000_000, max_tokens: 128_000, capabilities: capabilities({ enabled: true, adaptive: true, effort: true }) }),
  model({ id: 'claude-haiku-4-5', display_name: 'Claude Haiku 4.5', created_at: '2025-10-01T00:00:00Z', line: 'haiku', max_input_tokens: 200_000, max_tokens: 64_000, capabilities: capabilities({ enabled: true, adaptive: false, effort: false }) }),
  model({ id: 'claude-mock-unpriced', display_name: 'Mock model without a price', created_at: '2026-01-01T00:00:00Z', line: null, max_input_tokens: null, max_tokens: null, capabilities: null }),
];

export const modelInfo = (id: string) => MOCK_MODELS.find((m) => m.id === id);

/** "600 (100 for models with a 200k-token context window)": PDF support docs, snapshot of 2026-10. */
export const pdfPageLimit = (info: Anthropic.ModelInfo | undefined) => ((info?.max_input_tokens ?? 0) >= 1_000_000 ? 600 : 100);
