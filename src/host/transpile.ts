/**
 * jco transpile of the component, cached by the wasm's hash: transpiling takes ~2 s,
 * loading a cached copy a few milliseconds.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { deflateRawSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { DATA_APART, packDataSegments, splitDataSegments } from './data-segments.js';

export interface Transpiled {
  dir: string;
  imports: string[];
  exports: string[];
}

/**
 * Transpiled copies kept in one cache folder. Every development build adds one per component
 * (≈ 30 MB each): a checkout had gathered 100 of them, 2.8 GB. The least recently used go.
 */
export const KEEP_TRANSPILED = 8;

const HASH_DIR = /^[0-9a-f]{24}$/;

/** Removes all but the `keep` most recently used copies in `cache` (best effort: a copy in use elsewhere is simply transpiled again there). */
export async function pruneTranspiled(cache: string, keep = KEEP_TRANSPILED): Promise<void> {
  const names = (await readdir(cache).catch(() => [] as string[])).filter((name) => HASH_DIR.test(name));
  const used = await Promise.all(names.map(async (name) => ({ name, at: await stat(join(cache, name)).then((s) => s.mtimeMs, () => 0) })));
  used.sort((a, b) => b.at - a.at);
  for (const { name } of used.slice(keep)) await rm(join(cache, name), { recursive: true, force: true }).catch(() => undefined);
}

async function tryLoad(dir: string): Promise<Transpiled | undefined> {
  try {
    const meta = JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')) as Omit<Transpiled, 'dir'>;
    // Marks it used, so pruning keeps it.
    const now = new Date();
    await utimes(dir, now, now).catch(() => undefined);
    return { dir, ...meta };
  } catch {
    return undefined;
  }
}

/**
 * jco's glue calls its debug log several times per host call, and each call read
 * `process.env.JCO_DEBUG`, which Node answers from the C++ side every time: ≈ 4 % of the chat
 * actor's export time in a profile of 1,000 appends. Read once per instance instead.
 * Part of the cache key: a change here must not reuse glue transpiled before it.
 */
const GLUE_REWRITES = 'debug-flag-once/1 data-apart/4';
const DEBUG_FLAG_READ = '    if (!globalThis?.process?.env?.JCO_DEBUG) { return; }';
const DEBUG_LOG = `  const _debugLog = (...args) => {\n${DEBUG_FLAG_READ}\n`;

export function tuneGlue(js: string): string {
  if (!js.includes(DEBUG_LOG)) throw new Error('jco no longer generates the debug log this host rewrites (src/host/transpile.ts)');
  return js.replace(DEBUG_LOG, `  const _jcoDebug = !!globalThis?.process?.env?.JCO_DEBUG;\n  const _debugLog = (...args) => {\n    if (!_jcoDebug) { return; }\n`);
}

async function transpileInto(dir: string, wasm: Uint8Array): Promise<Transpiled> {
  const { transpile } = await import('@bytecodealliance/jco');
  const out = await transpile(wasm, { name: 'component', instantiation: 'async', quiet: true, noTypescript: true });
  const tmp = `${dir}.${process.pid}.tmp`;
  await rm(tmp, { recursive: true, force: true });
  for (const [name, bytes] of Object.entries(out.files)) {
    await mkdir(dirname(join(tmp, name)), { recursive: true });
    const apart = name.endsWith('.wasm') ? splitDataSegments(bytes) : undefined;
    if (apart) {
      await writeFile(join(tmp, name), apart.code);
      await writeFile(join(tmp, `${name}${DATA_APART}`), packDataSegments(apart.data, (bytes) => deflateRawSync(bytes)));
      continue;
    }
    await writeFile(join(tmp, name), name === 'component.js' ? tuneGlue(new TextDecoder().decode(bytes)) : bytes);
  }
  const meta = { imports: out.imports, exports: out.exports.map(([name]) => name) };
  await writeFile(join(tmp, 'meta.json'), JSON.stringify(meta));
  await writeFile(join(tmp, 'package.json'), '{"type":"module"}');
  await mkdir(dirname(dir), { recursive: true });
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  await pruneTranspiled(dirname(dir));
  return { dir, ...meta };
}

/** Next to the wasm when that folder is writable (a build), else in the temp folder (a read-only install). */
export async function transpiledFor(wasmPath: string): Promise<Transpiled> {
  // Hashed as a stream: reading the 26 MB component whole made the host start ~50 MB heavier.
  const hasher = createHash('sha256');
  for await (const chunk of createReadStream(wasmPath)) hasher.update(chunk as Buffer);
  hasher.update(GLUE_REWRITES);
  const hash = hasher.digest('hex').slice(0, 24);
  const candidates = [join(dirname(wasmPath), '.jco-cache', hash), join(tmpdir(), 'theater-chat-jco', hash)];
  for (const dir of candidates) {
    const cached = await tryLoad(dir);
    if (cached) return cached;
  }
  const wasm = new Uint8Array(await readFile(wasmPath));
  let lastError: unknown;
  for (const dir of candidates) {
    try {
      return await transpileInto(dir, wasm);
    } catch (e) {
      lastError = e;
    }
  }
  throw lastError;
}
