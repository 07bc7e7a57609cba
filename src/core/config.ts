import { z } from 'zod';
import { AttachmentCaps } from './claude/attachments.js';

/**
 * The actor's init state (Theater passes the manifest's init_state JSON, keys sorted).
 * Every field has a default so an empty or missing init state still starts a working chat.
 */
/** The store an init state that names none uses. */
export const DEFAULT_STORE_ID = 'theater-chat';

export const InitConfig = z.object({
  host: z.string().min(1).max(253).regex(/^[^\s]+$/, 'host must not contain spaces').default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(8084),
  /** Theater store ids are any string; a fixed one reopens the same store on every start. */
  store_id: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'store_id: letters, digits, ".", "_" or "-", at most 128')
    .default(DEFAULT_STORE_ID),
  /** Largest message, system prompt or imported text accepted, in bytes of UTF-8. */
  max_content_bytes: z.number().int().min(1024).max(16 * 1024 * 1024).default(1024 * 1024),
  /** Most tokens a reply may have (the API's max_tokens). */
  max_tokens: z.number().int().min(1).max(128_000).default(8192),
  /** A generation running longer is stopped by the client and recorded as a timeout. */
  generation_timeout_ms: z.number().int().min(1000).max(3_600_000).default(180_000),
  /**
   * The manifest of the generator actors (generator.toml, docs/child-actors.md). A path is read by
   * Theater relative to its server's working directory (the Node host: relative to actor.toml).
   * Empty: generate inside this actor instead, blocking it meanwhile.
   */
  generator_manifest: z.string().max(4096).default('generator.toml'),
  /** Where the Claude API is; ANTHROPIC_BASE_URL in the environment wins. */
  anthropic_base_url: z.url().optional(),
  /**
   * Lower caps on attached files than the API's own (docs/claude-features.md), e.g. bytes per
   * image, PDF or text file, pages per PDF. A cap above the API's limit is ignored.
   */
  attachment_limits: AttachmentCaps.default({}),
  /** Extra browser origins (scheme://host:port) allowed to change chats over HTTP. */
  allowed_origins: z.array(z.url()).max(32).default([]),
  /**
   * Serve HTTPS: c50's http-framework takes the PEM certificate and key paths when it creates the
   * server (read by Theater relative to its working directory). Session cookies are then Secure.
   */
  tls: z.object({ cert_path: z.string().min(1).max(4096), key_path: z.string().min(1).max(4096) }).optional(),
  /**
   * The names (without port) this server answers to besides loopback names and IP addresses, e.g.
   * "chat.example.org": any other Host is refused, whatever the bind address (DNS rebinding).
   */
  allowed_hosts: z
    .array(z.string().regex(/^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/, 'allowed_hosts: a host name without scheme or port'))
    .max(32)
    .default([]),
});
export type InitConfig = z.infer<typeof InitConfig>;

export interface ParsedConfig {
  config: InitConfig;
  /** Set when the given init state was unusable and defaults were taken instead. */
  problem?: string;
}

/** Never fails: an export must not return Err, so bad config falls back to defaults and says why. */
export function parseInitConfig(bytes: Uint8Array | undefined): ParsedConfig {
  const defaults = InitConfig.parse({});
  if (!bytes || bytes.length === 0) return { config: defaults };
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return { config: defaults, problem: 'init state is not valid JSON; using defaults' };
  }
  const parsed = InitConfig.safeParse(json ?? {});
  if (parsed.success) return { config: parsed.data };
  return { config: defaults, problem: `init state rejected (${z.prettifyError(parsed.error)}); using defaults` };
}
