/**
 * actor.toml in Theater c50b1871's format (theater-c50.md §3.4): `name`, `version`, `component`,
 * optional `init_state` (a JSON file), and `[[handler]]` tables with flat keys.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { z } from 'zod';

const HANDLER_TYPES = [
  'message-server', 'filesystem', 'http-client', 'http-framework', 'runtime', 'supervisor', 'store',
  'timing', 'process', 'environment', 'random', 'wasi-http', 'replay',
] as const;

const Handler = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('filesystem'),
    path: z.string().min(1).optional(),
    new_dir: z.boolean().optional(),
    allowed_commands: z.array(z.string()).optional(),
  }).refine((h) => h.path !== undefined || h.new_dir === true, {
    message: 'a filesystem handler needs `path` or `new_dir = true` (without either, Theater c50 panics)',
  }),
  z.object({
    type: z.literal('environment'),
    allowed_vars: z.array(z.string()).optional(),
    denied_vars: z.array(z.string()).optional(),
    allow_list_all: z.boolean().optional(),
    allowed_prefixes: z.array(z.string()).optional(),
  }),
  ...HANDLER_TYPES.filter((t) => t !== 'filesystem' && t !== 'environment').map((t) => z.looseObject({ type: z.literal(t) })),
]);

export const Manifest = z.object({
  name: z.string().min(1),
  version: z.string().min(1),
  component: z.string().min(1),
  description: z.string().optional(),
  init_state: z.string().min(1).optional(),
  save_chain: z.boolean().optional(),
  handler: z.array(Handler).default([]),
});
export type Manifest = z.infer<typeof Manifest>;

export interface LoadedManifest {
  manifest: Manifest;
  /** The folder relative paths resolve against on this host (Theater: the server's cwd). */
  baseDir: string;
  componentPath: string;
  initState: Record<string, unknown> | undefined;
  filesystemBase: string | undefined;
  allowedEnv: string[];
}

export function resolveFrom(baseDir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

export function parseManifest(text: string, path = 'actor.toml'): Manifest {
  let raw: unknown;
  try {
    raw = parseToml(text);
  } catch (e) {
    throw new Error(`${path}: not valid TOML: ${(e as Error).message}`);
  }
  const parsed = Manifest.safeParse(raw);
  if (!parsed.success) throw new Error(`${path}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export function loadManifest(path: string): LoadedManifest {
  return manifestFromText(parseManifest(readFileSync(path, 'utf8'), path), dirname(resolve(path)));
}

/** A parsed manifest with its paths resolved against `baseDir` and its init state read. */
export function manifestFromText(manifest: Manifest, baseDir: string): LoadedManifest {
  let initState: Record<string, unknown> | undefined;
  if (manifest.init_state) {
    const file = resolveFrom(baseDir, manifest.init_state);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new Error(`init_state ${file}: must be a readable JSON file (${(e as Error).message})`);
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error(`init_state ${file}: must be a JSON object`);
    initState = json as Record<string, unknown>;
  }
  const fs = manifest.handler.find((h) => h.type === 'filesystem') as { path?: string } | undefined;
  const env = manifest.handler.find((h) => h.type === 'environment') as { allowed_vars?: string[] } | undefined;
  return {
    manifest,
    baseDir,
    componentPath: resolveFrom(baseDir, manifest.component),
    initState,
    filesystemBase: fs?.path ? resolveFrom(baseDir, fs.path) : undefined,
    allowedEnv: env?.allowed_vars ?? [],
  };
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/** As Theater hands it over: shallow merge (overrides win), compact JSON, keys sorted (serde_json without preserve_order). */
export function initStateBytes(base: Record<string, unknown> | undefined, overrides: Record<string, unknown>): Uint8Array | undefined {
  if (!base && Object.keys(overrides).length === 0) return undefined;
  return new TextEncoder().encode(JSON.stringify(sortKeys({ ...base, ...overrides })));
}
