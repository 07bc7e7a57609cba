import { describe, expect, it } from 'vitest';
import type { OutputConfig, ToolUnion } from '@anthropic-ai/sdk/resources/messages/messages';
import { CAPABILITIES_AS_OF, KNOWN_MODELS, UNKNOWN_MODEL, WEB_SEARCH_PRICE, capabilitiesOf, type Effort, type WebSearchTool } from '../../src/core/claude/capabilities.js';
import { fallbackModels } from '../../src/core/claude/models.js';
import { priceOf } from '../../src/core/claude/prices.js';

// Compile-time: every effort and tool version the table names is one the SDK (1.14.0) sends.
type SdkEffort = NonNullable<OutputConfig['effort']>;
type SdkWebSearch = Extract<ToolUnion, { name: 'web_search' }>['type'];
const effortsAreSdk: Effort extends SdkEffort ? true : false = true;
const toolsAreSdk: WebSearchTool extends SdkWebSearch ? (SdkWebSearch extends WebSearchTool ? true : false) : false = true;

describe('capabilitiesOf', () => {
  it('knows every model the picker falls back to and every model with a price', () => {
    expect(effortsAreSdk && toolsAreSdk).toBe(true);
    for (const { id } of fallbackModels()) expect(capabilitiesOf(id).known, id).toBe(true);
    const priced = ['claude-opus-5-5', 'claude-sonnet-5-5', 'claude-haiku-5-5', 'claude-opus-5', 'claude-sonnet-5', 'claude-fable-5', 'claude-mythos-5', 'claude-opus-4-8', 'claude-opus-4-7', 'claude-opus-4-6', 'claude-sonnet-4-6', 'claude-opus-4-5', 'claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-1'];
    for (const id of priced) {
      expect(priceOf(id), id).toBeDefined();
      expect(capabilitiesOf(id).known, id).toBe(true);
    }
  });

  it('resolves a dated snapshot to its alias, as prices do', () => {
    expect(capabilitiesOf('claude-haiku-4-5-20251001')).toEqual(capabilitiesOf('claude-haiku-4-5'));
    expect(capabilitiesOf('claude-sonnet-4-5-20250929').thinking).toBe('budget');
    expect(capabilitiesOf('claude-opus-4-5-20251101').known).toBe(true);
  });

  it('offers adaptive thinking with effort on Sonnet 5, where a thinking budget is a 400', () => {
    const c = capabilitiesOf('claude-sonnet-5');
    expect(c).toMatchObject({ thinking: 'adaptive', thinking_off: 'disabled', default_effort: 'high', context_window: 1_000_000, max_output_tokens: 128_000 });
    expect(c.efforts).toEqual(['low', 'medium', 'high', 'xhigh', 'max']);
  });

  it('says how thinking is turned off, or that it cannot be', () => {
    expect(capabilitiesOf('claude-fable-5').thinking_off).toBeNull();
    expect(capabilitiesOf('claude-opus-5-5').thinking_off).toBeNull();
    expect(capabilitiesOf('claude-sonnet-5-5').thinking_off).toBe('between_tools');
    expect(capabilitiesOf('claude-opus-4-8').thinking_off).toBe('omit');
    expect(capabilitiesOf('claude-haiku-4-5').thinking_off).toBe('omit');
  });

  it('uses budgets on the 4.5 models and Opus 4.1, and effort only where the API takes it', () => {
    for (const id of ['claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-1']) expect(capabilitiesOf(id)).toMatchObject({ thinking: 'budget', efforts: [] });
    expect(capabilitiesOf('claude-opus-4-5').efforts).toEqual(['low', 'medium', 'high']);
    expect(capabilitiesOf('claude-opus-4-6').efforts).not.toContain('xhigh');
    expect(capabilitiesOf('claude-opus-4-7').efforts).toContain('xhigh');
  });

  it('sends the basic web search tool, which every model with web search accepts', () => {
    for (const id of KNOWN_MODELS) {
      const c = capabilitiesOf(id);
      expect(c.web_search_tool, id).toBe('web_search_20250305');
      expect(c.web_search_tools, id).toContain(c.web_search_tool);
    }
    expect(capabilitiesOf('claude-haiku-4-5').web_search_tools).toEqual(['web_search_20250305']);
    expect(capabilitiesOf('claude-sonnet-4-6').web_search_tools).toContain('web_search_20260209');
  });

  it('gives an unknown model no thinking, but images, PDFs and basic web search', () => {
    const c = capabilitiesOf('claude-someday-9');
    expect(c).toBe(UNKNOWN_MODEL);
    expect(c).toMatchObject({ known: false, thinking: 'none', efforts: [], vision: true, pdf: true, web_search: true, web_search_tool: 'web_search_20250305' });
    expect(c.context_window).toBeUndefined();
    expect(capabilitiesOf('claude-someday-9-20990101')).toBe(UNKNOWN_MODEL);
  });

  it('is dated, and prices a web search at $10 per 1,000', () => {
    expect(CAPABILITIES_AS_OF).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(WEB_SEARCH_PRICE.as_of).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(WEB_SEARCH_PRICE.usd_per_search * 1000).toBeCloseTo(10, 10);
  });
});
