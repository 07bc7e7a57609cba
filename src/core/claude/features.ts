/**
 * What a chat asks of Claude beyond text: extended thinking and web search, chosen per chat. The
 * chat stores the person's choice; how it becomes a request depends on the model (capabilities).
 */
import { z } from 'zod';

export const Effort = z.enum(['low', 'medium', 'high']);
export type Effort = z.infer<typeof Effort>;

export const ThinkingSetting = z.strictObject({ effort: Effort });
export type ThinkingSetting = z.infer<typeof ThinkingSetting>;

export const MAX_SEARCHES_PER_REQUEST = 10;
export const WebSearchSetting = z.strictObject({ max_uses: z.number().int().min(1).max(MAX_SEARCHES_PER_REQUEST) });
export type WebSearchSetting = z.infer<typeof WebSearchSetting>;

export interface ChatFeatures {
  thinking: ThinkingSetting | null;
  web_search: WebSearchSetting | null;
}
