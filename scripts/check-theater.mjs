#!/usr/bin/env node
// Fails unless Theater c50b1871 would link and run the component: no WASI, only functions c50
// links with the types it links them with, and every export it calls, typed as it calls it.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wasm = resolve(process.argv[2] ?? join(root, 'dist/chat.wasm'));
if (!existsSync(wasm)) {
  console.error(`check:theater: ${wasm} does not exist; run \`npm run build\` first`);
  process.exit(2);
}
const { checkTheater, THEATER_COMMIT } = await import(join(root, 'dist/host/cli.js'));
const report = await checkTheater(wasm);
if (report.ok) {
  console.log(`check:theater: ${wasm} links on Theater ${THEATER_COMMIT.slice(0, 8)}`);
  console.log(`  imports ${report.imports.join(', ')}`);
  console.log(`  exports ${report.exports.join(', ')}`);
} else {
  console.error(`check:theater: ${wasm} would not run on Theater ${THEATER_COMMIT.slice(0, 8)}:`);
  for (const p of report.problems) console.error(`  - ${p}`);
  process.exit(1);
}
