/** The model list, asked of the API once per instance (the original asked twice per page load). */
import type { Llm } from './llm.js';
import { fallbackModels, modelInfo, type ListedModel, type ModelInfo } from './models.js';
import { capabilitiesOf, type Capabilities } from './capabilities.js';

export class ModelDirectory {
  private fromApi: ListedModel[] | undefined;

  async list(llm: Llm | undefined, refresh = false): Promise<{ models: ModelInfo[]; source: 'api' | 'fallback' }> {
    if (refresh || !this.fromApi) this.fromApi = (await llm?.models()) ?? this.fromApi;
    if (!this.fromApi) return { models: fallbackModels(), source: 'fallback' };
    return { models: this.fromApi.map((m) => modelInfo(m.id, m.display_name, m.capabilities)), source: 'api' };
  }

  /** What a request to this model may ask: the API's list where this instance has read it, else the dated table. */
  capabilitiesOf(model: string): Readonly<Capabilities> {
    return this.fromApi?.find((m) => m.id === model)?.capabilities ?? capabilitiesOf(model);
  }
}
