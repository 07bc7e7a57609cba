/** Usage totals per chat, kept current on append so nothing re-reads the history. */
import type { NodeMeta } from '../dag/node.js';
import type { UsageTotals } from './record.js';

export function addUsage(totals: UsageTotals, meta: NodeMeta): UsageTotals {
  const u = meta.usage;
  if (!u) return totals;
  return {
    ...totals,
    input_tokens: totals.input_tokens + u.input_tokens,
    output_tokens: totals.output_tokens + u.output_tokens,
    cache_creation_input_tokens: totals.cache_creation_input_tokens + (u.cache_creation_input_tokens ?? 0),
    cache_read_input_tokens: totals.cache_read_input_tokens + (u.cache_read_input_tokens ?? 0),
  };
}
