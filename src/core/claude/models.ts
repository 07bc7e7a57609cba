/** Models as the picker shows them: from GET /v1/models when reachable, else this dated list. */
import { z } from 'zod';
import { PRICES_AS_OF, Price, priceOf } from './prices.js';
import { capabilitiesOf, type Capabilities } from './capabilities.js';

export const FALLBACK_MODELS_AS_OF = '2026-10-31';

export const ModelInfo = z.object({
  id: z.string(),
  display_name: z.string(),
  /** USD per million tokens, with the date it was taken; null when unknown. */
  price: Price.extend({ as_of: z.string() }).nullable(),
  /** What the picker may offer for it (capabilities.ts, dated). */
  capabilities: z.object({
    thinking: z.boolean(),
    /** Thinks whatever the chat says: thinking cannot be turned off. */
    thinking_always: z.boolean(),
    web_search: z.boolean(),
    vision: z.boolean(),
    pdf: z.boolean(),
  }),
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

/** A model as the API listed it, with what it can do (the API's word over the table's). */
export interface ListedModel {
  id: string;
  display_name: string;
  capabilities: Readonly<Capabilities>;
}

export function modelInfo(id: string, displayName: string, caps: Readonly<Capabilities> = capabilitiesOf(id)): ModelInfo {
  const price = priceOf(id);
  const capabilities = { thinking: caps.thinking !== 'none', thinking_always: caps.thinking_off === null, web_search: caps.web_search, vision: caps.vision, pdf: caps.pdf };
  return { id, display_name: displayName, price: price ? { ...price, as_of: PRICES_AS_OF } : null, capabilities };
}

export function fallbackModels(): ModelInfo[] {
  return FALLBACK.map(([id, name]) => modelInfo(id, name));
}
