/**
 * What one start of the actor is configured with: made from the init state at the start, written
 * to the store, and read back by any fresh component instance of the same start.
 */
import { z } from 'zod';
import type { Ports } from './ports.js';
import { AppError } from './errors.js';
import { openStore } from './store-meta.js';
import { InitConfig } from './config.js';
import { initialState, type CoreState } from './state.js';

/** Fixed for the life of one start: written to the store at the start, under SETTINGS_LABEL. */
export const Settings = z.object({
  /** Made at every start from host entropy and written into the page: another origin cannot read it. */
  session_token: z.string(),
  bind_host: z.string(),
  allowed_origins: z.array(z.string()),
  allowed_hosts: z.array(z.string()).default([]),
  /** Served over TLS by the server itself: cookies are marked Secure. */
  tls: z.boolean().default(false),
  limits: z.object({ max_content_bytes: z.number().int().positive(), max_tokens: z.number().int().positive() }),
  attachment_limits: InitConfig.shape.attachment_limits,
  anthropic_base_url: z.string().optional(),
  generation_timeout_ms: z.number().int().positive(),
  generator_manifest: z.string(),
});
export type Settings = z.infer<typeof Settings>;

export function startup(ports: Ports, config: InitConfig): { state: CoreState; settings: Settings } {
  openStore(ports, config.store_id);
  const settings: Settings = {
    // A host-made UUID v4: 122 random bits (the page carries it, so every byte counts on c50's chain).
    session_token: ports.entropy.uuid().replace(/-/g, '').toLowerCase(),
    bind_host: config.host,
    allowed_origins: config.allowed_origins,
    allowed_hosts: config.allowed_hosts.map((h) => h.toLowerCase()),
    tls: config.tls !== undefined,
    limits: { max_content_bytes: config.max_content_bytes, max_tokens: config.max_tokens },
    attachment_limits: config.attachment_limits,
    ...(config.anthropic_base_url ? { anthropic_base_url: config.anthropic_base_url } : {}),
    generation_timeout_ms: config.generation_timeout_ms,
    generator_manifest: config.generator_manifest,
  };
  ports.labels.write(SETTINGS_LABEL, JSON.stringify(settings));
  return { state: initialState(config.store_id), settings };
}

/** Where this start's settings live: one actor serves one store, and each start replaces them. */
const SETTINGS_LABEL = 'actor/settings';

/** This start's settings, read back from the store by a fresh component instance. */
export function loadSettings(ports: Ports): Settings {
  const ref = ports.labels.get(SETTINGS_LABEL);
  if (!ref) throw new AppError('internal', 'this start\'s settings are missing from the store');
  return Settings.parse(JSON.parse(new TextDecoder().decode(ports.content.get(ref))));
}

