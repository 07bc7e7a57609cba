/**
 * jco transpile of the component, cached by the wasm's hash: transpiling takes ~2 s,
 * loading a cached copy a few milliseconds.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

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

async function transpileInto(dir: string, wasm: Uint8Array): Promise<Transpiled> {
  const { transpile } = await import('@bytecodealliance/jco');
  const out = await transpile(wasm, { name: 'component', instantiation: 'async', quiet: true, noTypescript: true });
  const tmp = `${dir}.${process.pid}.tmp`;
  await rm(tmp, { recursive: true, force: true });
  for (const [name, bytes] of Object.entries(out.files)) {
    await mkdir(dirname(join(tmp, name)), { recursive: true });
    await writeFile(join(tmp, name), bytes);
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
