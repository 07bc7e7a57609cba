#!/usr/bin/env node
// Regenerates the committed WIT types: guest (the actor's imports/exports) and host (the Node host's view).
// tests/unit/generated-types.test.ts fails when the committed copy is stale.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const jco = join(root, 'node_modules/@bytecodealliance/jco/dist/jco.js');

export function generate(outRoot = join(root, 'types')) {
  for (const world of ['chat-actor', 'generator']) {
    for (const [command, dir] of [['guest-types', 'guest'], ['types', 'host']]) {
      const result = spawnSync(process.execPath, [jco, command, join(root, 'wit'), '-n', world, '-o', join(outRoot, dir), '-q'], { encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`jco ${command} ${world} failed: ${result.stderr}`);
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) generate();
