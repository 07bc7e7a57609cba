/** Finding things: full-text search over every message, and the models Claude offers. */
import { AppError } from '../errors.js';
import { PRICES_AS_OF } from '../claude/prices.js';
import type { ModelInfo } from '../claude/models.js';
import type { SearchHit } from '../search/index.js';
import type { OpDeps } from './deps.js';

export async function search(d: OpDeps, query: string, limit?: number): Promise<{ results: SearchHit[]; more: boolean }> {
  if (!d.search) throw new AppError('internal', 'search is not available on this host');
  return d.search.search(d.chats, query, limit);
}

export async function listModels(d: OpDeps, refresh?: boolean): Promise<{ models: ModelInfo[]; source: 'api' | 'fallback'; prices_as_of: string }> {
  const { models, source } = await d.models.list(d.llm, refresh);
  return { models, source, prices_as_of: PRICES_AS_OF };
}
