#!/usr/bin/env node
// Builds everything the app runs from: the UI (dist/assets), the chat actor's component
// (dist/chat.wasm), the generator's component (dist/generator.wasm), and the Node host (dist/host). `--if-stale` skips the build when every output is newer than its inputs.
import { build } from 'rolldown';
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tuneBindings } from './tune-bindings.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const INPUTS = ['src', 'wit', 'scripts/build.mjs', 'scripts/mock-claude', 'package-lock.json', 'package.json'];
const OUTPUTS = ['dist/chat.wasm', 'dist/generator.wasm', 'dist/host/cli.js', 'dist/host/worker.js', 'dist/assets/index.html', 'dist/mock-claude.js'];

async function newestMtime(path) {
  const info = await stat(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of await readdir(path)) newest = Math.max(newest, await newestMtime(join(path, entry)));
  return newest;
}

async function isStale() {
  let oldestOutput = Infinity;
  for (const out of OUTPUTS) {
    try {
      oldestOutput = Math.min(oldestOutput, (await stat(join(root, out))).mtimeMs);
    } catch {
      return true;
    }
  }
  for (const input of INPUTS) {
    try {
      if ((await newestMtime(join(root, input))) > oldestOutput) return true;
    } catch {
      // An optional input (e.g. no lock file yet) is simply absent.
    }
  }
  return false;
}

const CONTENT_TYPES = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.html': 'text/html; charset=utf-8', '.svg': 'image/svg+xml' };
const contentType = (name) => CONTENT_TYPES[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream';
const shortHash = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 12);

async function buildUi() {
  const out = join(dist, 'assets');
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const result = await build({
    input: join(root, 'src/ui/main.tsx'),
    platform: 'browser',
    write: false,
    output: { format: 'esm', minify: true, entryFileNames: 'app-[hash].js' },
  });
  const files = {};
  for (const chunk of result.output) {
    const body = chunk.type === 'chunk' ? chunk.code : chunk.source;
    files[chunk.fileName] = body;
  }
  const script = Object.keys(files).find((f) => f.startsWith('app-'));
  // One stylesheet, kept in files of a readable size: style.css first, then the others by name.
  const sheets = ['style.css', ...(await readdir(join(root, 'src/ui'))).filter((f) => f.endsWith('.css') && f !== 'style.css').sort()];
  const css = (await Promise.all(sheets.map((f) => readFile(join(root, 'src/ui', f), 'utf8')))).join('\n');
  const style = `app-${shortHash(css)}.css`;
  files[style] = css;
  files['favicon.svg'] = await readFile(join(root, 'src/ui/favicon.svg'), 'utf8');
  // Every byte of the page stays in the chat actor's chain on Theater, about ten times over (a
  // warm browser asks for nothing else): the line breaks go.
  const html = (await readFile(join(root, 'src/ui/index.html'), 'utf8'))
    .replace('%STYLE%', style)
    .replace('%SCRIPT%', script)
    .replace(/>\s+</g, '><')
    .trim();
  files['index.html'] = html;
  for (const [name, body] of Object.entries(files)) await writeFile(join(out, name), body);
  return files;
}

/** The assets become a module of the actor, so the component serves them with no folder on Theater. */
async function writeAssetModule(files) {
  const entries = Object.entries(files).map(([name, body]) => {
    // Gzipped once here, served to browsers that accept it: a third of the bytes in c50's chain.
    const gzip = name === 'index.html' ? undefined : gzipSync(String(body), { level: 9 });
    const gz = gzip ? `, gzip: bytes(${JSON.stringify(gzip.toString('base64'))})` : '';
    return `  ${JSON.stringify(name)}: { contentType: ${JSON.stringify(contentType(name))}, body: enc.encode(${JSON.stringify(String(body))})${gz} },`;
  });
  const module = `const enc = new TextEncoder();\nconst bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));\nexport default Object.freeze({\n${entries.join('\n')}\n});\n`;
  const path = join(dist, 'build/assets.js');
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, module);
  return path;
}

/**
 * StarlingMonkey's regular expressions have no Unicode property classes (\p{…}), and a regex
 * literal that uses one is a syntax error for the whole bundle. MiniSearch declares one for its
 * default tokenizer, which src/core/search/index.ts never uses (it passes its own `tokenize`);
 * a plain whitespace pattern in its place lets the module parse.
 */
const noUnicodePropertyClasses = {
  name: 'no-unicode-property-classes',
  transform(code, id) {
    if (!id.includes('minisearch')) return null;
    const patched = code.replace('/[\\n\\r\\p{Z}\\p{P}]+/u', '/[\\n\\r\\s]+/u');
    if (patched === code) this.error('MiniSearch no longer declares the pattern this build replaces: check src/core/search');
    return patched;
  },
};

