/**
 * What GET /v1/models says a model can do (its `capabilities`, SDK 1.14), laid over the dated
 * table: where the API answers, it wins; where it is silent (no capabilities, or a key it does not
 * send), the table decides. Only what the app acts on is read.
 */
import { z } from 'zod';
import type { Capabilities, Effort } from './capabilities.js';

const Support = z.object({ supported: z.boolean() }).loose();

export const ApiCapabilities = z
  .object({
    thinking: z
      .object({ supported: z.boolean().optional(), types: z.object({ adaptive: Support, enabled: Support, disabled: Support, between_tools: Support }).partial().optional() })
      .loose()
      .optional(),
    effort: z.object({ supported: z.boolean() }).catchall(z.unknown()).optional(),
    server_tools: z.object({ web_search: Support.optional() }).loose().optional(),
    image_input: Support.optional(),
    pdf_input: Support.optional(),
  })
  .loose();
export type ApiCapabilities = z.infer<typeof ApiCapabilities>;

const EFFORTS: readonly Effort[] = ['low', 'medium', 'high', 'xhigh', 'max'];

export function withApiCapabilities(table: Readonly<Capabilities>, api: ApiCapabilities | null | undefined): Readonly<Capabilities> {
  if (!api) return table;
  const out: Capabilities = { ...table };
  const types = api.thinking?.types;
  if (types) {
    out.thinking = types.adaptive?.supported ? 'adaptive' : types.enabled?.supported ? 'budget' : 'none';
    // How to say "off" is the table's knowledge when it has the model; else what the API offers.
    if (!table.known) out.thinking_off = types.disabled?.supported ? 'disabled' : 'omit';
  }
  if (api.effort) {
    const listed = api.effort as Record<string, unknown>;
    out.efforts = api.effort.supported ? EFFORTS.filter((e) => Support.safeParse(listed[e]).data?.supported) : [];
  }
  if (api.server_tools?.web_search) out.web_search = api.server_tools.web_search.supported;
  if (api.image_input) out.vision = api.image_input.supported;
  if (api.pdf_input) out.pdf = api.pdf_input.supported;
  return out;
}
