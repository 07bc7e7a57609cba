/** Usage totals per chat, kept current on append so nothing re-reads the history. */
import type { NodeMeta } from '../dag/node.js';
import type { UsageTotals } from './record.js';
import { costOf, roundUsd } from '../claude/cost.js';

export function addUsage(totals: UsageTotals, meta: NodeMeta): UsageTotals {
  const u = meta.usage;
  if (!u) return totals;
  return {
    ...totals,
    input_tokens: totals.input_tokens + u.input_tokens,
    output_tokens: totals.output_tokens + u.output_tokens,
    cache_creation_input_tokens: totals.cache_creation_input_tokens + (u.cache_creation_input_tokens ?? 0),
    cache_read_input_tokens: totals.cache_read_input_tokens + (u.cache_read_input_tokens ?? 0),
    thinking_tokens: totals.thinking_tokens + (u.thinking_tokens ?? 0),
    web_search_requests: totals.web_search_requests + (u.web_search_requests ?? 0),
    ...priced(totals, meta.model ? costOf(meta.model, u) : undefined),
  };
}

/** A reply whose price is unknown is counted apart rather than guessed. */
function priced(totals: UsageTotals, cost: number | undefined): Pick<UsageTotals, 'cost_usd' | 'unpriced_messages'> {
  if (cost === undefined) return { cost_usd: totals.cost_usd, unpriced_messages: totals.unpriced_messages + 1 };
  return { cost_usd: roundUsd(totals.cost_usd + cost), unpriced_messages: totals.unpriced_messages };
}
