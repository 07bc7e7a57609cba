#!/usr/bin/env node
// Fails unless Theater c50b1871 would link and run every component given: no WASI, only functions
// c50 links with the types its own WIT gives them, every export it calls, typed as it calls it,
// and, for an actor another actor spawns, none of the imports a child must not have.
//
//   node scripts/check-theater.mjs [--child] <component.wasm | --manifest <actor.toml>> ...
//
// `--child` applies to the next component only: it runs as a child actor (supervisor.spawn) on the
// same theater-server (rules: src/host/theater-c50.json, `roles.child`). A manifest is checked
// through the component it names. With no argument, dist/chat.wasm is checked as a root actor.
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const usage = 'usage: node scripts/check-theater.mjs [--child] <component.wasm | --manifest <actor.toml>> ...';
const { checkTheater, manifestComponent, THEATER_COMMIT } = await import(join(root, 'dist/host/cli.js'));

const targets = [];
let role = 'root';
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  if (arg === '--child') {
    role = 'child';
    continue;
  }
  let target;
  if (arg === '--manifest') {
    const manifest = args[++i];
    if (!manifest) {
      console.error(`check:theater: --manifest needs a path\n${usage}`);
      process.exit(2);
    }
    try {
      target = { wasm: manifestComponent(manifest), label: ` (${manifest})` };
    } catch (e) {
      console.error(`check:theater: ${e.message}`);
      process.exit(2);
    }
  } else if (arg.startsWith('-')) {
    console.error(`check:theater: unknown option ${arg}\n${usage}`);
    process.exit(2);
  } else target = { wasm: resolve(arg), label: '' };
  targets.push({ ...target, role });
  role = 'root';
}
if (role !== 'root') {
  console.error(`check:theater: --child must come before a component or a manifest\n${usage}`);
  process.exit(2);
}
if (targets.length === 0) targets.push({ wasm: join(root, 'dist/chat.wasm'), label: '', role: 'root' });

let failed = false;
for (const { wasm, label, role } of targets) {
  const name = `${relative(process.cwd(), wasm) || wasm}${label}${role === 'root' ? '' : ` as a ${role} actor`}`;
  if (!existsSync(wasm)) {
    console.error(`check:theater: ${wasm} does not exist; run \`npm run build\` first`);
    process.exit(2);
  }
  const report = await checkTheater(wasm, role);
  if (report.ok) {
    console.log(`check:theater: ${name} links on Theater ${THEATER_COMMIT.slice(0, 8)}`);
    console.log(`  imports ${report.imports.join(', ')}`);
    console.log(`  exports ${report.exports.join(', ')}`);
  } else {
    failed = true;
    console.error(`check:theater: ${name} would not run on Theater ${THEATER_COMMIT.slice(0, 8)}:`);
    for (const p of report.problems) console.error(`  - ${p}`);
  }
}
process.exit(failed ? 1 : 0);
