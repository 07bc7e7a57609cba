#!/usr/bin/env node
// Records what Theater c50b1871 itself says, so check:theater and the wit/deps drift test have a
// source of truth outside this repository: the normalised text (and hashes) of every
// `theater:simple` WIT file c50 publishes, and, from each handler crate's source, which
// interface names activate it and which functions it defines in the linker.
//
//   node scripts/record-c50-upstream.mjs <git dir of a colinrozzi/theater clone that has c50b1871>
//
// Writes src/host/theater-c50-upstream.json. Run it only to move to another Theater commit.
import { build } from 'rolldown';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const COMMIT = 'c50b18716041172d3396fd3b3a0a1ec489ec5a92';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const gitDir = process.argv[2];
if (!gitDir) {
  console.error('usage: node scripts/record-c50-upstream.mjs <theater git dir>');
  process.exit(2);
}
const git = (...args) => execFileSync('git', [`--git-dir=${gitDir}`, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
const show = (path) => git('show', `${COMMIT}:${path}`);
const tree = git('ls-tree', '-r', '--name-only', COMMIT).split('\n');

await build({ input: join(root, 'src/host/wit-text.ts'), platform: 'node', output: { file: join(root, 'dist/build/wit-text.mjs'), format: 'esm' }, logLevel: 'warn' });
const { normaliseWit } = await import(join(root, 'dist/build/wit-text.mjs'));
const sha256 = (text) => createHash('sha256').update(text).digest('hex');

// The WIT an actor builds against: crates/theater/wit (published as the `theater:simple` package).
// The root wit/ folder holds the same interfaces; say per file whether its normal form is the same.
const files = {};
for (const path of tree.filter((p) => /^crates\/theater\/wit\/[^/]+\.wit$/.test(p)).sort()) {
  const text = normaliseWit(show(path));
  if (!text.startsWith('package theater:simple;')) continue;
  const rootPath = path.replace(/^crates\/theater\//, '');
  const rootText = tree.includes(rootPath) ? normaliseWit(show(rootPath)) : undefined;
  files[path] = {
    blob: git('rev-parse', `${COMMIT}:${path}`).trim(),
    sha256: sha256(text),
    root: rootText === undefined ? `no ${rootPath}` : rootText === text ? `${rootPath} has the same normal form` : `${rootPath} differs`,
    text,
  };
}

// Each handler crate: `fn imports`/`fn exports` (the names that activate it, compared as exact
// strings) and the functions it defines after each `linker.instance("…")`, with their lines.
const handlers = {};
for (const path of tree.filter((p) => /^crates\/theater-handler-[^/]+\/src\/.*\.rs$/.test(p)).sort()) {
  const crate = path.split('/').slice(0, 2).join('/');
  const lines = show(path).split('\n');
  const h = (handlers[crate] ??= { imports: [], exports: [], activation: undefined, defines: {}, instance: undefined });
  let list;
  lines.forEach((line, i) => {
    const at = `${path}:${i + 1}`;
    let m;
    if ((m = /fn (imports|exports)\(&self\)/.exec(line))) {
      list = m[1];
      if (list === 'imports') h.activation = at;
      return;
    }
    if (list) {
      for (const s of line.matchAll(/"([^"]+)"\.to_string\(\)/g)) if (!h[list].includes(s[1])) h[list].push(s[1]);
      if (/^\s*}\s*$/.test(line)) list = undefined;
      return;
    }
    // An instance may be opened in one file of the crate and filled in the next (filesystem).
    if ((m = /\.instance\("([^"]+)"\)/.exec(line))) h.instance = m[1];
    const instance = h.instance;
    if (!instance?.startsWith('theater:simple/')) return;
    const wrap = /func_wrap(?:_async)?\(\s*(?:"([^"]+)")?/.exec(line);
    const name = wrap ? (wrap[1] ?? /^\s*"([^"]+)",/.exec(lines[i + 1] ?? '')?.[1]) : undefined;
    if (name) (h.defines[instance] ??= {})[name] = wrap[1] ? at : `${path}:${i + 2}`;
  });
}
for (const [crate, h] of Object.entries(handlers)) {
  delete h.instance;
  if (!h.activation) delete handlers[crate];
}

const registry = show('crates/theater-server/src/server.rs')
  .split('\n')
  .map((line, i) => [line, i + 1])
  .filter(([line]) => /registry\.register\(/.test(line));

const out = {
  repository: 'colinrozzi/theater',
  commit: COMMIT,
  recordedBy: 'scripts/record-c50-upstream.mjs',
  normalisation: 'normaliseWit in src/host/wit-text.ts: comments stripped, whitespace collapsed and removed next to punctuation, trailing commas removed; sha256 is of that text',
  note: 'The theater:simple handlers use no bindgen: each defines its functions by name with Rust types (func_wrap), so the WIT below is the interface actors build against, and `handlers` is what the linker really holds.',
  registry: `crates/theater-server/src/server.rs:${registry[0][1]}-${registry.at(-1)[1]} registers ${registry.length} handlers`,
  files,
  handlers,
};
await writeFile(join(root, 'src/host/theater-c50-upstream.json'), `${JSON.stringify(out, null, 2)}\n`);
console.log(`recorded ${Object.keys(files).length} WIT files and ${Object.keys(handlers).length} handlers at ${COMMIT.slice(0, 8)}`);