/** One component: bundle its entry into one file, then componentize it against its world. `wasm` is under dist/. */
export async function buildComponent({ entry, world, wasm, bundleName = world, alias = {}, plugins = [] }) {
  const bundle = join(dist, 'build', `${bundleName}.js`);
  await build({
    plugins,
    input: join(root, entry),
    platform: 'browser',
    external: [/^theater:simple\//],
    // src/actor/theater.ts names every WIT import of both components; an unused one must vanish,
    // or the generator would import http-framework (its end would stop every server on c50).
    treeshake: { moduleSideEffects: [{ test: /^theater:simple\//, external: true, sideEffects: false }] },
    resolve: { alias, aliasFields: [['browser']], conditionNames: ['browser', 'import', 'default'] },
    // The SDK imports some modules lazily; the component needs one file. SpiderMonkey keeps the
    // whole source in the component's memory snapshot, as UTF-16 once one character is not Latin-1:
    // no comments, no indentation and ASCII only take 1.0 MB (chat) and 1.4 MB (generator) off the
    // snapshot each instance starts with. Names stay, for the stack traces in the log.
    output: { file: bundle, format: 'esm', codeSplitting: false, minify: { compress: false, mangle: false, codegen: { removeWhitespace: true, asciiOnly: true } } },
    logLevel: 'warn',
  });
  const { componentize } = await import('@bytecodealliance/componentize-js');
  await tuneGeneratedBindings();
  const { component } = await componentize({
    sourcePath: bundle,
    witPath: join(root, 'wit'),
    worldName: world,
    // Theater links no WASI a componentize-js actor could use (theater-c50.md §2.3).
    disableFeatures: ['stdio', 'random', 'clocks', 'http', 'fetch-event'],
  });
  await mkdir(dirname(join(dist, wasm)), { recursive: true });
  await writeFile(join(dist, wasm), component);
  return component;
}

/** componentize-js asks its splicer for the component's bindings; the build rewrites them on the way (scripts/tune-bindings.mjs). */
async function tuneGeneratedBindings() {
  if (process.env.UNTUNED_BINDINGS) return;
  // The package exports only its entry; this is the module that entry imports, so the same instance.
  const { splicer } = await import(new URL('../lib/spidermonkey-embedding-splicer.js', import.meta.resolve('@bytecodealliance/componentize-js')).href);
  if (splicer.spliceBindings.tuned) return;
  const splice = splicer.spliceBindings;
  const tuned = (...args) => {
    const result = splice(...args);
    return { ...result, jsBindings: tuneBindings(result.jsBindings) };
  };
  tuned.tuned = true;
  splicer.spliceBindings = tuned;
}

function buildActor(assetModule) {
  return buildComponent({ entry: 'src/actor/index.ts', world: 'chat-actor', wasm: 'chat.wasm', alias: { 'virtual:assets': assetModule }, plugins: [noUnicodePropertyClasses] });
}

function buildGenerator() {
  return buildComponent({ entry: 'src/actor/generator.ts', world: 'generator', wasm: 'generator.wasm' });
}

async function buildHost() {
  await build({
    input: { cli: join(root, 'src/host/cli.ts'), worker: join(root, 'src/host/worker.ts') },
    platform: 'node',
    external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith(root),
    output: { dir: join(dist, 'host'), format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
    logLevel: 'warn',
  });
}

/** The mock Claude API as a plain script, for `npm run demo` and for poking at by hand. */
async function buildMock() {
  await build({
    input: join(root, 'scripts/mock-claude/cli.ts'),
    platform: 'node',
    external: (id) => id.startsWith('node:'),
    output: { file: join(dist, 'mock-claude.js'), format: 'esm' },
    logLevel: 'warn',
  });
}

async function main() {
  if (process.argv.includes('--if-stale') && !(await isStale())) return;
  const started = Date.now();
  await mkdir(dist, { recursive: true });
  const files = await buildUi();
  await buildHost();
  await buildMock();
  const component = await buildActor(await writeAssetModule(files));
  const generator = await buildGenerator();
  // Warm the transpile cache so the first `npm start` after a build skips jco (cold start goal ≤ 3 s).
  const { transpiledFor } = await import(join(dist, 'host/cli.js'));
  await transpiledFor(join(dist, 'chat.wasm'));
  await transpiledFor(join(dist, 'generator.wasm'));
  const mb = (bytes) => (bytes.length / 1e6).toFixed(2);
  console.log(
    `built ${relative(root, join(dist, 'chat.wasm'))} (${mb(component)} MB) and ${relative(root, join(dist, 'generator.wasm'))} (${mb(generator)} MB) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

// The benchmark builds its echo component with buildComponent, so importing this file builds nothing.
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
