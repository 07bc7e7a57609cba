/** The model list, asked of the API once per instance (the original asked twice per page load). */
import type { Llm } from './llm.js';
import { fallbackModels, type ModelInfo } from './models.js';

export class ModelDirectory {
  private fromApi: ModelInfo[] | undefined;

  async list(llm: Llm | undefined, refresh = false): Promise<{ models: ModelInfo[]; source: 'api' | 'fallback' }> {
    if (refresh || !this.fromApi) this.fromApi = (await llm?.models()) ?? this.fromApi;
    return this.fromApi ? { models: this.fromApi, source: 'api' } : { models: fallbackModels(), source: 'fallback' };
  }
}
