#!/usr/bin/env node
// `npm start`: build when a source is newer than its output, then run the actor on the Node host.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (args, env) => spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;
const built = run([join(root, 'scripts/build.mjs'), '--if-stale']);
if (built !== 0) process.exit(built);
const { HOST_PROCESS_ENV } = await import(join(root, 'dist/host/cli.js'));
process.exit(run([join(root, 'bin/theater-chat.js'), 'run', join(root, 'actor.toml'), ...process.argv.slice(2)], HOST_PROCESS_ENV));
