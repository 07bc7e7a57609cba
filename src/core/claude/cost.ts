/** Cost of one reply from its usage, counting cache writes and reads at their own rates. */
import type { Usage } from '../dag/node.js';
import { priceOf } from './prices.js';
import { WEB_SEARCH_PRICE } from './capabilities.js';

/**
 * Dollars to a ten-billionth: prices per million tokens leave binary fractions such as
 * 0.00009340000000000001, which people see in exports and the API.
 */
export const roundUsd = (usd: number): number => Math.round(usd * 1e10) / 1e10;

/** USD, or undefined when the model's price is not known. Thinking is billed as the output it is part of. */
export function costOf(model: string, usage: Usage): number | undefined {
  const p = priceOf(model);
  if (!p) return undefined;
  const micro =
    usage.input_tokens * p.input +
    usage.output_tokens * p.output +
    (usage.cache_creation_input_tokens ?? 0) * p.cache_write +
    (usage.cache_read_input_tokens ?? 0) * p.cache_read;
  return roundUsd(micro / 1_000_000 + (usage.web_search_requests ?? 0) * WEB_SEARCH_PRICE.usd_per_search);
}
