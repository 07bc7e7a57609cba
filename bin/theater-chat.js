#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/host/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  console.error('theater-chat: dist/host/cli.js is missing; run `npm run build` first');
  process.exit(1);
}
const { main } = await import(cli.href);
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(`theater-chat: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
