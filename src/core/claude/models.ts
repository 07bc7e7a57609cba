/** Models as the picker shows them: from GET /v1/models when reachable, else this dated list. */
import { z } from 'zod';
import { PRICES_AS_OF, Price, priceOf } from './prices.js';

export const FALLBACK_MODELS_AS_OF = '2026-10-31';

export const ModelInfo = z.object({
  id: z.string(),
  display_name: z.string(),
  /** USD per million tokens, with the date it was taken; null when unknown. */
  price: Price.extend({ as_of: z.string() }).nullable(),
});
export type ModelInfo = z.infer<typeof ModelInfo>;

const FALLBACK: [string, string][] = [
  ['claude-sonnet-5', 'Claude Sonnet 5'],
  ['claude-opus-5', 'Claude Opus 5'],
  ['claude-haiku-4-5', 'Claude Haiku 4.5'],
  ['claude-opus-4-8', 'Claude Opus 4.8'],
  ['claude-sonnet-4-6', 'Claude Sonnet 4.6'],
];

export const DEFAULT_MODEL = 'claude-sonnet-5';

export function modelInfo(id: string, displayName: string): ModelInfo {
  const price = priceOf(id);
  return { id, display_name: displayName, price: price ? { ...price, as_of: PRICES_AS_OF } : null };
}

export function fallbackModels(): ModelInfo[] {
  return FALLBACK.map(([id, name]) => modelInfo(id, name));
}
